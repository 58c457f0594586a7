import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestForecast(AccountPlanCase):
    def _lines(self):
        return [
            Command.create(
                {
                    "period_date": datetime.date(2026, 1, 1),
                    "product_categ_id": self.categ_pumps.id,
                    "amount": 100000,
                    "probability": 90,
                }
            ),
            Command.create(
                {
                    "period_date": datetime.date(2026, 7, 1),
                    "product_categ_id": self.categ_valves.id,
                    "amount": 40000,
                    "probability": 25,
                }
            ),
        ]

    def test_forecast_totals(self):
        self.plan.revenue_line_ids = self._lines()
        self.assertEqual(self.plan.forecast_total, 140000)
        self.assertEqual(self.plan.forecast_weighted, 100000)
        self.assertEqual(
            self.plan.revenue_line_ids.mapped("weighted_amount"), [90000, 10000]
        )
        self.plan.revenue_line_ids[1].probability = 50
        self.assertEqual(self.plan.forecast_weighted, 110000)
        self.plan.revenue_line_ids[0].unlink()
        self.assertEqual(self.plan.forecast_total, 40000)
        self.assertEqual(self.plan.forecast_weighted, 20000)

    @freeze_time("2027-01-15")  # after the plan: its whole period is "to date"
    def test_actuals_from_kam_management(self):
        self.plan.revenue_line_ids = self._lines()
        # within the period, also through a contact of the account
        self._sale(self.account, 30000, datetime.date(2026, 3, 15))
        self._sale(self.cfo, 25000, datetime.date(2026, 12, 31))
        # outside the period, or another account
        self._sale(self.account, 99000, datetime.date(2025, 12, 31))
        self._sale(self.other_account, 77000, datetime.date(2026, 5, 1))
        self.plan.action_refresh_figures()
        self.assertEqual(self.plan.actual_to_date, 55000)
        self.assertAlmostEqual(self.plan.achievement_percent, 55.0)
        # 100,000 weighted forecast, 55,000 of it won; 140,000 planned, 85,000 of it
        # neither won nor in the pipeline.
        self.assertEqual(self.plan.forecast_weighted - self.plan.actual_to_date, 45000)
        self.assertEqual(self.plan.gap_to_plan, 85000)

    @freeze_time("2027-01-15")
    def test_actuals_batch_over_periods(self):
        other = self.Plan.create(
            self._plan_values(
                partner_id=self.other_account.id,
                date_start=datetime.date(2026, 4, 1),
                date_end=datetime.date(2026, 6, 30),
            )
        )
        self._sale(self.other_account, 77000, datetime.date(2026, 5, 1))
        self._sale(self.other_account, 1000, datetime.date(2026, 7, 1))
        self._sale(self.account, 5000, datetime.date(2026, 7, 1))
        plans = self.plan | other
        plans.action_refresh_figures()
        self.assertEqual(plans.mapped("actual_to_date"), [5000, 77000])
        # without a forecast there is no achievement ratio
        self.assertEqual(other.achievement_percent, 0)

    def test_product_forecast_and_investment_totals(self):
        self.plan.write(
            {
                "product_line_ids": [
                    Command.create(
                        {
                            "product_categ_id": self.categ_pumps.id,
                            "expected_amount": 1200,
                        }
                    ),
                    Command.create(
                        {
                            "product_categ_id": self.categ_valves.id,
                            "expected_amount": 800,
                            "kind": "new",
                        }
                    ),
                ],
                "investment_ids": [
                    Command.create({"category": "visits", "hours": 12, "amount": 900}),
                    Command.create({"category": "demos", "hours": 4, "amount": 2100}),
                ],
            }
        )
        self.assertEqual(self.plan.product_forecast_total, 2000)
        self.assertEqual(self.plan.investment_total, 3000)
        self.assertEqual(self.plan.investment_hours, 16)

    def test_partnership_score(self):
        lines = self.plan.evaluation_ids
        self.assertEqual(self.plan.partnership_score, 0)
        lines.write({"score": False, "weight": 1})
        lines[0].score = "5"
        self.assertEqual(self.plan.partnership_score, 100)
        lines[1].write({"score": "0", "weight": 3})
        self.assertEqual(self.plan.partnership_score, 25)

    def test_whitespace(self):
        self.plan.whitespace_ids = [
            Command.create(
                {
                    "unit_name": "Plant A",
                    "product_categ_id": self.categ_pumps.id,
                    "status": "ours",
                    "potential_amount": 500,
                }
            ),
            Command.create(
                {
                    "unit_name": "Plant A",
                    "product_categ_id": self.categ_valves.id,
                    "status": "competitor",
                    "potential_amount": 300,
                }
            ),
            Command.create(
                {
                    "unit_name": "Head office",
                    "product_categ_id": self.categ_pumps.id,
                    "status": "none",
                    "potential_amount": 200,
                }
            ),
        ]
        self.assertEqual(self.plan.whitespace_potential, 500)
        matrix = self.plan._get_whitespace_matrix()
        self.assertEqual(matrix["units"], ["Head office", "Plant A"])
        self.assertEqual(matrix["grid"]["Head office"]["Valves"], None)
        self.assertEqual(matrix["grid"]["Plant A"]["Valves"], "competitor")
        html = str(self.plan.whitespace_matrix_html)
        self.assertIn("Buys from a competitor", html)
        self.assertIn("Head office", html)
