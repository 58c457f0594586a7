import datetime

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestAccountPlan(AccountPlanCase):
    def test_defaults(self):
        plan = self.plan
        self.assertEqual(plan.state, "draft")
        self.assertTrue(plan.code.startswith("KAP/"), plan.code)
        self.assertIn("Globex", plan.name)
        self.assertIn(plan.code, plan.display_name)
        criteria = self.env["kam.partnership.criterion"].search([])
        self.assertTrue(criteria)
        self.assertEqual(len(plan.evaluation_ids), len(criteria))
        self.assertEqual(plan.next_review_date, datetime.date(2026, 4, 1))

    def test_dates_reversed(self):
        count = self.Plan.search_count([])
        with self.assertRaisesText(ValidationError, "before it starts"):
            self.Plan.create(
                self._plan_values(
                    partner_id=self.other_account.id,
                    date_start=datetime.date(2027, 2, 1),
                    date_end=datetime.date(2027, 1, 1),
                )
            )
        self.assertEqual(self.Plan.search_count([]), count)
        with self.assertRaises(ValidationError):
            self.plan.date_end = datetime.date(2025, 6, 30)
        self.env.invalidate_all()
        self.assertEqual(self.plan.date_end, self.date_end)

    def test_one_open_plan_per_account_and_period(self):
        overlapping = self._plan_values(
            date_start=datetime.date(2026, 7, 1), date_end=datetime.date(2027, 6, 30)
        )
        with self.assertRaisesText(ValidationError, "already has an open account plan"):
            self.Plan.create(overlapping)
        # another account, or the following period, is fine
        self.Plan.create(self._plan_values(partner_id=self.other_account.id))
        self.Plan.create(
            self._plan_values(
                date_start=datetime.date(2027, 1, 1),
                date_end=datetime.date(2027, 12, 31),
            )
        )
        # a closed plan does not count, but cannot be reopened over an open one
        self.plan.action_close()
        replacement = self.Plan.create(self._plan_values())
        with self.assertRaises(ValidationError):
            self.plan.action_reset_to_draft()
        self.assertEqual(self.plan.state, "closed")
        self.assertEqual(replacement.state, "draft")

    def test_plan_is_for_the_company_not_a_contact(self):
        with self.assertRaisesText(ValidationError, "not for one of its contacts"):
            self.Plan.create(self._plan_values(partner_id=self.cfo.id))

    def test_probability_outside_0_100(self):
        Line = self.env["kam.account.plan.revenue.line"]
        for probability in (-1, 100.5):
            with self.assertRaisesText(ValidationError, "between 0 and 100"):
                Line.create(
                    {
                        "plan_id": self.plan.id,
                        "period_date": self.date_start,
                        "amount": 1000,
                        "probability": probability,
                    }
                )
        self.assertFalse(self.plan.revenue_line_ids)
        line = Line.create(
            {"plan_id": self.plan.id, "period_date": self.date_start, "amount": 1000}
        )
        with self.assertRaises(ValidationError):
            line.probability = 150
        self.env.invalidate_all()
        self.assertEqual(line.probability, 100)
        with self.assertRaisesText(ValidationError, "outside the plan period"):
            line.period_date = datetime.date(2027, 3, 1)
        # moving the plan away from its forecast is refused too
        with self.assertRaisesText(ValidationError, "outside the plan period"):
            self.plan.date_start = datetime.date(2026, 2, 1)
        self.assertEqual(self.plan.date_start, self.date_start)

    def test_stakeholder_from_another_company(self):
        with self.assertRaisesText(ValidationError, "not a contact of Globex"):
            self.plan.write(
                {
                    "stakeholder_ids": [
                        Command.create({"partner_id": self.cfo.id, "role": "sponsor"}),
                        Command.create(
                            {"partner_id": self.outsider.id, "role": "user"}
                        ),
                    ]
                }
            )
        self.env.invalidate_all()
        self.assertFalse(self.plan.stakeholder_ids)
        stakeholder = self.env["kam.account.plan.stakeholder"].create(
            {"plan_id": self.plan.id, "partner_id": self.cfo.id}
        )
        self.assertEqual(stakeholder.function_at_plan, "CEO")
        self.assertEqual(stakeholder.status, "active")

    def test_other_bad_input(self):
        with self.assertRaisesText(ValidationError, "before it starts"):
            self.env["kam.account.plan.issue"].create(
                {
                    "plan_id": self.plan.id,
                    "name": "Single source approval",
                    "date_start": datetime.date(2026, 5, 1),
                    "date_deadline": datetime.date(2026, 4, 1),
                }
            )
        with self.assertRaisesText(ValidationError, "share of wallet"):
            self.env["kam.account.plan.competitor"].create(
                {"plan_id": self.plan.id, "name": "Acme", "share_of_wallet": 120}
            )
        with self.assertRaisesText(ValidationError, "before the plan starts"):
            self.env["kam.account.plan.action"].create(
                {
                    "plan_id": self.plan.id,
                    "name": "Call",
                    "date_deadline": datetime.date(2025, 1, 1),
                }
            )

    def test_copy_to_next_period(self):
        plan = self.plan
        plan.write(
            {
                "executive_summary": "<p>Grow the pump business</p>",
                "revenue_line_ids": [
                    Command.create(
                        {
                            "period_date": datetime.date(2026, 3, 1),
                            "product_categ_id": self.categ_pumps.id,
                            "amount": 50000,
                            "probability": 80,
                        }
                    )
                ],
                "issue_ids": [
                    Command.create(
                        {
                            "name": "Vendor consolidation",
                            "date_start": datetime.date(2026, 2, 1),
                            "date_deadline": datetime.date(2026, 9, 30),
                        }
                    )
                ],
                "stakeholder_ids": [
                    Command.create(
                        {"partner_id": self.cfo.id, "role": "decision_maker"}
                    ),
                    Command.create({"partner_id": self.buyer.id, "role": "gatekeeper"}),
                ],
                "whitespace_ids": [
                    Command.create(
                        {
                            "unit_name": "Plant A",
                            "product_categ_id": self.categ_pumps.id,
                            "status": "ours",
                        }
                    )
                ],
                "action_ids": [
                    Command.create(
                        {"name": "Open", "date_deadline": datetime.date(2026, 11, 1)}
                    ),
                    Command.create(
                        {"name": "Finished", "date_deadline": datetime.date(2026, 2, 1)}
                    ),
                ],
            }
        )
        plan.evaluation_ids[0].score = "4"
        plan.action_ids.filtered(lambda a: a.name == "Finished").action_done()
        # The buyer leaves Globex; the CEO becomes chairman.
        self.buyer.parent_id = self.other_account
        self.cfo.function = "Chairman"

        action = plan.action_copy_to_next_period()
        new = self.Plan.browse(action["res_id"])
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.previous_plan_id, plan)
        self.assertEqual(new.date_start, datetime.date(2027, 1, 1))
        self.assertEqual(new.date_end, datetime.date(2027, 12, 31))
        self.assertIn("Grow the pump business", new.executive_summary)
        self.assertEqual(new.revenue_line_ids.period_date, datetime.date(2027, 3, 1))
        self.assertEqual(new.revenue_line_ids.weighted_amount, 40000)
        self.assertEqual(new.forecast_weighted, 40000)
        self.assertEqual(new.issue_ids.date_deadline, datetime.date(2027, 9, 30))
        self.assertEqual(new.stakeholder_ids.partner_id, self.cfo)
        self.assertEqual(new.stakeholder_ids.function_at_plan, "Chairman")
        self.assertEqual(new.stakeholder_ids.status, "active")
        self.assertEqual(new.whitespace_ids.unit_name, "Plant A")
        self.assertEqual(new.action_ids.mapped("name"), ["Open"])
        self.assertEqual(new.action_ids.date_deadline, datetime.date(2027, 11, 1))
        self.assertEqual(new.evaluation_ids[0].score, "4")
        self.assertNotEqual(new.code, plan.code)
        # the old plan is untouched
        self.assertEqual(plan.revenue_line_ids.period_date, datetime.date(2026, 3, 1))
        self.assertEqual(len(plan.stakeholder_ids), 2)
        # copying again would give a second open plan for 2027
        with self.assertRaisesText(ValidationError, "already has an open account plan"):
            plan.action_copy_to_next_period()

    def test_running_plans_are_not_deleted(self):
        self.plan.action_activate()
        with self.assertRaisesText(UserError, "close it first"):
            self.plan.unlink()
        self.plan.action_close()
        self.plan.unlink()
        self.assertFalse(self.plan.exists())
