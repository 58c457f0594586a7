import json

from odoo import Command
from odoo.tests import HttpCase, tagged

# On a phone: the plan opens, its Stakeholders tab shows a card per stakeholder with
# the contact's own name, and a card opens the stakeholder's small form. Any JS error
# or a console.error fails the test.
OPEN_STAKEHOLDER = """
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
(async () => {
    try {
        const tab = await waitFor(
            () => document.querySelector(
                ".o_form_view .o_notebook a.nav-link[name='stakeholders']"
            ),
            "the Stakeholders tab"
        );
        if (tab.textContent.trim() !== expected.tab) {
            throw new Error("tab label: " + tab.textContent.trim());
        }
        tab.click();
        const card = await waitFor(
            () => document.querySelector(
                ".o_field_widget[name='stakeholder_ids'] " +
                ".o_kanban_record:not(.o_kanban_ghost)"
            ),
            "a stakeholder card (the mobile kanban)"
        );
        const text = card.textContent;
        if (!text.includes(expected.contact) || text.includes(expected.account + ",")) {
            throw new Error("card: " + text);
        }
        card.click();
        const dialog = await waitFor(
            () => document.querySelector(".modal .o_form_view"),
            "the stakeholder's form"
        );
        const contact = await waitFor(
            () => dialog.querySelector(".o_field_widget[name='partner_id'] input"),
            "the contact field"
        );
        if (contact.value !== expected.contact) {
            throw new Error("contact in the form: " + contact.value);
        }
        const labels = [...dialog.querySelectorAll(".o_form_label")].map(
            (label) => label.textContent.trim()
        );
        if (!labels.includes(expected.role)) {
            throw new Error("form labels: " + labels.join(" | "));
        }
        const width = document.documentElement.scrollWidth;
        if (width > window.innerWidth + 1) {
            throw new Error("the page scrolls sideways: " + width + "px");
        }
        console.log("test successful");
    } catch (error) {
        console.error(error.message);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestPlanOnAPhone(HttpCase):
    """A rep opens an account plan and a stakeholder on a 390x844 phone."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.account = Partner.create(
            {"name": "Uralsteel Phone JSC", "is_company": True}
        )
        cls.contact = Partner.create(
            {"name": "Ivan Petrov", "parent_id": cls.account.id, "function": "CFO"}
        )
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Uralsteel on a phone",
                "partner_id": cls.account.id,
                "user_id": cls.env.ref("base.user_admin").id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "stakeholder_ids": [
                    Command.create(
                        {"partner_id": cls.contact.id, "role": "decision_maker"}
                    )
                ],
            }
        )

    def _open_stakeholder(self, expected):
        url = f"/odoo/action-kam_account_plan.action_kam_account_plan/{self.plan.id}"
        code = OPEN_STAKEHOLDER % {"expected": json.dumps(expected)}
        self.browser_js(url, code, ready="", login="admin", timeout=90)

    def test_stakeholder_on_a_phone(self):
        self._open_stakeholder(
            {
                "tab": "Stakeholders",
                "contact": "Ivan Petrov",
                "account": "Uralsteel Phone JSC",
                "role": "Role",
            }
        )

    def test_stakeholder_on_a_phone_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_account_plan"], ["ru_RU"], overwrite=True
        )
        self.env.ref("base.user_admin").lang = "ru_RU"
        self._open_stakeholder(
            {
                "tab": "Заинтересованные лица",
                "contact": "Ivan Petrov",
                "account": "Uralsteel Phone JSC",
                "role": "Роль",
            }
        )
