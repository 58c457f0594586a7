from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestChecklist(KamPipelineCase):
    def test_create_in_stage_instantiates_its_items(self):
        lead = self._lead()
        templates = self.stage_fm.kam_checklist_template_ids
        self.assertEqual(len(templates), 8, "1 criterion and 7 questions seeded")
        self.assertEqual(lead.kam_checklist_line_ids.template_id, templates)
        self.assertEqual(len(lead.kam_criterion_line_ids), 1)
        self.assertEqual(len(lead.kam_question_line_ids), 7)
        self.assertEqual(lead.kam_missing_criteria_count, 1)
        self.assertEqual(lead.kam_checklist_progress, 0.0)

    def test_stage_change_adds_items_and_keeps_earlier_answers(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        question = lead.kam_question_line_ids[:1]
        question.answer = "Yes, the first one."
        lead.write({"stage_id": self.stage_held.id})
        held_templates = self.stage_held.kam_checklist_template_ids
        self.assertEqual(len(held_templates), 16)
        self.assertEqual(len(lead.kam_checklist_line_ids), 8 + 16)
        self.assertEqual(question.answer, "Yes, the first one.")
        self.assertEqual(lead.kam_missing_criteria_count, 2)

    def test_instantiation_is_idempotent(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        count = len(lead.kam_checklist_line_ids)
        lead.write({"stage_id": self.stage_fm.id})
        lead.write({"stage_id": self.stage_held.id})
        lead._kam_instantiate_checklist()
        self.assertEqual(len(lead.kam_checklist_line_ids), count)
        self.assertTrue(self._criteria(lead, self.stage_fm).is_done)

    def test_batch_move_creates_lines_for_every_lead(self):
        leads = self.env["crm.lead"]
        for index in range(5):
            leads |= self._lead(name=f"Deal {index}")
        self._tick(leads, self.stage_fm)
        leads.write({"stage_id": self.stage_held.id})
        for lead in leads:
            self.assertEqual(len(self._criteria(lead, self.stage_held)), 2)

    def test_progress_counts_ticks_and_answers_of_the_current_stage(self):
        lead = self._lead()
        lines = lead.kam_checklist_line_ids
        self._tick(lead, self.stage_fm)
        self.assertEqual(lead.kam_missing_criteria_count, 0)
        self.assertAlmostEqual(lead.kam_checklist_progress, 100.0 / 8)
        lead.kam_question_line_ids[:3].write({"answer": "Done"})
        lead.kam_question_line_ids[3:4].write({"answer": "   "})
        self.assertAlmostEqual(lead.kam_checklist_progress, 400.0 / 8)
        self.assertEqual(len(lines.filtered("done_user_id")), 4)
        lead.write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.kam_checklist_progress, 0.0)

    def test_new_template_reaches_deals_already_in_the_stage(self):
        lead = self._lead()
        template = self.env["kam.stage.checklist.template"].create(
            {
                "stage_id": self.stage_fm.id,
                "kind": "criterion",
                "name": "The decision maker attends",
            }
        )
        self.assertIn(template, lead.kam_checklist_line_ids.template_id)
        self.assertEqual(lead.kam_missing_criteria_count, 2)

    def test_no_checklist_outside_kam_stages(self):
        lead = self._lead(stage=self.stage_generic)
        self.assertFalse(lead.kam_checklist_line_ids)
        self.assertFalse(lead.kam_category)

    def test_a_lead_holds_a_template_once(self):
        lead = self._lead()
        template = lead.kam_checklist_line_ids[:1].template_id
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.lead.checklist.line"].create(
                {"lead_id": lead.id, "template_id": template.id}
            )
            self.env.flush_all()

    def test_templates_are_translatable(self):
        self.assertTrue(
            self.env["kam.stage.checklist.template"]._fields["name"].translate
        )
