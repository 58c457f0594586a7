import datetime

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import SQL

from .common import AccountPlanCase

CONTEXT = {"tracking_disable": True, "mail_create_nolog": True}


@tagged("post_install", "-at_install")
class TestReviewCronConcurrency(AccountPlanCase):
    """Two workers running the review job at once (a multi-worker server, or "Run
    manually" while the scheduler runs it) raise each review once.

    The workers are two real cursors that commit: the test works on a plan of its own
    and deletes every row committed after it started."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            cr.execute(SQL("SELECT COALESCE(max(id), 0) FROM mail_activity"))
            self.last_activity_id = cr.fetchone()[0]
            cr.execute(SQL("SELECT COALESCE(max(id), 0) FROM mail_followers"))
            self.last_follower_id = cr.fetchone()[0]
            admin = env.ref("base.user_admin")
            account = env["res.partner"].create(
                {"name": "Review Race Ltd", "is_company": True}
            )
            plan = env["kam.account.plan"].create(
                {
                    "partner_id": account.id,
                    "user_id": admin.id,
                    "reviewer_id": admin.id,
                    "date_start": datetime.date(2020, 1, 1),
                    "date_end": datetime.date(2020, 12, 31),
                    "review_cadence": "monthly",
                }
            )
            plan.action_activate()
            self.account_id, self.plan_id = account.id, plan.id
        self.addCleanup(self._delete_committed)

    def _delete_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            env["mail.activity"].search([("id", ">", self.last_activity_id)]).unlink()
            cr.execute(
                SQL("DELETE FROM mail_followers WHERE id > %s", self.last_follower_id)
            )
            plan = env["kam.account.plan"].browse(self.plan_id)
            plan.action_close()
            plan.unlink()
            env["res.partner"].browse(self.account_id).unlink()

    def _worker(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        # Without the job's lock the second worker would wait for the first one's
        # rows: fail within seconds rather than hang the test.
        cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _new_review_activities(self):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    SELECT res_id, count(*)
                      FROM mail_activity
                     WHERE id > %s
                       AND res_model = 'kam.account.plan'
                       AND activity_type_id = %s
                  GROUP BY res_id
                    """,
                    self.last_activity_id,
                    self.env.ref("kam_account_plan.mail_activity_type_plan_review").id,
                )
            )
            return dict(cr.fetchall())

    def test_two_workers_raise_each_review_once(self):
        worker1, worker2 = self._worker(), self._worker()
        worker1["kam.account.plan"]._cron_schedule_reviews()
        # The second worker starts while the first one has not committed yet.
        worker2["kam.account.plan"]._cron_schedule_reviews()
        worker2.cr.commit()
        worker1.cr.commit()
        reviews = self._new_review_activities()
        self.assertEqual(reviews.get(self.plan_id), 1)
        self.assertEqual(set(reviews.values()), {1}, "no plan reviewed twice")
        # The job stays idempotent once the first run is committed.
        worker3 = self._worker()
        worker3["kam.account.plan"]._cron_schedule_reviews()
        worker3.cr.commit()
        self.assertEqual(self._new_review_activities(), reviews)
