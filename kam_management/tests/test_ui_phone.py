import datetime
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import KamCase

# Waits for the four panels of the cockpit, then measures them in the browser: the
# page is no wider than the screen, the panels stack and hold their content (a table
# wider than its panel scrolls inside it, a badge wraps), the heat map's totals have
# no space before their comma. Any problem is reported as an error (the test fails).
CHECK_COCKPIT_FITS = """
const deadline = Date.now() + 30000;
function problems() {
    const found = [];
    const width = window.innerWidth;
    const page = document.documentElement;
    if (page.scrollWidth > width) {
        found.push(`the page is ${page.scrollWidth}px wide on a ${width}px screen`);
    }
    // The action scrolls in its own box: it must not scroll sideways either.
    const boxes = ".o_action_manager, .o_kam_cockpit, .o_kam_cockpit > .o_content";
    for (const box of document.querySelectorAll(boxes)) {
        if (box.scrollWidth > box.clientWidth + 1) {
            const size = `${box.scrollWidth}px wide for ${box.clientWidth}px`;
            found.push(`${box.className} is ${size}`);
        }
    }
    let previous = null;
    for (const panel of document.querySelectorAll(".o_kam_cockpit .card")) {
        const title = panel.querySelector("h5").textContent.trim();
        const box = panel.getBoundingClientRect();
        if (box.left < -1 || box.right > width + 1) {
            const span = `${box.left}..${box.right}px`;
            found.push(`panel "${title}" spans ${span} on a ${width}px screen`);
        }
        if (panel.scrollWidth > panel.clientWidth + 1) {
            const size = `${panel.scrollWidth}px in ${panel.clientWidth}px`;
            found.push(`panel "${title}" holds ${size}`);
        }
        if (previous && box.top < previous.bottom - 1) {
            found.push(`panel "${title}" stands beside another one, not below`);
        }
        previous = box;
        for (const badge of panel.querySelectorAll(".badge")) {
            if (badge.closest(".table-responsive")) {
                continue;
            }
            const edge = badge.getBoundingClientRect();
            if (edge.left < box.left - 1 || edge.right > box.right + 1) {
                const text = badge.textContent.trim();
                found.push(`badge "${text}" runs out of panel "${title}"`);
            }
        }
    }
    for (const table of document.querySelectorAll(".o_kam_cockpit table")) {
        const panel = table.closest(".card");
        const title = panel.querySelector("h5").textContent.trim();
        const scroller = table.parentElement.closest(".table-responsive");
        if (!scroller || !panel.contains(scroller)) {
            found.push(`the table of "${title}" does not scroll inside its panel`);
            continue;
        }
        if (!["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) {
            found.push(`the table of "${title}" cannot scroll sideways`);
        }
        const inner = scroller.getBoundingClientRect();
        const outer = panel.getBoundingClientRect();
        if (inner.left < outer.left - 1 || inner.right > outer.right + 1) {
            found.push(`the table of "${title}" scrolls outside its panel`);
        }
    }
    const header = document.querySelector(".o_kam_cockpit .card .card-header");
    const totals = header.textContent.replace(/\\s+/g, " ").trim();
    if (/\\s[,，]/.test(totals)) {
        found.push(`a space before a comma: "${totals}"`);
    }
    return found;
}
(function poll() {
    if (document.querySelectorAll(".o_kam_cockpit .card").length >= 4) {
        const found = problems();
        if (found.length) {
            console.error("the cockpit does not fit the screen: " + found.join("; "));
        } else {
            console.log("test successful");
        }
    } else if (Date.now() > deadline) {
        console.error("the cockpit did not render its panels");
    } else {
        setTimeout(poll, 200);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestCockpitOnAPhone(KamCase, HttpCase):
    """The cockpit on a phone (390 x 844), in English and in Russian (longer words):
    every panel fits the screen, below the one before."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = cls.today
        cls.admin = cls.env.ref("base.user_admin")
        # A declining account silent for long, with a long name: two risk badges.
        cls.account = cls._account(
            "Northern Heavy Machinery and Precision Engineering Works", cls.admin
        )
        cls._sale(cls.account, 200_000, today - datetime.timedelta(days=400))
        cls._sale(cls.account, 20_000)
        cls.steady = cls._account("Steady Co", cls.admin)
        cls._sale(cls.steady, 150_000)
        partners = cls.env["res.partner"]
        runs = 0
        while partners._cron_kam_daily(batch_size=1000) and runs < 100:
            runs += 1
        cls.account.kam_last_contact_date = today - datetime.timedelta(days=400)

    def _risk_kinds(self):
        """A kind of risk with a long label and detail, as another addon adds one
        (kam_account_plan: a key stakeholder who left)."""
        cockpit = self.registry["kam.cockpit"]
        original = cockpit._kam_cockpit_risk_kinds
        account = self.account

        def risk_kinds(model, accounts_domain):
            return original(model, accounts_domain) + [
                {
                    "code": "test_stakeholder",
                    "label": "Key stakeholder left or changed role",
                    "domain": accounts_domain + [("id", "=", account.id)],
                    "order": "id",
                    "detail": lambda partner: "Zhang Wei changed role "
                    "(Operations Director, Northern Region)",
                }
            ]

        return patch.object(cockpit, "_kam_cockpit_risk_kinds", risk_kinds)

    def _check(self):
        with self._risk_kinds():
            self.browser_js(
                "/odoo/action-kam_management.action_kam_cockpit",
                CHECK_COCKPIT_FITS,
                ready="",
                login="admin",
                timeout=90,
            )

    def test_cockpit_fits_a_phone(self):
        self._check()

    def test_cockpit_fits_a_phone_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_management"], ["ru_RU"], overwrite=True
        )
        self.admin.lang = "ru_RU"
        self._check()
