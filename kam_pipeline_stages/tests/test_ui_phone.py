from odoo.tests import HttpCase, new_test_user, tagged

# The rep opens the deal on a phone, opens the KAM Checklist tab, finds the criteria
# as cards (not a list whose columns are cut), the item's text whole, and ticks the
# first one with one tap; then the qualification is one tap away on the form.
TICK_ON_A_PHONE = """
(async function () {
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
    try {
        const tab = await waitFor(
            () => document.querySelector(".o_notebook .nav-link[name='kam_checklist']"),
            "the KAM Checklist tab"
        );
        tab.click();
        const box = await waitFor(
            () => document.querySelector("[name='kam_criterion_line_ids']"),
            "the criteria"
        );
        const card = await waitFor(
            () => box.querySelector(".o_kanban_record:not(.o_kanban_ghost)"),
            "a criterion card"
        );
        if (box.querySelector(".o_list_renderer")) {
            throw new Error("the criteria are a list on a phone");
        }
        const name = card.querySelector(".o_kam_item_name");
        const expected = %(expected)s;
        if (!card.textContent.includes(expected)) {
            throw new Error("the item is not whole: " + card.textContent);
        }
        if (name.scrollWidth > name.clientWidth + 1) {
            throw new Error("the item text is cut: " + name.scrollWidth);
        }
        if (card.getBoundingClientRect().right > window.innerWidth + 1) {
            throw new Error("the card is wider than the screen");
        }
        const toggle = card.querySelector(".o_field_boolean_toggle input");
        if (!toggle || toggle.disabled) {
            throw new Error("no tick to tap on the card");
        }
        toggle.click();
        await waitFor(() => toggle.checked, "the tick");
        const save = await waitFor(
            () => document.querySelector(".o_form_button_save"),
            "the save button"
        );
        save.click();
        await waitFor(
            () => document.querySelector(".o_form_status_indicator_buttons.invisible"),
            "the deal saved"
        );
        const qualify = await waitFor(
            () => document.querySelector(".o_form_sheet .o_kam_qualify_phone"),
            "the Qualify button on the form"
        );
        if (!qualify.offsetParent) {
            throw new Error("the Qualify button is hidden on a phone");
        }
        await waitFor(() => !qualify.disabled, "the Qualify button enabled");
        qualify.click();
        await waitFor(
            () => document.querySelector(".o_dialog [name='deal_size']"),
            "the qualification wizard"
        );
        console.log("test successful");
    } catch (error) {
        const dialog = document.querySelector(".o_dialog");
        const shown = dialog ? " | dialog: " + dialog.textContent.slice(0, 300) : "";
        console.error(error.message + shown);
    }
})();
"""


@tagged("post_install", "-at_install", "kam")
class TestChecklistOnAPhone(HttpCase):
    """A rep ticks a deal's KAM checklist on a 390x844 touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def _deal(self, lang):
        rep = new_test_user(
            self.env,
            login=f"kam_phone_rep_{lang}",
            name="Phone Rep",
            groups="kam_management.group_kam_user",
            lang=lang,
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Phone deal",
                "type": "opportunity",
                "user_id": rep.id,
                "team_id": self.env.ref("kam_pipeline_stages.crm_team_key_accounts").id,
                "stage_id": self.env.ref(
                    "kam_pipeline_stages.crm_stage_kam_meeting_held"
                ).id,
            }
        )
        return rep, lead

    def _tick_on_a_phone(self, lang):
        rep, lead = self._deal(lang)
        line = lead.kam_criterion_line_ids[:1]  # the first card
        self.assertTrue(line)
        expected = line.with_context(lang=lang).name
        code = TICK_ON_A_PHONE % {"expected": repr(expected)}
        url = f"/odoo/action-kam_pipeline_stages.crm_lead_action_kam_pipeline/{lead.id}"
        self.browser_js(url, code, ready="", login=rep.login, timeout=90)
        line.invalidate_recordset()
        self.assertTrue(line.is_done)
        self.assertEqual(line.done_user_id, rep)
        return expected

    def test_tick_on_a_phone_en(self):
        self._tick_on_a_phone("en_US")

    def test_tick_on_a_phone_ru(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_pipeline_stages"], ["ru_RU"]
        )
        expected = self._tick_on_a_phone("ru_RU")
        self.assertNotIn("meeting", expected.lower())
