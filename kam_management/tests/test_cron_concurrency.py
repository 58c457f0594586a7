"""Two workers running the daily job at once: the second one leaves it to the first.

Two real transactions (two cursors of the registry); nothing is committed.
"""

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.kam_management.jobs import try_job_lock
from odoo.addons.kam_management.models.kam_refresh import DAILY_JOB_LOCK


@tagged("post_install", "-at_install")
class TestDailyJobConcurrency(TransactionCase):
    def test_a_second_worker_does_nothing_while_the_first_runs(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # The first worker is inside the job: it holds the job's lock.
            self.assertTrue(try_job_lock(cr1, DAILY_JOB_LOCK))
            today = fields.Date.context_today(env2["res.partner"])
            refreshed = env2["res.partner"].search_count(
                [("kam_refresh_date", "=", today)]
            )
            activities = env2["mail.activity"].search_count([])
            self.assertEqual(env2["res.partner"]._cron_kam_daily(), 0)
            env2.flush_all()
            self.assertEqual(
                env2["res.partner"].search_count([("kam_refresh_date", "=", today)]),
                refreshed,
            )
            self.assertEqual(env2["mail.activity"].search_count([]), activities)
            cr2.rollback()
            cr1.rollback()
            # Once the first one is done, a worker takes the lock again.
            self.assertTrue(try_job_lock(cr2, DAILY_JOB_LOCK))
            cr2.rollback()
