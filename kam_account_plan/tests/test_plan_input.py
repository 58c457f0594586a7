import datetime

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AccountPlanCase

NAN = float("nan")
INF = float("inf")
# The plan's one2many field of each line model.
LINES_FIELDS = {
    "kam.account.plan.revenue.line": "revenue_line_ids",
    "kam.account.plan.product.line": "product_line_ids",
    "kam.account.plan.investment": "investment_ids",
}


@tagged("post_install", "-at_install")
class TestPlanInput(AccountPlanCase):
    """Absurd values sent over RPC (JSON-RPC delivers NaN and Infinity as floats, and
    any string as a date) give a clear ValidationError and change nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.write(
            {
                "revenue_line_ids": [
                    Command.create({"period_date": cls.date_start, "amount": 100})
                ],
                "product_line_ids": [
                    Command.create(
                        {"product_categ_id": cls.categ_pumps.id, "expected_amount": 50}
                    )
                ],
                "investment_ids": [Command.create({"hours": 10, "amount": 500})],
            }
        )

    def _figures(self):
        self.env.invalidate_all()
        return (
            self.plan.read(
                [
                    "date_start",
                    "date_end",
                    "color",
                    "forecast_total",
                    "product_forecast_total",
                    "investment_total",
                    "investment_hours",
                    "last_feedback_date",
                ]
            ),
            self.plan.revenue_line_ids.read(["amount", "probability", "period_date"]),
        )

    def test_impossible_dates(self):
        before = self._figures()
        plan = self.plan.with_user(self.rep)
        for day in ("2041-02-30", "2026-13-01", "20260101", "someday", "0001-01-01"):
            for values in (
                {"date_start": day},
                {"date_end": day},
                {"last_feedback_date": day},
            ):
                with self.subTest(values=values):
                    with self.assertRaisesText(ValidationError, "not a valid date"):
                        plan.write(values)
                    with self.assertRaisesText(ValidationError, "not a valid date"):
                        plan.web_save(values, {})
            with self.subTest(line_date=day):
                with self.assertRaisesText(ValidationError, "not a valid date"):
                    plan.web_save(
                        {
                            "revenue_line_ids": [
                                Command.update(
                                    self.plan.revenue_line_ids.id, {"period_date": day}
                                )
                            ]
                        },
                        {},
                    )
                with self.assertRaisesText(ValidationError, "not a valid date"):
                    plan.write(
                        {
                            "action_ids": [
                                Command.create({"name": "Call", "date_deadline": day})
                            ]
                        }
                    )
        with self.assertRaisesText(ValidationError, "not a valid date"):
            self.Plan.with_user(self.rep).create(
                self._plan_values(date_start="2041-02-30", date_end="2041-12-31")
            )
        self.assertEqual(self._figures(), before)

    def test_nan_infinite_and_huge_numbers(self):
        before = self._figures()
        plan = self.plan.with_user(self.rep)
        lines = [
            (self.plan.revenue_line_ids, "amount"),
            (self.plan.revenue_line_ids, "probability"),
            (self.plan.product_line_ids, "expected_amount"),
            (self.plan.product_line_ids, "quantity"),
            (self.plan.investment_ids, "hours"),
            (self.plan.investment_ids, "amount"),
        ]
        for value in (NAN, INF, -INF, 1e300, 10**30, "NaN"):
            for line, field_name in lines:
                with self.subTest(line=line._name, field=field_name, value=value):
                    with self.assertRaisesText(ValidationError, "not a valid number"):
                        line.with_user(self.rep).write({field_name: value})
                    with self.assertRaisesText(ValidationError, "not a valid number"):
                        plan.web_save(
                            {
                                LINES_FIELDS[line._name]: [
                                    Command.update(line.id, {field_name: value})
                                ]
                            },
                            {},
                        )
        with self.assertRaisesText(ValidationError, "not a valid number"):
            self.env["kam.partnership.criterion"].with_user(self.director).create(
                {"name": "Trust", "weight": NAN}
            )
        self.assertEqual(self._figures(), before)

    def test_huge_integers(self):
        before = self._figures()
        plan = self.plan.with_user(self.rep)
        for value in (2**31, -(2**63), 10**40, 1.5):
            with self.subTest(value=value):
                with self.assertRaisesText(ValidationError, "not a valid whole number"):
                    plan.write({"color": value})
                with self.assertRaisesText(ValidationError, "not a valid whole number"):
                    plan.write(
                        {
                            "revenue_line_ids": [
                                Command.update(
                                    self.plan.revenue_line_ids.id, {"sequence": value}
                                )
                            ]
                        }
                    )
        self.assertEqual(self._figures(), before)

    def test_periods_that_would_overflow(self):
        """A plan that ends near the last date a plan may have: its next period is
        refused with a message, no OverflowError."""
        self.plan.write(
            {
                "date_start": datetime.date(1900, 1, 1),
                "date_end": datetime.date(2999, 12, 31),
                "revenue_line_ids": [Command.clear()],
            }
        )
        count = self.Plan.search_count([])
        with self.assertRaisesText(ValidationError, "not a valid date"):
            self.plan.with_user(self.rep).action_copy_to_next_period()
        with self.assertRaisesText(ValidationError, "not a valid date"):
            self.plan.with_user(self.rep).write({"date_end": "3000-01-01"})
        self.assertEqual(self.Plan.search_count([]), count)
