import ast
import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import AccountPlanCase

TODAY = "2026-06-15"


@tagged("post_install", "-at_install")
class TestPlanGap(AccountPlanCase):
    """Plan against weighted pipeline and actuals, stored for the managers' ranking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Globex Rival Inc"})
        cls.plan.revenue_line_ids = [
            Command.create(
                {
                    "period_date": datetime.date(2026, 1, 1),
                    "product_categ_id": cls.categ_pumps.id,
                    "amount": 100000,
                    "probability": 90,
                }
            ),
            Command.create(
                {
                    "period_date": datetime.date(2026, 7, 1),
                    "product_categ_id": cls.categ_valves.id,
                    "amount": 40000,
                    "probability": 25,
                }
            ),
        ]

    @classmethod
    def _opportunity(cls, partner, amount, probability, deadline=None, **values):
        return cls.env["crm.lead"].create(
            {
                "name": f"Opportunity {partner.name} {amount}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": amount,
                "probability": probability,
                "date_deadline": deadline,
                "company_id": cls.company.id,
                **values,
            }
        )

    def _build_pipeline(self):
        # counted: open, of the account or one of its contacts, closing in the period
        # or without an expected closing date
        self._opportunity(self.account, 20000, 50, datetime.date(2026, 6, 30))
        self._opportunity(self.cfo, 10000, 30)
        self._opportunity(self.buyer, 8000, 0, datetime.date(2026, 2, 1))
        # not counted: closing after the period, another account, another company,
        # a lead, a lost opportunity
        self._opportunity(self.account, 50000, 50, datetime.date(2027, 2, 1))
        self._opportunity(self.other_account, 60000, 80, datetime.date(2026, 5, 1))
        self._opportunity(
            self.account, 70000, 90, company_id=self.other_company.id
        ).company_id = self.other_company
        self._opportunity(self.account, 11000, 60, type="lead")
        self._opportunity(self.account, 12000, 60).action_set_lost()
        # won: actual to date when closed by today, never pipeline
        self._sale(self.account, 30000, datetime.date(2026, 3, 15))
        self._sale(self.buyer, 5000, datetime.date(2026, 6, 15))
        self._sale(self.account, 44000, datetime.date(2026, 9, 1))
        self._sale(self.account, 99000, datetime.date(2025, 12, 1))

    def test_figures(self):
        self._build_pipeline()
        with freeze_time(TODAY):
            self.plan.action_refresh_figures()
        self.assertEqual(self.plan.forecast_total, 140000)
        self.assertEqual(self.plan.pipeline_weighted, 13000)
        self.assertEqual(self.plan.actual_to_date, 35000)
        self.assertEqual(self.plan.gap_to_plan, 92000)
        self.assertAlmostEqual(self.plan.plan_coverage, 34.3)  # 48000 / 140000
        self.assertEqual(self.plan.figures_date, datetime.date(2026, 6, 15))

    def test_gap_follows_the_forecast_lines(self):
        self._build_pipeline()
        with freeze_time(TODAY):
            self.plan.action_refresh_figures()
            self.plan.revenue_line_ids[1].unlink()
            self.assertEqual(self.plan.gap_to_plan, 52000)
            self.assertAlmostEqual(self.plan.plan_coverage, 48.0)
            self.plan.revenue_line_ids.amount = 40000
            self.assertEqual(self.plan.gap_to_plan, -8000)
            self.assertAlmostEqual(self.plan.plan_coverage, 120.0)
        # a closed plan keeps its pipeline and actuals, its gap follows the forecast
        self.plan.action_close()
        self.plan.revenue_line_ids.amount = 50000
        self.assertEqual(self.plan.actual_to_date, 35000)
        self.assertEqual(self.plan.gap_to_plan, 2000)

    def test_actual_to_date_stops_at_plan_end_and_starts_at_plan_start(self):
        self._build_pipeline()
        with freeze_time("2027-03-01"):
            self.plan.action_refresh_figures()
        self.assertEqual(self.plan.actual_to_date, 79000)
        with freeze_time("2025-12-15"):
            self.plan.action_refresh_figures()
        self.assertEqual(self.plan.actual_to_date, 0)

    def test_ranking_by_gap(self):
        with freeze_time(TODAY):
            self._build_pipeline()
            small = self.Plan.create(
                self._plan_values(
                    partner_id=self.other_account.id,
                    revenue_line_ids=[
                        Command.create(
                            {
                                "period_date": datetime.date(2026, 1, 1),
                                "amount": 10000,
                            }
                        )
                    ],
                )
            )
            third = self.env["res.partner"].create(
                {"name": "Umbrella", "is_company": True}
            )
            big = self.Plan.create(
                self._plan_values(
                    partner_id=third.id,
                    revenue_line_ids=[
                        Command.create(
                            {
                                "period_date": datetime.date(2026, 1, 1),
                                "amount": 200000,
                            }
                        )
                    ],
                )
            )
            closed = self.Plan.create(
                self._plan_values(
                    partner_id=third.id,
                    date_start=datetime.date(2025, 1, 1),
                    date_end=datetime.date(2025, 12, 31),
                    revenue_line_ids=[
                        Command.create(
                            {
                                "period_date": datetime.date(2025, 1, 1),
                                "amount": 900000,
                            }
                        )
                    ],
                )
            )
            closed.action_close()
            self.plan.action_refresh_figures()
        # the other account's open opportunity (60000 x 80 %) covers its plan
        self.assertEqual(small.pipeline_weighted, 48000)
        self.assertEqual(small.gap_to_plan, -38000)
        self.assertEqual(big.gap_to_plan, 200000)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_account_plan.action_kam_account_plan_gap"
        )
        view = self.env.ref("kam_account_plan.kam_account_plan_view_list_gap")
        self.assertIn('default_order="gap_to_plan desc"', view.arch)
        ranked = self.Plan.with_user(self.director).search(
            ast.literal_eval(action["domain"]), order="gap_to_plan desc"
        )
        mine = big | self.plan | small
        # (the demo plans, if any, rank among them)
        self.assertEqual(
            ranked.filtered(lambda plan: plan in mine).ids,
            [big.id, self.plan.id, small.id],
        )
        self.assertNotIn(closed, ranked)

    def test_cron_refreshes_set_based_and_idempotent(self):
        other = self.Plan.create(self._plan_values(partner_id=self.other_account.id))
        self._build_pipeline()
        self.env.flush_all()  # the figures of the new plan are computed on creation
        Revenue = self.registry["kam.revenue"]
        original = Revenue._kam_revenue_by_partner
        with (
            freeze_time(TODAY),
            patch.object(
                Revenue,
                "_kam_revenue_by_partner",
                autospec=True,
                side_effect=original,
            ) as revenue,
        ):
            self.Plan._cron_schedule_reviews()
            # one revenue call for the two plans of the same company and period
            self.assertEqual(revenue.call_count, 1)
            self.assertEqual(self.plan.pipeline_weighted, 13000)
            self.assertEqual(self.plan.actual_to_date, 35000)
            self.assertEqual(other.pipeline_weighted, 48000)
            # a second run the same day has nothing left to refresh
            self._opportunity(self.account, 10000, 100)
            self.Plan._cron_schedule_reviews()
            self.assertEqual(revenue.call_count, 1)
            self.assertEqual(self.plan.pipeline_weighted, 13000)
        with freeze_time("2026-06-16"):
            self.Plan._cron_schedule_reviews()
        self.assertEqual(self.plan.pipeline_weighted, 23000)

    def test_pipeline_is_one_query_for_all_plans(self):
        plans = self.plan | self.Plan.create(
            self._plan_values(partner_id=self.other_account.id)
        )
        self._build_pipeline()
        self.env.flush_all()
        with self.assertQueryCount(1):
            pipeline = plans._get_pipeline_weighted()
        self.assertEqual(pipeline, {self.plan.id: 13000, plans[1].id: 48000})

    def test_closed_plan_keeps_its_figures(self):
        self._build_pipeline()
        with freeze_time(TODAY):
            self.plan.action_refresh_figures()
            self.plan.action_close()
            self._opportunity(self.account, 10000, 100)
            self.plan.action_refresh_figures()
        self.assertEqual(self.plan.pipeline_weighted, 13000)
