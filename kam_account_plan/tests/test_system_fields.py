import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AccountPlanCase

FORGED_DAY = datetime.date(2026, 3, 1)
FORGED_AMOUNT = 9_999_999


@tagged("post_install", "-at_install")
class TestSystemFields(AccountPlanCase):
    """Audit fields and the figures the system computes are written by the system
    only: no write, create, import, copy, one2many command or context default of a
    rep or of a director sets them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.write(
            {
                "revenue_line_ids": [
                    Command.create(
                        {
                            "period_date": cls.date_start,
                            "amount": 100,
                            "probability": 50,
                        }
                    )
                ],
                "stakeholder_ids": [Command.create({"partner_id": cls.cfo.id})],
                "action_ids": [
                    Command.create({"name": "Visit", "date_deadline": cls.date_end})
                ],
            }
        )
        cls.plan.action_activate()
        cls.action = cls.plan.action_ids
        cls.revenue = cls.plan.revenue_line_ids
        cls.stakeholder = cls.plan.stakeholder_ids

    def _snapshot(self):
        self.env.invalidate_all()
        return {
            "plan": self.plan.read(
                [
                    "code",
                    "last_review_date",
                    "last_reviewer_id",
                    "previous_plan_id",
                    "forecast_total",
                    "forecast_weighted",
                    "gap_to_plan",
                    "figures_date",
                    "next_review_date",
                    "partnership_score",
                ]
            ),
            "action": self.action.read(
                ["date_done", "done_by_id", "is_cancelled", "activity_id"]
            ),
            "revenue": self.revenue.read(["weighted_amount", "company_id"]),
            "stakeholder": self.stakeholder.read(["function_at_plan", "status"]),
        }

    def test_plan_system_fields_refused_to_rep_and_director(self):
        before = self._snapshot()
        other = self.Plan.create(self._plan_values(partner_id=self.other_account.id))
        forged_values = [
            {"last_review_date": FORGED_DAY},
            {"last_reviewer_id": self.director.id},
            {"code": "KAP/FORGED"},
            {"previous_plan_id": other.id},
            {"forecast_total": FORGED_AMOUNT},
            {"forecast_weighted": FORGED_AMOUNT},
            {"gap_to_plan": 0},
            {"figures_date": FORGED_DAY},
            {"next_review_date": datetime.date(2030, 1, 1)},
            {"partnership_score": 100},
        ]
        for user in (self.rep, self.director):
            plan = self.plan.with_user(user)
            for values in forged_values:
                with self.subTest(user=user.login, values=values):
                    with self.assertRaisesText(AccessError, "set by the system only"):
                        plan.write(values)
                    with self.assertRaisesText(AccessError, "set by the system only"):
                        plan.web_save({"name": "Honest title", **values}, {})
        self.assertEqual(self._snapshot(), before)

    def test_plan_system_fields_refused_on_create_copy_and_import(self):
        count = self.Plan.search_count([])
        self.other_account.kam_manager_id = self.rep
        Plan = self.Plan.with_user(self.rep)
        values = self._plan_values(partner_id=self.other_account.id)
        for forged in (
            {"last_review_date": FORGED_DAY},
            {"code": "KAP/FORGED"},
            {"forecast_weighted": FORGED_AMOUNT},
        ):
            with self.subTest(forged=forged):
                with self.assertRaisesText(AccessError, "set by the system only"):
                    Plan.create({**values, **forged})
                with self.assertRaisesText(AccessError, "set by the system only"):
                    Plan.web_save({**values, **forged}, {})
        self.plan.action_close()
        with self.assertRaisesText(AccessError, "set by the system only"):
            self.plan.with_user(self.rep).copy({"last_review_date": FORGED_DAY})
        result = Plan.load(
            ["partner_id/.id", "date_start", "date_end", "last_review_date"],
            [[str(self.other_account.id), "2027-01-01", "2027-12-31", "2026-03-01"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("set by the system only", result["messages"][0]["message"])
        self.assertEqual(self.Plan.search_count([]), count)

    def test_context_defaults_do_not_set_system_fields(self):
        self.other_account.kam_manager_id = self.rep
        plan = (
            self.Plan.with_user(self.rep)
            .with_context(
                default_last_review_date=FORGED_DAY,
                default_last_reviewer_id=self.director.id,
                default_code="KAP/FORGED",
            )
            .create(self._plan_values(partner_id=self.other_account.id))
        )
        self.assertFalse(plan.last_review_date)
        self.assertFalse(plan.last_reviewer_id)
        self.assertTrue(plan.code.startswith("KAP/"))
        self.assertNotEqual(plan.code, "KAP/FORGED")
        line = (
            self.env["kam.account.plan.action"]
            .with_user(self.rep)
            .with_context(default_date_done=FORGED_DAY, default_done_by_id=self.rep2.id)
            .create(
                {"plan_id": plan.id, "name": "Call", "date_deadline": self.date_end}
            )
        )
        self.assertFalse(line.date_done)
        self.assertFalse(line.done_by_id)

    def test_line_system_fields_refused_through_the_plan_form(self):
        before = self._snapshot()
        line_commands = [
            ("action_ids", self.action, {"date_done": FORGED_DAY}),
            ("action_ids", self.action, {"done_by_id": self.rep2.id}),
            ("action_ids", self.action, {"is_cancelled": True}),
            ("action_ids", self.action, {"activity_id": False}),
            ("action_ids", self.action, {"partner_id": self.other_account.id}),
            ("revenue_line_ids", self.revenue, {"weighted_amount": FORGED_AMOUNT}),
            ("revenue_line_ids", self.revenue, {"company_id": self.env.company.id}),
            ("stakeholder_ids", self.stakeholder, {"function_at_plan": "Intern"}),
            ("stakeholder_ids", self.stakeholder, {"status": "active"}),
        ]
        for user in (self.rep, self.director):
            plan = self.plan.with_user(user)
            for field_name, line, values in line_commands:
                with self.subTest(user=user.login, line=line._name, values=values):
                    with self.assertRaisesText(AccessError, "set by the system only"):
                        plan.web_save(
                            {field_name: [Command.update(line.id, values)]}, {}
                        )
                    with self.assertRaisesText(AccessError, "set by the system only"):
                        line.with_user(user).write(values)
        with self.assertRaisesText(AccessError, "set by the system only"):
            self.plan.with_user(self.rep).write(
                {
                    "action_ids": [
                        Command.create(
                            {
                                "name": "Already done",
                                "date_deadline": self.date_end,
                                "date_done": FORGED_DAY,
                            }
                        )
                    ]
                }
            )
        self.assertEqual(self._snapshot(), before)

    @freeze_time("2026-04-20")
    def test_the_system_still_writes_them(self):
        self.action.with_user(self.rep).action_done()
        self.assertEqual(self.action.date_done, datetime.date(2026, 4, 20))
        self.assertEqual(self.action.done_by_id, self.rep)
        self.action.with_user(self.rep).action_reopen()
        self.assertFalse(self.action.date_done)
        self.assertFalse(self.action.done_by_id)
        self.action.with_user(self.rep).action_cancel()
        self.assertTrue(self.action.is_cancelled)
        self.plan.with_user(self.director).action_mark_reviewed()
        self.assertEqual(self.plan.last_review_date, datetime.date(2026, 4, 20))
        self.assertEqual(self.plan.last_reviewer_id, self.director)
        # Only with the right to change the plan.
        with self.assertRaises(AccessError):
            self.plan.with_user(self.rep2).action_mark_reviewed()
        with self.assertRaises(AccessError):
            self.action.with_user(self.rep2).action_reopen()
        new = self.Plan.browse(
            self.plan.with_user(self.rep).action_copy_to_next_period()["res_id"]
        )
        self.assertEqual(new.previous_plan_id, self.plan)
        self.assertEqual(new.stakeholder_ids.function_at_plan, "CEO")
