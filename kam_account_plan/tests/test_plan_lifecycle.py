import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestPlanLifecycle(AccountPlanCase):
    """A plan through its life: copied to the next period, its actuals and pipeline,
    its lines and their access, review, bad input, close and reset, the activities of
    its action plan."""

    def _competitors_and_whitespace(self, plan):
        rival = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        plan.competitor_ids = [
            Command.create({"name": "Initrode", "sequence": 1}),
            Command.create(
                {"name": "Acme Corp", "competitor_partner_id": rival.id, "sequence": 2}
            ),
            Command.create({"name": "Vandelay", "sequence": 3}),
        ]
        initrode, acme, vandelay = plan.competitor_ids
        plan.whitespace_ids = [
            Command.create(
                {
                    "unit_name": unit,
                    "product_categ_id": self.categ_pumps.id,
                    "status": "competitor",
                    "competitor_id": competitor.id,
                }
            )
            for unit, competitor in (
                ("Plant A", initrode),
                ("Plant B", acme),
                ("Plant C", vandelay),
            )
        ]
        return rival

    def _check_copied_cells(self, new):
        cells = {cell.unit_name: cell for cell in new.whitespace_ids}
        self.assertEqual(len(cells), 3)
        for cell in cells.values():
            self.assertEqual(cell.competitor_id.plan_id, new)
        self.assertEqual(cells["Plant A"].competitor_id.name, "Initrode")
        self.assertEqual(cells["Plant B"].competitor_id.name, "Acme Corp")
        self.assertEqual(cells["Plant C"].competitor_id.name, "Vandelay")

    # -- copies keep the whitespace competitors
    def test_copy_to_next_period_maps_whitespace_competitors(self):
        self._competitors_and_whitespace(self.plan)
        action = self.plan.action_copy_to_next_period()
        new = self.Plan.browse(action["res_id"])
        self._check_copied_cells(new)
        # the old cells keep their competitors
        self.assertEqual(self.plan.whitespace_ids.competitor_id.plan_id, self.plan)

    def test_duplicate_maps_whitespace_competitors(self):
        self._competitors_and_whitespace(self.plan)
        self.plan.action_close()
        new = self.plan.copy()
        self._check_copied_cells(new)

    # -- copies to the next period keep whole months
    def test_copy_yearly_plan_keeps_months(self):
        self.plan.action_close()
        plan = self.Plan.create(
            self._plan_values(
                date_start=datetime.date(2027, 1, 1),
                date_end=datetime.date(2027, 12, 31),
                revenue_line_ids=[
                    Command.create(
                        {"period_date": datetime.date(2027, 3, 1), "amount": 100}
                    ),
                    Command.create(
                        {"period_date": datetime.date(2027, 12, 1), "amount": 100}
                    ),
                ],
                issue_ids=[
                    Command.create(
                        {
                            "name": "Tender",
                            "date_start": datetime.date(2027, 3, 1),
                            "date_deadline": datetime.date(2027, 12, 31),
                        }
                    )
                ],
                action_ids=[
                    Command.create(
                        {"name": "Call", "date_deadline": datetime.date(2027, 3, 1)}
                    )
                ],
            )
        )
        new = self.Plan.browse(plan.action_copy_to_next_period()["res_id"])
        self.assertEqual(
            new.revenue_line_ids.mapped("period_date"),
            [datetime.date(2028, 3, 1), datetime.date(2028, 12, 1)],
        )
        self.assertEqual(new.issue_ids.date_start, datetime.date(2028, 3, 1))
        self.assertEqual(new.issue_ids.date_deadline, datetime.date(2028, 12, 31))
        self.assertEqual(new.action_ids.date_deadline, datetime.date(2028, 3, 1))

    def test_copy_quarter_and_month_plans_keep_months(self):
        self.plan.action_close()
        quarter = self.Plan.create(
            self._plan_values(
                date_start=datetime.date(2027, 1, 1),
                date_end=datetime.date(2027, 3, 31),
                revenue_line_ids=[
                    Command.create({"period_date": datetime.date(2027, m, 1)})
                    for m in (1, 2, 3)
                ],
            )
        )
        new = self.Plan.browse(quarter.action_copy_to_next_period()["res_id"])
        self.assertEqual(new.date_start, datetime.date(2027, 4, 1))
        self.assertEqual(
            new.revenue_line_ids.mapped("period_date"),
            [datetime.date(2027, m, 1) for m in (4, 5, 6)],
        )
        month = self.Plan.create(
            self._plan_values(
                partner_id=self.other_account.id,
                date_start=datetime.date(2027, 1, 1),
                date_end=datetime.date(2027, 1, 31),
                revenue_line_ids=[
                    Command.create({"period_date": datetime.date(2027, 1, 31)})
                ],
            )
        )
        new = self.Plan.browse(month.action_copy_to_next_period()["res_id"])
        self.assertEqual(new.date_end, datetime.date(2027, 2, 28))
        self.assertEqual(new.revenue_line_ids.period_date, datetime.date(2027, 2, 28))

    def test_copy_plan_not_month_aligned_shifts_days(self):
        self.plan.action_close()
        plan = self.Plan.create(
            self._plan_values(
                date_start=datetime.date(2027, 1, 10),
                date_end=datetime.date(2027, 2, 8),
                revenue_line_ids=[
                    Command.create({"period_date": datetime.date(2027, 1, 20)})
                ],
            )
        )
        new = self.Plan.browse(plan.action_copy_to_next_period()["res_id"])
        self.assertEqual(new.date_start, datetime.date(2027, 2, 9))
        self.assertEqual(new.revenue_line_ids.period_date, datetime.date(2027, 2, 19))

    # -- actuals of the plan's company only
    @freeze_time("2026-06-15")
    def test_actuals_leave_out_other_companies(self):
        other_company = self.env["res.company"].create({"name": "Globex Rival Inc"})
        self._sale(
            self.account, 1000, datetime.date(2026, 3, 1)
        ).company_id = self.company
        self._sale(
            self.account, 5000, datetime.date(2026, 3, 1)
        ).company_id = other_company
        self._sale(self.account, 300, datetime.date(2026, 3, 1)).company_id = False
        self.plan.action_refresh_figures()
        self.assertEqual(self.plan.actual_to_date, 1300)

    # -- lines stay in a plan the user may edit
    def test_rep_cannot_move_lines_into_another_reps_plan(self):
        self.plan.action_close()
        own = self.Plan.create(
            self._plan_values(
                date_start=datetime.date(2027, 1, 1),
                date_end=datetime.date(2027, 12, 31),
            )
        )
        other = self.Plan.create(
            self._plan_values(
                partner_id=self.other_account.id,
                user_id=self.rep2.id,
                date_start=datetime.date(2027, 1, 1),
                date_end=datetime.date(2027, 12, 31),
            )
        )
        issue = self.env["kam.account.plan.issue"].create(
            {"plan_id": own.id, "name": "Price pressure"}
        )
        competitor = self.env["kam.account.plan.competitor"].create(
            {"plan_id": own.id, "name": "Initrode"}
        )
        for line in (issue, competitor, own.evaluation_ids[:1]):
            with self.assertRaises(AccessError):
                line.with_user(self.rep).write({"plan_id": other.id})
            self.assertEqual(line.plan_id, own)
        # within their own plans, moving is fine
        third = self.Plan.create(
            self._plan_values(
                date_start=datetime.date(2028, 1, 1),
                date_end=datetime.date(2028, 12, 31),
            )
        )
        issue.with_user(self.rep).write({"plan_id": third.id})
        self.assertEqual(issue.plan_id, third)

    # -- a review done from the activity counts
    def test_review_done_from_the_activity(self):
        review_type = self.env.ref("kam_account_plan.mail_activity_type_plan_review")

        def reviews():
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "kam.account.plan"),
                    ("res_id", "=", self.plan.id),
                    ("activity_type_id", "=", review_type.id),
                ]
            )

        self.plan.action_activate()
        with freeze_time("2026-04-01"):
            self.Plan._cron_schedule_reviews()
            self.assertEqual(len(reviews()), 1)
            self.plan.action_start_review()
            reviews().with_user(self.director).action_feedback(feedback="Fine")
            self.assertEqual(self.plan.last_review_date, datetime.date(2026, 4, 1))
            self.assertEqual(self.plan.state, "active")
            self.assertEqual(self.plan.next_review_date, datetime.date(2026, 7, 1))
        with freeze_time("2026-04-02"):
            self.Plan._cron_schedule_reviews()
            self.assertFalse(reviews())

    # -- bad input in the form gives a message
    def test_bad_input_in_the_form(self):
        self.plan.action_close()
        form = Form(self.Plan.with_user(self.rep))
        form.partner_id = self.account
        form.date_start = datetime.date(2027, 1, 1)
        form.date_end = datetime.date(2027, 12, 31)
        with form.revenue_line_ids.new() as line:
            line.period_date = datetime.date(2027, 1, 1)
            line.amount = 1000
            line.probability = 150
        self.assertEqual(form.forecast_total, 1000)
        with form.evaluation_ids.new() as evaluation:
            evaluation.name = "Trust"
            evaluation.weight = -2
            evaluation.score = "3"
        self.assertEqual(form.partnership_score, 0)
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            form.save()

    # -- reset to draft reopens what the close cancelled
    @freeze_time("2026-06-15")
    def test_reset_to_draft_reopens_actions_cancelled_by_the_close(self):
        Action = self.env["kam.account.plan.action"]
        kept, dropped = Action.create(
            [
                {
                    "plan_id": self.plan.id,
                    "name": name,
                    "date_deadline": datetime.date(2026, 7, 1),
                }
                for name in ("Kept", "Dropped")
            ]
        )
        self.plan.action_activate()
        dropped.action_cancel()
        self.plan.action_close()
        self.assertTrue(kept.is_cancelled)
        self.assertTrue(kept.cancelled_by_close)
        self.assertFalse(dropped.cancelled_by_close)
        self.plan.action_reset_to_draft()
        self.assertFalse(kept.is_cancelled)
        self.assertTrue(dropped.is_cancelled)
        self.plan.action_activate()
        self.assertEqual(kept.status, "planned")
        self.assertTrue(kept.activity_id.active)
        self.assertEqual(dropped.status, "cancelled")

    # -- activities of the action plan in one batch
    @freeze_time("2026-06-15")
    def test_activities_created_in_batch(self):
        self.plan.action_close()

        def make_plans(year, count):
            plans = self.Plan.create(
                [
                    self._plan_values(
                        partner_id=partner.id,
                        date_start=datetime.date(year, 1, 1),
                        date_end=datetime.date(year, 12, 31),
                        action_ids=[
                            Command.create(
                                {
                                    "name": f"Action {i}",
                                    # assigned to oneself: no notification mail
                                    "user_id": self.env.user.id,
                                    "date_deadline": datetime.date(year, 7, i + 1),
                                }
                            )
                            for i in range(2 * count)
                        ],
                    )
                    for partner in (self.account, self.other_account)
                ]
            )
            self.env.flush_all()
            return plans

        # the first activation warms the caches (ir.model, access rules)
        small = make_plans(2027, 1)
        small.action_activate()
        large = make_plans(2028, 5)
        before = self.env.cr.sql_log_count
        large.action_activate()
        self.env.flush_all()
        # 20 lines on 2 plans: one create for all the activities (about 10 queries;
        # about 50 with one activity_schedule() per line).
        self.assertLessEqual(self.env.cr.sql_log_count - before, 20)
        for plans in (small, large):
            lines = plans.action_ids
            self.assertEqual(len(lines.activity_id), len(lines))
            for line in lines:
                self.assertEqual(line.activity_id.res_id, line.plan_id.id)
                self.assertEqual(line.activity_id.summary, line.name)
                self.assertEqual(line.activity_id.user_id, line.user_id)
            activities = self.env["mail.activity"].search(
                [("res_model", "=", "kam.account.plan"), ("res_id", "in", plans.ids)]
            )
            self.assertEqual(activities, lines.activity_id)
        # idempotent
        large.action_ids._sync_activities()
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "kam.account.plan"), ("res_id", "in", large.ids)]
            ),
            10 * 2,
        )

    # -- opportunities without a company count in the pipeline
    @freeze_time("2026-06-15")
    def test_pipeline_counts_opportunities_without_company(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "No company deal",
                "type": "opportunity",
                "partner_id": self.account.id,
                "expected_revenue": 10000,
                "probability": 50,
            }
        )
        lead.company_id = False
        self.plan.action_refresh_figures()
        self.assertEqual(self.plan.pipeline_weighted, 5000)
