import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestRiskSignals(AccountPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.write(
            {
                "stakeholder_ids": [
                    Command.create(
                        {
                            "partner_id": cls.cfo.id,
                            "role": "decision_maker",
                            "is_key": True,
                        }
                    ),
                    Command.create(
                        {"partner_id": cls.buyer.id, "role": "user", "is_key": False}
                    ),
                ],
            }
        )
        cls.plan.action_activate()
        cls.key = cls.plan.stakeholder_ids.filtered("is_key")

    def _risks(self):
        self.plan.invalidate_recordset()
        return {name for name in self.plan._risk_field_names() if self.plan[name]}

    def test_healthy_plan(self):
        self.assertEqual(self._risks(), set())
        self.assertFalse(self.plan.is_at_risk)
        self.assertEqual(self.plan.risk_count, 0)
        self.assertNotIn(self.plan, self.Plan.search([("is_at_risk", "=", True)]))
        self.assertIn(self.plan, self.Plan.search([("is_at_risk", "=", False)]))

    def test_key_stakeholder_left(self):
        self.cfo.action_archive()
        self.assertEqual(self.key.status, "left")
        self.assertEqual(self._risks(), {"risk_stakeholder_change"})
        self.assertIn(self.plan, self.Plan.search([("is_at_risk", "=", True)]))

    def test_key_stakeholder_moved_to_another_company(self):
        self.cfo.parent_id = self.other_account
        self.assertEqual(self.key.status, "left")
        self.assertEqual(self._risks(), {"risk_stakeholder_change"})

    def test_key_stakeholder_changed_role(self):
        self.cfo.function = "Chairman of the board"
        self.assertEqual(self.key.status, "role_changed")
        self.assertEqual(self._risks(), {"risk_stakeholder_change"})
        # acknowledged on the plan: the new position becomes the reference
        self.key.function_at_plan = "Chairman of the board"
        self.assertEqual(self._risks(), set())

    def test_other_stakeholder_changes_are_no_risk(self):
        self.buyer.function = "Head of purchasing"
        self.assertEqual(self._risks(), set())
        self.plan.stakeholder_ids.filtered(lambda s: not s.is_key).has_left = True
        self.assertEqual(self._risks(), set())

    def test_revenue_decline(self):
        self.account.write({"kam_revenue_prev_12m": 100000, "kam_revenue_12m": 40000})
        self.assertTrue(self.account.kam_revenue_declining)
        self.assertEqual(self._risks(), {"risk_revenue_decline"})

    def test_no_contact_within_cadence(self):
        self.account.write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic account"}
        )
        self.account.kam_last_contact_date = datetime.date(2026, 2, 20)
        self.assertEqual(self._risks(), set())
        self.account.kam_last_contact_date = datetime.date(2025, 12, 1)
        self.assertTrue(self.account.kam_is_overdue)
        self.assertEqual(self._risks(), {"risk_contact_overdue"})

    def test_no_feedback_for_long(self):
        self.env["ir.config_parameter"].set_param(
            "kam_account_plan.feedback_silence_days", 30
        )
        # counted from the start of the plan when no feedback was ever recorded
        self.assertEqual(self._risks(), {"risk_no_feedback"})
        self.plan.last_feedback_date = datetime.date(2026, 2, 15)
        self.assertEqual(self._risks(), set())

    def test_closed_plans_are_not_searched_at_risk(self):
        self.cfo.action_archive()
        self.plan.action_close()
        self.assertNotIn(self.plan, self.Plan.search([("is_at_risk", "=", True)]))
