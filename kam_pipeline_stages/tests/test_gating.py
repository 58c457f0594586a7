from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestStageGating(KamPipelineCase):
    def test_forward_move_refused_and_names_what_is_missing(self):
        lead = self._lead()
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.rep).write({"stage_id": self.stage_held.id})
        message = str(caught.exception)
        self.assertIn(lead.name, message)
        self.assertIn("First Meeting Scheduled", message)
        self.assertIn("A first meeting to discuss a new deal", message)
        self.assertIn("ask a KAM director", message)
        self.assertEqual(lead.stage_id, self.stage_fm, "nothing moved")
        self.assertFalse(
            lead.kam_checklist_line_ids.filtered(
                lambda line: line.stage_id == self.stage_held
            ),
            "no checklist created by a refused move",
        )

    def test_forward_move_allowed_once_criteria_ticked(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm, user=self.rep)
        lead.with_user(self.rep).write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.stage_id, self.stage_held)
        self.assertEqual(len(self._criteria(lead, self.stage_held)), 2)

    def test_skipping_stages_needs_the_criteria_of_every_stage_passed(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.rep).write({"stage_id": self.stage_fifty.id})
        message = str(caught.exception)
        self.assertIn("The first meeting took place.", message)
        self.assertIn("A next step to gather information is scheduled.", message)
        self.assertNotIn("A first meeting to discuss", message)

    def test_backward_move_always_allowed(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        self._criteria(lead, self.stage_fm).write({"is_done": False})
        lead.with_user(self.rep).write({"stage_id": self.stage_fm.id})
        self.assertEqual(lead.stage_id, self.stage_fm)

    def test_form_path_refuses_then_accepts_ticks_in_the_same_save(self):
        lead = self._lead()
        form = Form(lead.with_user(self.rep))
        form.stage_id = self.stage_held
        with self.assertRaises(UserError):
            form.save()
        lead.invalidate_recordset()
        self.assertEqual(lead.stage_id, self.stage_fm)

        form = Form(lead.with_user(self.rep))
        with form.kam_criterion_line_ids.edit(0) as line:
            line.is_done = True
        form.stage_id = self.stage_held
        form.save()
        self.assertEqual(lead.stage_id, self.stage_held)
        self.assertTrue(self._criteria(lead, self.stage_fm).is_done)

    def test_kanban_drag_and_drop_is_the_same_write(self):
        """The kanban drop writes stage_id through web_save/write, like RPC."""
        lead = self._lead()
        with self.assertRaises(UserError):
            lead.with_user(self.rep).web_save(
                {"stage_id": self.stage_held.id}, specification={"stage_id": {}}
            )
        self._tick(lead, self.stage_fm)
        lead.with_user(self.rep).web_save(
            {"stage_id": self.stage_held.id}, specification={"stage_id": {}}
        )
        self.assertEqual(lead.stage_id, self.stage_held)

    def test_manager_override_by_field_is_logged_and_one_shot(self):
        lead = self._lead(user=self.director)
        lead.with_user(self.director).write(
            {"stage_id": self.stage_held.id, "kam_gate_override": True}
        )
        self.assertEqual(lead.stage_id, self.stage_held)
        self.assertFalse(lead.kam_gate_override, "the override clears itself")
        note = lead.message_ids.filtered(lambda m: "overridden" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Dora Director", note.body)
        self.assertIn("A first meeting to discuss", note.body)
        # The next forward move is gated again.
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.director).write({"stage_id": self.stage_fifty.id})
        self.assertIn("Override Stage Gate", str(caught.exception))

    def test_manager_override_by_context(self):
        lead = self._lead()
        lead.with_user(self.director).with_context(kam_gate_override=True).write(
            {"stage_id": self.stage_fifty.id}
        )
        self.assertEqual(lead.stage_id, self.stage_fifty)
        self.assertTrue(
            lead.message_ids.filtered(lambda m: "overridden" in (m.body or ""))
        )

    def test_rep_cannot_override(self):
        lead = self._lead()
        with self.assertRaises(UserError):
            lead.with_user(self.rep).with_context(kam_gate_override=True).write(
                {"stage_id": self.stage_held.id}
            )
        with self.assertRaises(AccessError):
            lead.with_user(self.rep).write(
                {"stage_id": self.stage_held.id, "kam_gate_override": True}
            )
        self.assertEqual(lead.stage_id, self.stage_fm)

    def test_batch_write_refuses_all_and_lists_the_blocked(self):
        ready = self._lead(name="Ready deal")
        self._tick(ready, self.stage_fm)
        blocked_a = self._lead(name="Blocked deal A")
        blocked_b = self._lead(name="Blocked deal B")
        leads = ready | blocked_a | blocked_b
        with self.assertRaises(UserError) as caught:
            leads.with_user(self.rep).write({"stage_id": self.stage_held.id})
        message = str(caught.exception)
        self.assertIn("Blocked deal A", message)
        self.assertIn("Blocked deal B", message)
        self.assertNotIn("Ready deal", message)
        self.assertEqual(set(leads.mapped("stage_id")), {self.stage_fm})
        ready.write({"stage_id": self.stage_held.id})
        self.assertEqual(ready.stage_id, self.stage_held)

    def test_parking_is_free_and_leaving_it_cannot_skip_stages(self):
        lead = self._lead()
        lead.with_user(self.rep).write({"stage_id": self.stage_park.id})
        self.assertEqual(lead.stage_id, self.stage_park)
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.rep).write({"stage_id": self.stage_fifty.id})
        self.assertIn("A first meeting to discuss", str(caught.exception))
        lead.with_user(self.rep).write({"stage_id": self.stage_fm.id})
        self.assertEqual(lead.stage_id, self.stage_fm)

    def test_stages_of_other_pipelines_are_not_gated(self):
        other = self.env["crm.lead"].create(
            {
                "name": "Ordinary deal",
                "type": "opportunity",
                "stage_id": self.stage_generic.id,
            }
        )
        other.with_user(self.director).write({"stage_id": self.stage_generic_2.id})
        self.assertEqual(other.stage_id, self.stage_generic_2)
        self.assertFalse(other.kam_checklist_line_ids)
        # A KAM deal may leave the KAM pipeline for a generic stage freely...
        lead = self._lead()
        lead.write({"stage_id": self.stage_generic_2.id})
        self.assertEqual(lead.stage_id, self.stage_generic_2)

    def test_a_generic_won_stage_is_no_shortcut(self):
        generic_won = self.env["crm.stage"].create(
            {"name": "Generic Won", "sequence": 70, "is_won": True}
        )
        lead = self._lead()
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.rep).write({"stage_id": generic_won.id})
        self.assertIn("A first meeting to discuss", str(caught.exception))
        self.assertIn(
            "The odds of closing this deal are three in four.", str(caught.exception)
        )
        other = self.env["crm.lead"].create(
            {
                "name": "Plain deal",
                "type": "opportunity",
                "stage_id": self.stage_generic.id,
            }
        )
        other.with_user(self.director).write({"stage_id": generic_won.id})
        self.assertEqual(other.stage_id, generic_won)

    def test_non_mandatory_criteria_do_not_block(self):
        self.env["kam.stage.checklist.template"].search(
            [("stage_id", "=", self.stage_fm.id), ("kind", "=", "criterion")]
        ).mandatory = False
        lead = self._lead()
        lead.with_user(self.rep).write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.stage_id, self.stage_held)


@tagged("post_install", "-at_install", "kam")
class TestKamPipeline(KamPipelineCase):
    def test_stages_carry_their_category_probability(self):
        self.assertEqual(self.stage_fm.kam_probability, 10.0)
        self.assertEqual(self.stage_held.kam_probability, 25.0)
        self.assertEqual(self.stage_fifty.kam_probability, 50.0)
        self.assertEqual(self.stage_75.kam_probability, 75.0)
        self.assertEqual(self.stage_won.kam_probability, 100.0)
        self.assertTrue(self.stage_won.is_won)
        lead = self._lead()
        self.assertEqual(lead.kam_stage_probability, 10.0)

    def test_new_deal_of_the_kam_team_starts_at_the_first_meeting(self):
        lead = self.env["crm.lead"].create(
            {"name": "New key deal", "type": "opportunity", "team_id": self.team.id}
        )
        self.assertEqual(lead.stage_id, self.stage_fm)
        self.assertEqual(len(lead.kam_criterion_line_ids), 1)

    def test_kanban_of_the_kam_team_shows_its_pipeline(self):
        Lead = self.env["crm.lead"].with_context(default_team_id=self.team.id)
        columns = Lead._read_group_stage_ids(self.env["crm.stage"], [])
        self.assertEqual(
            columns,
            self.stage_fm
            | self.stage_held
            | self.stage_fifty
            | self.stage_75
            | self.stage_won
            | self.stage_park,
        )
        other = self.env["crm.lead"]._read_group_stage_ids(self.env["crm.stage"], [])
        self.assertFalse(other & self.stage_fm, "other teams keep their own columns")

    def test_won_button_goes_through_the_gate(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        with self.assertRaises(UserError):
            lead.with_user(self.rep).action_set_won()
        self._tick(lead, self.stage_held)
        lead.write({"stage_id": self.stage_fifty.id})
        self._tick(lead, self.stage_fifty)
        lead.write({"stage_id": self.stage_75.id})
        self._tick(lead, self.stage_75)
        lead.with_user(self.rep).action_set_won()
        self.assertEqual(lead.stage_id, self.stage_won)
        self.assertEqual(lead.probability, 100)


@tagged("post_install", "-at_install", "kam")
class TestGateMessageTranslated(KamPipelineCase):
    def test_the_gate_speaks_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_pipeline_stages"], ["ru_RU"], overwrite=True
        )
        self.rep.lang = "ru_RU"
        lead = self._lead()
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.rep).with_context(lang="ru_RU").write(
                {"stage_id": self.stage_held.id}
            )
        message = str(caught.exception)
        self.assertNotIn("cannot move forward", message)
        self.assertNotIn("A first meeting to discuss", message)
        self.assertRegex(message, "[а-яА-Я]{5}")
        self.assertIn(lead.name, message)
