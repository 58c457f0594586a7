import base64
import datetime
import os
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import KamCase

# A phone's browser: Odoo's web client takes its mobile layout from the screen
# size, the user agent tells it the device (touch, no hover).
MOBILE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
# Where the screenshots go when asked for (KAM_SHOTS_DIR=/path): the cockpit's top
# and its panels, named after the test.
SHOTS_DIR = os.environ.get("KAM_SHOTS_DIR")

# Waits for the panels, checks that the page is no wider than the screen and that
# each panel's tables scroll inside it, asks for the screenshots, then follows the
# first figure of the revenue panel (its key accounts) and checks that the list
# shows as many accounts as the figure says.
OPEN_AND_DRILL_DOWN = """
const deadline = Date.now() + 60000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(check, what) {
    while (!check()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(200);
    }
}
function problems() {
    const found = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) {
        found.push(`the page is wider than the ${width}px screen`);
    }
    for (const panel of document.querySelectorAll(".o_kam_panel")) {
        const title = panel.querySelector("h5").textContent.trim();
        const box = panel.getBoundingClientRect();
        if (box.left < -1 || box.right > width + 1) {
            found.push(`panel "${title}" runs out of the screen`);
        }
        if (panel.scrollWidth > panel.clientWidth + 1) {
            found.push(`panel "${title}" is wider than itself`);
        }
        for (const table of panel.querySelectorAll("table")) {
            const scroller = table.closest(".table-responsive");
            if (!scroller || !panel.contains(scroller)) {
                found.push(`a table of "${title}" does not scroll in its panel`);
            }
        }
    }
    return found;
}
(async () => {
    try {
        await waitFor(
            () => document.querySelectorAll(".o_kam_panel").length >= 3,
            "the cockpit's panels"
        );
        const found = problems();
        if (found.length) {
            throw new Error("the cockpit does not fit the screen: " + found.join("; "));
        }
        console.log("kam-shot:top");
        await sleep(1500);
        const revenue = document.querySelector(".o_kam_panel_revenue");
        revenue.scrollIntoView();
        console.log("kam-shot:panels");
        await sleep(1500);
        const link = revenue.querySelector("a.o_kam_panel_link");
        const expected = parseInt(link.textContent.trim(), 10);
        if (!(expected > 0)) {
            throw new Error(`the revenue panel counts ${expected} key accounts`);
        }
        link.click();
        await waitFor(
            () => !document.querySelector(".o_kam_cockpit")
                && document.querySelectorAll(".o_data_row").length === expected,
            `a list of ${expected} key accounts`
        );
        console.log("test successful");
    } catch (error) {
        console.error(error.message);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestCockpitPanelsInTheBrowser(KamCase, HttpCase):
    """The cockpit and its panels on a desktop (1366x768) and on a phone (390x844,
    a phone's user agent), in English, Russian and Chinese: the panels fit, their
    tables scroll inside them, and a figure opens the records behind it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.big = cls._account("Northern Heavy Machinery Works", cls.admin)
        cls.mid = cls._account("Steady Co", cls.admin)
        cls._sale(cls.big, 150_000)
        cls._sale(cls.big, 90_000, cls.today - datetime.timedelta(days=120))
        cls._sale(cls.mid, 60_000)
        runs = 0
        while cls.env["res.partner"]._cron_kam_daily(batch_size=1000) and runs < 100:
            runs += 1
        (cls.big | cls.mid).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )

    def _run(self, size, lang="en_US", mobile=False):
        if lang != "en_US":
            self.env["res.lang"]._activate_lang(lang)
            modules = self.env["ir.module.module"].search(
                [("name", "like", "kam_%"), ("state", "=", "installed")]
            )
            self.env["ir.module.module"]._load_module_terms(
                modules.mapped("name"), [lang], overwrite=True
            )
        self.admin.lang = lang
        self.browser_size = size
        self.touch_enabled = mobile
        name = f"cockpit_{size}_{lang}"
        navigate_to = ChromeBrowser.navigate_to
        handle_console = ChromeBrowser._handle_console

        def navigate(browser, url, wait_stop=False):
            if mobile:
                browser._websocket_request(
                    "Emulation.setUserAgentOverride",
                    params={"userAgent": MOBILE_USER_AGENT},
                )
            return navigate_to(browser, url, wait_stop=wait_stop)

        def console(browser, type, args=None, stackTrace=None, **kw):  # noqa: A002
            text = (args or [{}])[0].get("value") or ""
            if SHOTS_DIR and type == "log" and str(text).startswith("kam-shot:"):
                shot = f"{name}_{text.split(':', 1)[1]}.png"
                future = browser._websocket_send(
                    "Page.captureScreenshot", with_future=True
                )

                def save(result):
                    data = result.result()["data"]
                    os.makedirs(SHOTS_DIR, exist_ok=True)
                    with open(os.path.join(SHOTS_DIR, shot), "wb") as file:
                        file.write(base64.b64decode(data))

                future.add_done_callback(save)
                return None
            return handle_console(browser, type, args, stackTrace, **kw)

        with (
            patch.object(ChromeBrowser, "navigate_to", navigate),
            patch.object(ChromeBrowser, "_handle_console", console),
        ):
            self.browser_js(
                "/odoo/action-kam_management.action_kam_cockpit",
                OPEN_AND_DRILL_DOWN,
                ready="",
                login="admin",
                timeout=120,
            )

    def test_desktop(self):
        self._run("1366x768")

    def test_phone(self):
        self._run("390x844", mobile=True)

    def test_desktop_in_russian(self):
        self._run("1366x768", "ru_RU")

    def test_phone_in_russian(self):
        self._run("390x844", "ru_RU", mobile=True)

    def test_desktop_in_chinese(self):
        self._run("1366x768", "zh_CN")

    def test_phone_in_chinese(self):
        self._run("390x844", "zh_CN", mobile=True)
