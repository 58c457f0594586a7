import base64
import datetime
import os
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, common, tagged

from .test_territory import TerritoryCase

# A phone's browser: Odoo reads the user agent (isMobileOS) besides the screen size.
MOBILE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
# Screenshots of the last screen of each test go there when set (docs, reviews).
SHOTS_DIR = os.environ.get("KAM_SHOTS_DIR")


class PhoneBrowser(common.ChromeBrowser):
    """Chrome as a phone: a mobile user agent; a screenshot of the last screen when
    ``shot`` is set."""

    shot = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._websocket_request(
            "Emulation.setUserAgentOverride",
            params={"userAgent": MOBILE_USER_AGENT, "platform": "Android"},
        )

    def stop(self):
        if self.shot and getattr(self, "ws", None):
            result = self._websocket_request("Page.captureScreenshot", timeout=20)
            if result and result.get("data"):
                with open(self.shot, "wb") as shot:
                    shot.write(base64.b64decode(result["data"]))
        return super().stop()


WAIT = """
const deadline = Date.now() + 40000;
async function waitFor(check, what) {
    while (Date.now() < deadline) {
        const found = check();
        if (found) {
            return found;
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error("timeout: " + what);
}
function fits() {
    const width = window.innerWidth;
    if (!navigator.userAgent.includes("Mobile")) {
        throw new Error("not a mobile user agent: " + navigator.userAgent);
    }
    if (document.documentElement.scrollWidth > width + 1) {
        throw new Error("the page is wider than the screen");
    }
    const cards = ".o_kam_day_plan_cards .o_kanban_record";
    for (const card of document.querySelectorAll(cards)) {
        const box = card.getBoundingClientRect();
        if (box.width && (box.left < -1 || box.right > width + 1)) {
            throw new Error("a card runs out of the screen: " + card.textContent);
        }
    }
}
"""

# From the meeting's form: "Worth visiting nearby", the stops as cards (not a list),
# the most due first, then one tap plans a visit.
NEARBY_AND_PLAN = (
    WAIT
    + """
(async function () {
    try {
        // One tap: on a phone the button stands under the meeting's title (the
        // button box hides behind a menu).
        const button = await waitFor(
            () => document.querySelector(".o_form_sheet .o_kam_nearby_phone"),
            "the Worth visiting nearby button"
        );
        if (!button.offsetParent) {
            throw new Error("the Worth visiting nearby button is hidden on a phone");
        }
        button.click();
        const box = await waitFor(
            () => document.querySelector(".o_kam_day_plan_cards"),
            "the stops as cards"
        );
        if (document.querySelector(".o_kam_day_plan .o_list_renderer")) {
            throw new Error("the stops are a list on a phone");
        }
        const stop = await waitFor(
            () => box.querySelector(".o_kam_day_stop"),
            "a stop"
        );
        if (!stop.textContent.includes("%(first)s")) {
            throw new Error("the first stop is not the most due: " + stop.textContent);
        }
        fits();
        stop.querySelector(".o_kam_plan_visit").click();
        await waitFor(
            () => document.querySelector(".o_kam_day_stop .o_kam_visit_planned"),
            "the visit planned"
        );
        fits();
        console.log("test successful");
    } catch (error) {
        console.error(error.message);
    }
})();
"""
)

# "My Day" from the menu: the meeting, its stops, the day's counts.
DAY_VIEW = (
    WAIT
    + """
(async function () {
    try {
        await waitFor(
            () => document.querySelector(".o_kam_day_plan_cards .o_kam_day_meeting"),
            "the day's meeting"
        );
        await waitFor(
            () => document.querySelectorAll(".o_kam_day_stop").length >= 3,
            "the stops around it"
        );
        fits();
        console.log("test successful");
    } catch (error) {
        console.error(error.message);
    }
})();
"""
)


@tagged("post_install", "-at_install")
class TestTerritoryOnAPhone(TerritoryCase, HttpCase):
    """A rep on a 390 x 844 phone (mobile user agent), in English and Russian (and
    Chinese for the screenshots): worth visiting nearby a meeting, one tap to plan a
    visit; their day from the menu."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.tz = "Europe/Paris"
        start = datetime.datetime.combine(cls.today, datetime.time(9))
        cls.event = (
            cls.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Quarterly business review",
                    "start": start,
                    "stop": start + datetime.timedelta(hours=1),
                    "user_id": cls.rep.id,
                    "partner_ids": [
                        Command.set([cls.rep.partner_id.id, cls.contact.id])
                    ],
                }
            )
        )

    def _language(self, lang):
        if lang != "en_US":
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(
                ["kam_management"], [lang], overwrite=True
            )
        self.rep.lang = lang

    def _browse(self, url, code, shot):
        browser = type("Browser", (PhoneBrowser,), {})
        if SHOTS_DIR:
            os.makedirs(SHOTS_DIR, exist_ok=True)
            browser.shot = os.path.join(SHOTS_DIR, shot)
        with patch.object(common, "ChromeBrowser", browser):
            self.browser_js(url, code, ready="", login="kam_rep", timeout=90)

    def _nearby_and_plan(self, lang):
        self._language(lang)
        self._browse(
            f"/odoo/calendar.event/{self.event.id}",
            NEARBY_AND_PLAN % {"first": "Overdue Co"},
            f"nearby_{lang}.png",
        )
        visits = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.overdue.id),
                ("user_id", "=", self.rep.id),
                ("activity_category", "=", "meeting"),
            ]
        )
        self.assertEqual(len(visits), 1)
        self.assertEqual(visits.date_deadline, self.today)

    def _day_view(self, lang):
        self._language(lang)
        self._browse(
            "/odoo/action-kam_management.action_kam_day_plan",
            DAY_VIEW,
            f"day_{lang}.png",
        )

    def test_nearby_and_plan_on_a_phone(self):
        self._nearby_and_plan("en_US")

    def test_nearby_and_plan_on_a_phone_in_russian(self):
        self._nearby_and_plan("ru_RU")

    def test_day_on_a_phone(self):
        self._day_view("en_US")

    def test_day_on_a_phone_in_russian(self):
        self._day_view("ru_RU")

    def test_on_a_phone_in_chinese(self):
        self._day_view("zh_CN")
        self._nearby_and_plan("zh_CN")
