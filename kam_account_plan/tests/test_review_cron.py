import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestReviewCron(AccountPlanCase):
    def _reviews(self, plan=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.account.plan"),
                ("res_id", "=", (plan or self.plan).id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("kam_account_plan.mail_activity_type_plan_review").id,
                ),
            ]
        )

    def test_review_cron(self):
        draft = self.Plan.create(self._plan_values(partner_id=self.other_account.id))
        self.plan.action_activate()
        self.assertEqual(self.plan.next_review_date, datetime.date(2026, 4, 1))
        with freeze_time("2026-03-31"):
            self.Plan._cron_schedule_reviews()
            self.assertFalse(self._reviews())
        with freeze_time("2026-04-01"):
            self.Plan._cron_schedule_reviews()
            review = self._reviews()
            self.assertEqual(len(review), 1)
            self.assertEqual(review.user_id, self.director)
            self.assertEqual(review.date_deadline, datetime.date(2026, 4, 1))
            self.assertFalse(self._reviews(draft), "draft plans are not reviewed")
        with freeze_time("2026-04-20"):
            # no duplicate while the review is open
            self.Plan._cron_schedule_reviews()
            self.assertEqual(self._reviews(), review)
            self.plan.action_start_review()
            self.assertEqual(self.plan.state, "review")
            self.plan.action_mark_reviewed()
            self.assertEqual(self.plan.state, "active")
            self.assertFalse(self._reviews())
            self.assertEqual(self.plan.last_review_date, datetime.date(2026, 4, 20))
            self.assertEqual(self.plan.next_review_date, datetime.date(2026, 7, 20))
            self.Plan._cron_schedule_reviews()
            self.assertFalse(self._reviews())
        with freeze_time("2026-07-20"):
            self.Plan._cron_schedule_reviews()
            self.assertEqual(len(self._reviews()), 1)

    def test_review_cron_batches(self):
        plans = self.plan | self.Plan.create(
            self._plan_values(
                partner_id=self.other_account.id, review_cadence="monthly"
            )
        )
        plans.action_activate()
        with freeze_time("2026-05-01"):
            self.Plan._cron_schedule_reviews(batch_size=1)
            self.assertEqual(len(self._reviews(plans[0]) | self._reviews(plans[1])), 1)
            self.Plan._cron_schedule_reviews(batch_size=1)
            self.assertEqual(len(self._reviews(plans[0])), 1)
            self.assertEqual(len(self._reviews(plans[1])), 1)
            self.Plan._cron_schedule_reviews(batch_size=1)
            self.assertEqual(len(self._reviews(plans[0]) | self._reviews(plans[1])), 2)

    def test_cron_record_runs(self):
        cron = self.env.ref("kam_account_plan.ir_cron_schedule_plan_reviews")
        self.plan.action_activate()
        with freeze_time("2026-04-02"):
            cron.method_direct_trigger()
            self.assertEqual(len(self._reviews()), 1)
