"""Absurd numbers and dates sent over RPC get a clear, translated error (issue 9).

Not a Python or PostgreSQL traceback, and nothing is stored.
"""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamPipelineCase

ABSURD_INTEGERS = [2**31, -(2**31) - 1, 2**63, 10**30, 1e300, 2.5, "12abc", "1e400"]
ABSURD_NUMBERS = [float("nan"), float("inf"), float("-inf"), "nan", "abc", [3]]


@tagged("post_install", "-at_install", "kam")
class TestAbsurdInput(KamPipelineCase):
    def setUp(self):
        super().setUp()
        self.lead = self._lead()
        self.Wizard = self.env["kam.qualification.wizard"].with_user(self.rep)

    def _assert_refused(self, call, exception=ValidationError):
        """``call`` raises ``exception`` (a clear user error, not a crash)."""
        with mute_logger("odoo.sql_db"), self.assertRaises(exception) as caught:
            call()
        self.assertTrue(str(caught.exception))
        return caught.exception

    # -- wizard

    def test_qualification_wizard_refuses_absurd_sales_forces(self):
        for value in ABSURD_INTEGERS + ABSURD_NUMBERS:
            self._assert_refused(
                lambda value=value: self.Wizard.create(
                    {"lead_id": self.lead.id, "sales_reps": value}
                )
            )
        self.assertFalse(self.Wizard.search([("lead_id", "=", self.lead.id)]))
        wizard = self.Wizard.create({"lead_id": self.lead.id, "sales_reps": 12})
        for value in (2**40, float("nan")):
            self._assert_refused(
                lambda value=value: wizard.write({"sales_reps": value})
            )
        self.assertEqual(wizard.sales_reps, 12)
        wizard.action_apply()
        self.assertEqual(self.lead.kam_qual_sales_reps, 12)

    def test_the_refusal_speaks_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_pipeline_stages"], ["ru_RU"], overwrite=True
        )
        error = self._assert_refused(
            lambda: self.Wizard.with_context(lang="ru_RU").create(
                {"lead_id": self.lead.id, "sales_reps": float("nan")}
            )
        )
        self.assertNotIn("must be", str(error))
        self.assertRegex(str(error), "[а-яА-Я]{5}")

    # -- stages, items

    def test_stage_settings_refuse_absurd_numbers(self):
        Stage = self.env["crm.stage"].with_user(self.director)
        stage = self.stage_fm.with_user(self.director)
        for value in ABSURD_INTEGERS + ABSURD_NUMBERS:
            self._assert_refused(
                lambda value=value: stage.write({"kam_max_age_days": value})
            )
            self._assert_refused(
                lambda value=value: Stage.create(
                    {"name": "Absurd", "kam_max_age_days": value}
                )
            )
        for value in ABSURD_NUMBERS:
            self._assert_refused(
                lambda value=value: stage.write({"kam_probability": value})
            )
        # Within PostgreSQL's range but beyond any date: refused by the rule.
        self._assert_refused(lambda: stage.write({"kam_max_age_days": 10**6}))
        self.assertEqual(self.stage_fm.kam_max_age_days, 14)
        self.assertEqual(self.stage_fm.kam_probability, 10.0)
        stage.write({"kam_max_age_days": 36500})
        self.assertIn(
            self.lead, self.env["crm.lead"].search([("kam_is_too_old", "=", False)])
        )

    def test_checklist_items_refuse_absurd_sequences(self):
        Template = self.env["kam.stage.checklist.template"].with_user(self.director)
        for value in (2**40, float("nan"), "abc"):
            self._assert_refused(
                lambda value=value: Template.create(
                    {"name": "Absurd", "stage_id": self.stage_fm.id, "sequence": value}
                )
            )

    # -- deals

    def test_deals_refuse_absurd_numbers(self):
        lead = self.lead.with_user(self.rep)
        for vals in (
            {"probability": float("nan")},
            {"probability": "abc"},
            {"expected_revenue": float("inf")},
            {"color": 2**40},
        ):
            self._assert_refused(lambda vals=vals: lead.write(vals))
            self._assert_refused(
                lambda vals=vals: self.env["crm.lead"]
                .with_user(self.rep)
                .create({"name": "Absurd deal", **vals})
            )
        # Unchanged: its category's (issue 10).
        self.assertEqual(self.lead.probability, self.stage_fm.kam_probability)

    def test_absurd_dates_and_flags_are_refused(self):
        # A date no calendar has, on a field the system keeps: refused as such.
        self._assert_refused(
            lambda: self.lead.with_user(self.rep).write(
                {"date_last_stage_update": "2041-02-30 00:00:00"}
            ),
            UserError,
        )
        Lead = self.env["crm.lead"].with_user(self.rep)
        for value in ("2041-02-30", 2**40, float("nan")):
            self._assert_refused(
                lambda value=value: Lead.search([("kam_is_too_old", "=", value)]),
                UserError,
            )
            self._assert_refused(
                lambda value=value: Lead.search([("kam_no_next_step", "=", value)]),
                UserError,
            )
