from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestQualificationWizard(KamPipelineCase):
    def setUp(self):
        super().setUp()
        self.lead = self._lead()
        self._tick(self.lead, self.stage_fm)
        self.lead.write({"stage_id": self.stage_held.id})

    def _form(self, user=None):
        action = self.lead.with_user(user or self.rep).action_kam_open_qualification()
        self.assertEqual(action["res_model"], "kam.qualification.wizard")
        return Form(
            self.env["kam.qualification.wizard"]
            .with_user(user or self.rep)
            .with_context(**action["context"])
        )

    def test_large_sales_force_proposes_more_meetings_and_a_pilot(self):
        form = self._form()
        form.sales_reps = 150
        self.assertEqual((form.meetings_min, form.meetings_max), (3, 5))
        self.assertEqual((form.cycle_weeks_min, form.cycle_weeks_max), (8, 13))
        self.assertTrue(form.pilot)
        form.sales_reps = 10
        self.assertEqual((form.meetings_min, form.meetings_max), (2, 3))
        self.assertFalse(form.pilot)
        form.deal_size = "much_larger"
        form.time_to_close = "short"
        form.contact_probability = "high"
        self.assertEqual(form.verdict, "pursue")
        form.save().action_apply()
        lead = self.lead
        self.assertEqual(lead.kam_qual_sales_reps, 10)
        self.assertEqual(lead.kam_qual_deal_size, "much_larger")
        self.assertEqual(lead.kam_qual_meetings_max, 4)
        self.assertEqual(lead.kam_qual_verdict, "pursue")
        self.assertTrue(lead.kam_qual_date)
        self.assertTrue(
            lead.message_ids.filtered(lambda m: "Qualified" in (m.body or ""))
        )

    def test_answers_are_reloaded_next_time(self):
        form = self._form()
        form.sales_reps = 2
        form.resources = "high"
        form.save().action_apply()
        form = self._form()
        self.assertEqual(form.sales_reps, 2)
        self.assertEqual(form.resources, "high")
        self.assertEqual((form.meetings_min, form.meetings_max), (1, 1))

    def test_negative_sales_reps_refused_and_deal_unchanged(self):
        with self.assertRaises(ValidationError):
            self.env["kam.qualification.wizard"].with_user(self.rep).create(
                {"lead_id": self.lead.id, "sales_reps": -3}
            )
        self.assertFalse(self.lead.kam_qual_date)
        self.assertFalse(self.lead.kam_qual_sales_reps)
