import base64
import contextlib
import datetime
import os
import pathlib
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import KamCase

# An Android phone's browser.
MOBILE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)

# The KAM tab's buttons above the ratings are whole: on screen, nothing drawn over
# them (the ratings' table clipped them), above the table.
UNCOVERED = """
    function uncovered() {
        const table = document.querySelector(".o_form_view [name='kam_score_ids']");
        for (const name of ["action_kam_load_criteria", "action_kam_refresh"]) {
            const button = document.querySelector(`.o_form_view [name='${name}']`);
            button.scrollIntoView({ block: "center" });
            const box = button.getBoundingClientRect();
            const width = window.innerWidth;
            if (!button.offsetParent || box.left < -1 || box.right > width + 1) {
                throw new Error(`${name} is not on the screen`);
            }
            for (const y of [box.top + 2, box.bottom - 2]) {
                const found = document.elementFromPoint(box.left + box.width / 2, y);
                if (!button.contains(found)) {
                    const what = found && found.className;
                    throw new Error(`${name} is covered by ${what}`);
                }
            }
            if (box.bottom > table.getBoundingClientRect().top + 1) {
                throw new Error(`${name} runs under the ratings' table`);
            }
        }
    }
"""

# On the key accounts' kanban, the rep taps "Log Contact" on the account's card,
# picks the visit, types a note and confirms; then opens the account: its chatter
# holds the visit with the note. "kam-shot:<name>" marks a moment worth a
# screenshot (taken when KAM_SHOTS_DIR is set).
LOG_ON_A_PHONE = """
(async function () {
    const deadline = Date.now() + 60000;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    async function waitFor(check, what) {
        while (Date.now() < deadline) {
            const found = check();
            if (found) {
                return found;
            }
            await sleep(150);
        }
        throw new Error("timeout: " + what);
    }
    async function shot(name) {
        console.log("kam-shot:" + name);
        await sleep(800);
    }
    function onScreen(element, what) {
        const box = element.getBoundingClientRect();
        if (!element.offsetParent || box.width < 1) {
            throw new Error(what + " is hidden");
        }
        if (box.left < -1 || box.right > window.innerWidth + 1) {
            throw new Error(`${what} spans ${box.left}..${box.right}px`);
        }
    }
%(uncovered)s
    const account = %(account)s;
    const note = %(note)s;
    try {
        const card = await waitFor(
            () => [...document.querySelectorAll(".o_kam_kanban .o_kanban_record")].find(
                (c) => c.textContent.includes(account)
            ),
            "the account's card"
        );
        const button = card.querySelector(".o_kam_log_contact");
        if (!button) {
            throw new Error("no Log Contact button on the card");
        }
        onScreen(button, "the Log Contact button");
        await shot("card");
        button.click();
        const visit = await waitFor(
            () => document.querySelector(`.modal .o_selection_badge[value='"visit"']`),
            "the channels in the dialog"
        );
        onScreen(visit, "the visit channel");
        visit.click();
        await waitFor(() => visit.classList.contains("active"), "the visit picked");
        const input = await waitFor(
            () => document.querySelector(".modal [name='note'] input"),
            "the note"
        );
        input.focus();
        input.value = note;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        const confirm = document.querySelector(".modal button[name='action_log']");
        onScreen(confirm, "the Log Contact button of the dialog");
        await shot("wizard");
        confirm.click();
        await waitFor(() => !document.querySelector(".modal"), "the dialog closed");
        const again = await waitFor(
            () => [...document.querySelectorAll(".o_kam_kanban .o_kanban_record")].find(
                (c) => c.textContent.includes(account)
            ),
            "the card again"
        );
        again.click();
        const tab = await waitFor(
            () => document.querySelector(".o_notebook .nav-link[name='kam']"),
            "the Key Account tab"
        );
        tab.click();
        await waitFor(
            () => document.querySelector(".o_form_view [name='kam_last_contact_date']"),
            "the last contact"
        );
        const formLog = document.querySelector(".o_form_view .o_kam_log_contact");
        onScreen(formLog, "Log Contact on the form");
        formLog.scrollIntoView({ block: "start" });
        await shot("form_tab");
        const message = await waitFor(
            () => [...document.querySelectorAll(".o-mail-Message")].find(
                (m) => m.textContent.includes(note)
            ),
            "the visit in the chatter"
        );
        uncovered();
        const cadence = document
            .querySelector(".o_form_view [name='kam_last_contact_date']")
            .closest(".o_inner_group");
        cadence.scrollIntoView({ block: "start" });
        await shot("form");
        message.scrollIntoView({ block: "center" });
        await shot("chatter");
        console.log("test successful");
    } catch (error) {
        const dialog = document.querySelector(".modal");
        const shown = dialog ? " | dialog: " + dialog.textContent.slice(0, 300) : "";
        console.error(error.message + shown);
    }
})();
"""

# On the account's form, the rep's contact reminder in the chatter offers "Log
# Contact": a call logged from there closes the reminder.
LOG_FROM_THE_REMINDER = """
(async function () {
    const deadline = Date.now() + 60000;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    async function waitFor(check, what) {
        while (Date.now() < deadline) {
            const found = check();
            if (found) {
                return found;
            }
            await sleep(150);
        }
        throw new Error("timeout: " + what);
    }
    try {
        const button = await waitFor(
            () => document.querySelector(".o-mail-Activity .o-kam-Activity-logContact"),
            "Log Contact on the reminder"
        );
        button.scrollIntoView({ block: "center" });
        console.log("kam-shot:reminder");
        await sleep(800);
        button.click();
        const call = await waitFor(
            () => document.querySelector(`.modal .o_selection_badge[value='"call"']`),
            "the channels in the dialog"
        );
        call.click();
        document.querySelector(".modal button[name='action_log']").click();
        await waitFor(() => !document.querySelector(".modal"), "the dialog closed");
        await waitFor(
            () => !document.querySelector(".o-mail-Activity"),
            "the reminder gone from the chatter"
        );
        console.log("test successful");
    } catch (error) {
        const dialog = document.querySelector(".modal");
        const shown = dialog ? " | dialog: " + dialog.textContent.slice(0, 300) : "";
        console.error(error.message + shown);
    }
})();
"""

# The same buttons on a desktop's form.
BUTTONS_ON_A_DESKTOP = """
(async function () {
    const deadline = Date.now() + 60000;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    %(uncovered)s
    try {
        let tab;
        while (!(tab = document.querySelector(".o_notebook .nav-link[name='kam']"))) {
            if (Date.now() > deadline) {
                throw new Error("timeout: the Key Account tab");
            }
            await sleep(150);
        }
        tab.click();
        await sleep(300);
        uncovered();
        console.log("test successful");
    } catch (error) {
        console.error(error.message);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestContactLogOnAPhone(KamCase, HttpCase):
    """The rep on the road logs a visit from the account's card on a phone (390 x
    844, a phone's browser), in English and in Russian."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # First in the rep's kanban (by name), overdue: the rep has its reminder.
        cls.account = cls._account("Aardvark Road Logistics", cls.rep)
        cls._sale(cls.account, 100_000)
        cls._log_contact(cls.account, cls.today - datetime.timedelta(days=45))
        partners = cls.env["res.partner"]
        runs = 0
        while partners._cron_kam_daily(batch_size=1000) and runs < 100:
            runs += 1

    @contextlib.contextmanager
    def _phone_browser(self, lang):
        """A phone's user agent; screenshots into $KAM_SHOTS_DIR if set."""
        shots = os.environ.get("KAM_SHOTS_DIR")
        navigate_to = ChromeBrowser.navigate_to
        handle_console = ChromeBrowser._handle_console

        def navigate(browser, url, wait_stop=False):
            browser._websocket_request(
                "Emulation.setUserAgentOverride",
                params={"userAgent": MOBILE_USER_AGENT},
            )
            return navigate_to(browser, url, wait_stop=wait_stop)

        def console(browser, type, args=None, stackTrace=None, **kw):  # noqa: A002
            first = args and browser._from_remoteobject(args[0])
            if shots and isinstance(first, str) and first.startswith("kam-shot:"):
                name = first.split(":", 1)[1]
                target = pathlib.Path(shots) / f"{name}_{lang}.png"

                def save(future):
                    data = future.result()["data"]
                    target.write_bytes(base64.b64decode(data))

                future = browser._websocket_send(
                    "Page.captureScreenshot", with_future=True
                )
                future.add_done_callback(save)
            return handle_console(browser, type, args, stackTrace, **kw)

        with (
            patch.object(ChromeBrowser, "navigate_to", navigate),
            patch.object(ChromeBrowser, "_handle_console", console),
        ):
            yield

    def _log_on_a_phone(self, lang):
        self.rep.lang = lang
        reminder = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.account.id)]
        )
        self.assertEqual(reminder.user_id, self.rep)
        note = "Visited the depot, order next week"
        code = LOG_ON_A_PHONE % {
            "account": repr(self.account.name),
            "note": repr(note),
            "uncovered": UNCOVERED,
        }
        with self._phone_browser(lang):
            self.browser_js(
                "/odoo/action-kam_management.action_kam_accounts",
                code,
                ready="",
                login=self.rep.login,
                timeout=120,
            )
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_last_contact_date, self.today)
        self.assertFalse(reminder.exists(), "the reminder is done")
        message = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.account.id),
                ("mail_activity_type_id", "!=", False),
            ],
            order="id desc",
            limit=1,
        )
        self.assertEqual(
            message.mail_activity_type_id,
            self.env.ref("kam_management.mail_activity_type_kam_visit"),
        )
        self.assertIn(note, message.body)
        self.assertEqual(message.author_id, self.rep.partner_id)

    def test_log_a_visit_on_a_phone(self):
        self._log_on_a_phone("en_US")

    def _load_language(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "kam_management"], [lang], overwrite=True
        )

    def test_log_a_visit_on_a_phone_in_russian(self):
        self._load_language("ru_RU")
        self._log_on_a_phone("ru_RU")

    def test_log_a_visit_on_a_phone_in_chinese(self):
        self._load_language("zh_CN")
        self._log_on_a_phone("zh_CN")

    def test_log_from_the_reminder_on_a_phone(self):
        reminder = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.account.id)]
        )
        self.assertTrue(reminder)
        url = f"/odoo/action-kam_management.action_kam_accounts/{self.account.id}"
        with self._phone_browser("en_US"):
            self.browser_js(
                url, LOG_FROM_THE_REMINDER, ready="", login=self.rep.login, timeout=120
            )
        self.assertFalse(reminder.exists(), "the reminder is done")
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_last_contact_date, self.today)
        message = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.account.id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual(
            message.mail_activity_type_id,
            self.env.ref("kam_management.mail_activity_type_kam_call"),
        )


@tagged("post_install", "-at_install")
class TestPartnerFormOnADesktop(KamCase, HttpCase):
    """The KAM tab's buttons on a desktop: whole, above the ratings."""

    def test_buttons_above_the_ratings(self):
        account = self._account("Desk Co", self.rep)
        url = f"/odoo/action-kam_management.action_kam_accounts/{account.id}"
        code = BUTTONS_ON_A_DESKTOP % {"uncovered": UNCOVERED}
        self.browser_js(url, code, ready="", login=self.rep.login, timeout=90)
