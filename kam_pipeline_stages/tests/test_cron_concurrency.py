"""Two workers running the stale-deal job at once give one reminder (issue 9).

The job runs in two real transactions (two cursors of the registry), so what it
does is committed for real: the test removes it at the end.
"""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install", "kam")
class TestCronConcurrency(TransactionCase):
    def _committed_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            cr.execute(
                SQL(
                    "SELECT (SELECT COALESCE(MAX(id), 0) FROM mail_activity),"
                    " (SELECT COALESCE(MAX(id), 0) FROM mail_followers)"
                )
            )
            self.last_activity_id, self.last_follower_id = cr.fetchone()
            self.lead_id = (
                env["crm.lead"]
                .create(
                    {
                        "name": "Concurrency stale deal",
                        "type": "opportunity",
                        "team_id": env.ref(
                            "kam_pipeline_stages.crm_team_key_accounts"
                        ).id,
                        "user_id": env.ref("base.user_admin").id,
                        "stage_id": env.ref(
                            "kam_pipeline_stages.crm_stage_kam_first_meeting"
                        ).id,
                    }
                )
                .id
            )
            env["crm.lead"].browse(self.lead_id).date_last_stage_update = (
                fields.Datetime.now() - timedelta(days=60)
            )
        self.addCleanup(self._remove_committed)

    def _remove_committed(self):
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            # Other stale deals of the database got a reminder (and a follower) too.
            env["mail.activity"].search([("id", ">", self.last_activity_id)]).unlink()
            env["mail.followers"].search([("id", ">", self.last_follower_id)]).unlink()
            env["crm.lead"].browse(self.lead_id).unlink()

    def _stale_activities(self):
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            activity_type = env.ref("kam_pipeline_stages.mail_activity_type_kam_stale")
            return env["mail.activity"].search_count(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "=", self.lead_id),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )

    def test_two_workers_at_once_create_one_activity(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = self._committed_env(cr1)
            env2 = self._committed_env(cr2)
            # A second worker that waited on the first one's rows would wait forever
            # here (the first commits after it): make such a wait fail instead.
            cr2.execute(SQL("SET LOCAL lock_timeout = '3s'"))
            # Both transactions see the deal without a reminder...
            self.assertTrue(env1["crm.lead"].browse(self.lead_id).kam_is_too_old)
            self.assertTrue(env2["crm.lead"].browse(self.lead_id).kam_is_too_old)
            # ... the first worker is on it, the second runs meanwhile.
            first = env1["crm.lead"]._cron_kam_stale_activities()
            second = env2["crm.lead"]._cron_kam_stale_activities()
            self.assertIn(self.lead_id, first.ids)
            self.assertNotIn(self.lead_id, second.ids)
            cr2.commit()
            cr1.commit()
        self.assertEqual(self._stale_activities(), 1)

    def test_a_worker_skips_the_deals_another_one_holds(self):
        """Past the job lock (e.g. the other run called another way), the deals
        another transaction holds are left to it."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = self._committed_env(cr1)
            env2 = self._committed_env(cr2)
            cr2.execute(SQL("SET LOCAL lock_timeout = '3s'"))
            held = env1["crm.lead"].browse(self.lead_id)._kam_lock_rows()
            self.assertTrue(held)
            done = env2["crm.lead"]._cron_kam_stale_activities()
            self.assertNotIn(self.lead_id, done.ids)
            cr2.commit()
        self.assertEqual(self._stale_activities(), 0)

    def test_one_worker_after_the_other_creates_one_activity(self):
        for _run in range(2):
            with self.registry.cursor() as cr:
                self._committed_env(cr)["crm.lead"]._cron_kam_stale_activities()
        self.assertEqual(self._stale_activities(), 1)
