import datetime
import json

from odoo.tests import HttpCase, tagged

# The Relationships tab of an account: on a phone a card per pair (the matrix is for
# wider screens), on a desktop the matrix; nothing wider than the screen. Any JS error
# or console.error fails the test.
OPEN_COVERAGE = """
const expected = %(expected)s;
const deadline = Date.now() + 40000;
async function waitFor(find, what) {
    for (;;) {
        const found = find();
        if (found) {
            return found;
        }
        if (Date.now() > deadline) {
            throw new Error("not shown: " + what);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}
function visible(element) {
    return element && element.getBoundingClientRect().width > 0;
}
(async () => {
    try {
        const tab = await waitFor(
            () => document.querySelector(
                ".o_form_view .o_notebook a.nav-link[name='kam_coverage']"
            ),
            "the Relationships tab"
        );
        if (tab.textContent.trim() !== expected.tab) {
            throw new Error("tab label: " + tab.textContent.trim());
        }
        tab.click();
        const cards = ".o_kam_coverage_cards";
        const matrix = ".o_kam_coverage_matrix";
        const shown = expected.phone ? cards : matrix;
        const hidden = expected.phone ? matrix : cards;
        const box = await waitFor(() => {
            const element = document.querySelector(shown);
            return visible(element) && element;
        }, shown);
        if (visible(document.querySelector(hidden))) {
            throw new Error(hidden + " is shown too");
        }
        for (const text of expected.texts) {
            if (!box.textContent.includes(text)) {
                throw new Error("missing " + text + " in " + box.textContent);
            }
        }
        const badges = [...document.querySelectorAll(".o_form_view .badge")].map(
            (badge) => badge.textContent.trim()
        );
        if (!badges.includes(expected.badge)) {
            throw new Error("badges: " + badges.join(" | "));
        }
        const width = document.documentElement.scrollWidth;
        if (width > window.innerWidth + 1) {
            throw new Error("the page scrolls sideways: " + width + "px");
        }
        for (const card of document.querySelectorAll(".o_kam_coverage_cards .badge")) {
            const edge = card.getBoundingClientRect();
            if (edge.right > window.innerWidth + 1) {
                throw new Error("a badge runs out of the screen: " + card.textContent);
            }
        }
        console.log("test successful");
    } catch (error) {
        console.error(error.message);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestCoverageOnAPhone(HttpCase):
    """The coverage tab of a single-threaded account, on a 390x844 phone and a
    1366x768 screen."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        admin = cls.env.ref("base.user_admin")
        cls.account = Partner.create(
            {
                "name": "Coverage Phone Co",
                "is_company": True,
                "kam_manager_id": admin.id,
            }
        )
        cls.contact = Partner.create(
            {"name": "Olga Ivanova", "parent_id": cls.account.id, "function": "CEO"}
        )
        cls.env["mail.message"].create(
            {
                "model": "res.partner",
                "res_id": cls.contact.id,
                "body": "Call",
                "author_id": admin.partner_id.id,
                "message_type": "notification",
                "subtype_id": cls.env.ref("mail.mt_activities").id,
                "mail_activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
                "date": datetime.datetime.now() - datetime.timedelta(days=2),
            }
        )

    def _open(self, expected):
        url = f"/odoo/contacts/{self.account.id}"
        code = OPEN_COVERAGE % {"expected": json.dumps(expected)}
        self.browser_js(url, code, ready="", login="admin", timeout=90)

    def test_cards_on_a_phone(self):
        self._open(
            {
                "phone": True,
                "tab": "Relationships",
                "texts": ["Olga Ivanova", "Within the cadence"],
                "badge": "Single-threaded",
            }
        )

    def test_cards_on_a_phone_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_management"], ["zh_CN"], overwrite=True
        )
        self.env.ref("base.user_admin").lang = "zh_CN"
        self._open(
            {
                "phone": True,
                "tab": "关系",
                "texts": ["Olga Ivanova", "在联系频率内"],
                "badge": "单线联系",
            }
        )

    def test_matrix_on_a_desktop(self):
        self.browser_size = "1366x768"
        self.touch_enabled = False
        self._open(
            {
                "phone": False,
                "tab": "Relationships",
                "texts": ["Olga Ivanova", "Mitchell Admin"],
                "badge": "Single-threaded",
            }
        )
