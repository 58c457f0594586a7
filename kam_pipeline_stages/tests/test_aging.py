from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import KamPipelineCase

ENTERED = datetime(2026, 1, 1, 9, 0)


@tagged("post_install", "-at_install", "kam")
class TestAging(KamPipelineCase):
    def setUp(self):
        super().setUp()
        self.activity_type = self.env.ref(
            "kam_pipeline_stages.mail_activity_type_kam_stale"
        )
        self.lead = self._lead(name="Stale deal")
        self.lead.date_last_stage_update = ENTERED  # max age of the stage: 14 days

    def _stale_activities(self, leads):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_days_in_stage_and_too_old_flag(self):
        with freeze_time("2026-01-15 10:00:00"):
            self.lead.invalidate_recordset(["kam_days_in_stage", "kam_is_too_old"])
            self.assertEqual(self.lead.kam_days_in_stage, 14)
            self.assertFalse(self.lead.kam_is_too_old)
        with freeze_time("2026-01-16 10:00:00"):
            self.lead.invalidate_recordset(["kam_days_in_stage", "kam_is_too_old"])
            self.assertEqual(self.lead.kam_days_in_stage, 15)
            self.assertTrue(self.lead.kam_is_too_old)

    def test_too_old_filter_matches_the_flag(self):
        fresh = self._lead(name="Fresh deal")
        fresh.date_last_stage_update = datetime(2026, 1, 15)
        Lead = self.env["crm.lead"]
        with freeze_time("2026-01-20"):
            old = Lead.search([("kam_is_too_old", "=", True)])
            self.assertIn(self.lead, old)
            self.assertNotIn(fresh, old)
            not_old = Lead.search([("kam_is_too_old", "=", False)])
            self.assertIn(fresh, not_old)
            self.assertNotIn(self.lead, not_old)
            self.assertEqual(Lead.search([("kam_is_too_old", "!=", True)]), not_old)

    def test_cron_creates_one_activity_for_the_owner_and_is_idempotent(self):
        with freeze_time("2026-01-20"):
            self.env["crm.lead"]._cron_kam_stale_activities()
            activity = self._stale_activities(self.lead)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.rep)
            self.assertIn("18 days", activity.summary)
            self.env["crm.lead"]._cron_kam_stale_activities()
            self.assertEqual(self._stale_activities(self.lead), activity)

    def test_cron_ignores_fresh_unassigned_and_won_deals(self):
        fresh = self._lead(name="Fresh")
        unassigned = self._lead(name="Nobody's")
        unassigned.user_id = False
        unassigned.date_last_stage_update = ENTERED
        won = self._lead(name="Won", stage=self.stage_won)
        won.date_last_stage_update = ENTERED
        with freeze_time("2026-01-20"):
            fresh.date_last_stage_update = datetime(2026, 1, 19)
            self.env["crm.lead"]._cron_kam_stale_activities()
        self.assertFalse(self._stale_activities(fresh | unassigned | won))

    def test_cron_works_in_batches(self):
        others = self._lead(name="Stale 2") | self._lead(name="Stale 3")
        others.write({"date_last_stage_update": ENTERED})
        leads = self.lead | others
        with freeze_time("2026-01-20"):
            first = self.env["crm.lead"]._cron_kam_stale_activities(batch_size=2)
            self.assertEqual(len(first), 2)
            second = self.env["crm.lead"]._cron_kam_stale_activities(batch_size=2)
            self.assertEqual(len(second), 1)
            third = self.env["crm.lead"]._cron_kam_stale_activities(batch_size=2)
            self.assertFalse(third)
        self.assertEqual(len(self._stale_activities(leads)), 3)

    def test_no_next_step_flag_and_filter(self):
        lead = self._lead(name="Held, no step")
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        Lead = self.env["crm.lead"]
        self.assertTrue(lead.kam_no_next_step)
        self.assertIn(lead, Lead.search([("kam_no_next_step", "=", True)]))
        self.assertFalse(self.lead.kam_no_next_step, "before the first meeting")
        lead.activity_schedule("mail.mail_activity_data_call", user_id=self.rep.id)
        lead.invalidate_recordset(["kam_no_next_step"])
        self.assertFalse(lead.kam_no_next_step)
        self.assertNotIn(lead, Lead.search([("kam_no_next_step", "=", True)]))
        self.assertIn(lead, Lead.search([("kam_no_next_step", "=", False)]))
