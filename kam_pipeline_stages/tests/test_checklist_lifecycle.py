from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestChecklistLifecycle(KamPipelineCase):
    """Checklists through the life of the pipeline: lines that stay with their deal,
    no shortcut to won, stage and item changes resynced, archived items, merges,
    deleted stages, reminders in the owner's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Template = cls.env["kam.stage.checklist.template"]
        cls.other_team = cls.env["crm.team"].create({"name": "Other KAM Team"})

    def _questions(self, lead, stage):
        return lead.kam_checklist_line_ids.filtered(
            lambda line: line.stage_id == stage and line.kind == "question"
        )

    # -- security

    def test_rep_cannot_retarget_a_line_to_another_deal(self):
        company2 = self.env["res.company"].create({"name": "KAM Elsewhere Co"})
        self.rep2.company_ids |= company2
        lead = self._lead()
        # Deals of someone else, without the first meeting's items.
        foreign = self._lead(name="Foreign deal", user=self.rep2, stage=self.stage_held)
        foreign_other_company = self._lead(
            name="Other company deal",
            user=self.rep2,
            stage=self.stage_held,
            company_id=company2.id,
            team_id=False,
        )
        line = self._criteria(lead, self.stage_fm)
        self.assertEqual(len(line), 1)
        template = line.template_id
        for target in (foreign, foreign_other_company):
            with self.assertRaises(UserError):
                line.with_user(self.rep).write({"lead_id": target.id, "is_done": True})
            self.assertFalse(self._criteria(target, self.stage_fm))
        held_template = self.Template.search(
            [("stage_id", "=", self.stage_held.id)], limit=1
        )
        with self.assertRaises(UserError):
            line.with_user(self.rep).write({"template_id": held_template.id})
        self.assertEqual(line.lead_id, lead)
        self.assertEqual(line.template_id, template)
        self.assertFalse(line.is_done)
        # Ticking one's own line still works.
        line.with_user(self.rep).write({"is_done": True})
        self.assertTrue(line.is_done)

    # -- gate bypass

    def test_generic_stage_then_generic_won_is_no_shortcut(self):
        generic_won = self.env["crm.stage"].create(
            {"name": "Generic Won", "sequence": 70, "is_won": True}
        )
        lead = self._lead()
        # Leaving the pipeline for a generic (not won) stage stays free...
        lead.with_user(self.rep).write({"stage_id": self.stage_generic.id})
        self.assertEqual(lead.stage_id, self.stage_generic)
        # ... but from there a generic won stage passes the whole pipeline.
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.rep).write({"stage_id": generic_won.id})
        self.assertIn("A first meeting to discuss", str(caught.exception))
        self.assertEqual(lead.stage_id, self.stage_generic)
        # Going back into the pipeline (backward/parking) is still free.
        lead.with_user(self.rep).write({"stage_id": self.stage_park.id})
        self.assertEqual(lead.stage_id, self.stage_park)
        # A deal of a team without KAM stages is not gated.
        plain = self.env["crm.lead"].create(
            {
                "name": "Plain deal",
                "type": "opportunity",
                "team_id": self.other_team.id,
                "stage_id": self.stage_generic.id,
            }
        )
        plain.with_user(self.director).write({"stage_id": generic_won.id})
        self.assertEqual(plain.stage_id, generic_won)

    # -- stale data

    def test_shared_pipeline_deals_follow_a_stage_change(self):
        self.env.company.kam_checklist_sets_probability = True
        (self.stage_fm | self.stage_held).write({"team_id": False})
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.assertEqual(lead.probability, self.stage_fm.kam_probability)
        self.stage_fm.kam_probability = 33.0
        self.assertEqual(lead.kam_checklist_probability, 33.0)
        self.assertEqual(lead.probability, 33.0)

    def test_old_pipeline_is_resynced_when_a_stage_changes_team(self):
        self.env.company.kam_checklist_sets_probability = True
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.stage_fm.team_id = self.other_team
        # The key-account pipeline has no first-meeting stage left.
        self.assertFalse(lead.kam_checklist_category)
        self.assertEqual(lead.kam_checklist_probability, 0.0)

    def test_old_pipeline_is_resynced_when_a_template_changes_stage(self):
        self.env.company.kam_checklist_sets_probability = True
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        held = self._criteria(lead, self.stage_held)
        self.assertEqual(len(held), 2)
        held[0].is_done = True
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        other_stage = self.env["crm.stage"].create(
            {
                "name": "Other 25%",
                "team_id": self.other_team.id,
                "kam_category": "meeting_held",
            }
        )
        held[1].template_id.stage_id = other_stage
        self.assertEqual(lead.kam_checklist_category, "meeting_held")
        self.assertEqual(lead.probability, self.stage_held.kam_probability)

    # -- templates

    def test_moved_or_unarchived_template_reaches_deals_in_the_stage(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        moved = self.Template.create(
            {"name": "Budget owner named", "stage_id": self.stage_fifty.id}
        )
        archived = self.Template.create(
            {
                "name": "Decision date known",
                "stage_id": self.stage_held.id,
                "active": False,
            }
        )
        self.assertNotIn(moved, lead.kam_checklist_line_ids.template_id)
        self.assertNotIn(archived, lead.kam_checklist_line_ids.template_id)
        moved.stage_id = self.stage_held
        self.assertIn(moved, lead.kam_checklist_line_ids.template_id)
        archived.active = True
        self.assertIn(archived, lead.kam_checklist_line_ids.template_id)
        # Every criterion of the stage can now be ticked: the gate lets it go.
        self._tick(lead, self.stage_held)
        lead.with_user(self.rep).write({"stage_id": self.stage_fifty.id})
        self.assertEqual(lead.stage_id, self.stage_fifty)

    # -- progress

    def test_archived_items_do_not_count(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.kam_missing_criteria_count, 2)
        self._criteria(lead, self.stage_held)[0].template_id.active = False
        self.assertEqual(lead.kam_missing_criteria_count, 1)
        self._questions(lead, self.stage_held).template_id.active = False
        self._criteria(lead, self.stage_held)[1].is_done = True
        self.assertEqual(lead.kam_missing_criteria_count, 0)
        self.assertEqual(lead.kam_checklist_progress, 100.0)

    # -- merge

    def test_merge_keeps_history_and_checklist(self):
        kept = self._lead(name="Kept deal")
        merged = self._lead(name="Merged deal")
        self._tick(merged, self.stage_fm)
        merged.write({"stage_id": self.stage_held.id})
        self._criteria(merged, self.stage_held)[0].is_done = True
        self._questions(merged, self.stage_held)[0].answer = "Held answer"
        fm_questions = self._questions(kept, self.stage_fm)
        fm_questions[0].answer = "Kept answer"
        self.assertFalse(self._questions(merged, self.stage_fm)[0].answer)
        History = self.env["kam.stage.history"]
        histories = History.search([("lead_id", "in", (kept | merged).ids)])
        self.assertEqual(len(histories), 3)
        templates = (kept | merged).kam_checklist_line_ids.template_id

        head = (kept | merged)._merge_opportunity()
        self.assertEqual(head, merged)  # the further stage is kept
        self.assertFalse(kept.exists())
        self.assertEqual(histories.exists(), histories)
        self.assertEqual(histories.lead_id, head)
        self.assertEqual(head.kam_checklist_line_ids.template_id, templates)
        self.assertTrue(self._criteria(head, self.stage_fm).is_done)
        self.assertEqual(self._questions(head, self.stage_fm)[0].answer, "Kept answer")
        self.assertEqual(
            self._questions(head, self.stage_held)[0].answer, "Held answer"
        )

    def test_merge_moves_the_lines_the_kept_deal_lacks(self):
        kept = self._lead(name="Kept deal", stage=self.stage_held)
        merged = self._lead(name="Merged deal")
        self._criteria(merged, self.stage_fm).is_done = True
        self._questions(merged, self.stage_fm)[0].answer = "From the merged deal"
        self.assertFalse(self._criteria(kept, self.stage_fm))
        head = (kept | merged)._merge_opportunity()
        self.assertEqual(head, kept)
        self.assertTrue(self._criteria(head, self.stage_fm).is_done)
        self.assertEqual(
            self._questions(head, self.stage_fm)[0].answer, "From the merged deal"
        )
        self.assertEqual(
            len(self.env["kam.stage.history"].search([("lead_id", "=", head.id)])), 2
        )

    # -- history

    def test_deleting_a_stage_keeps_its_history(self):
        extra = self.env["crm.stage"].create(
            {
                "name": "Early contact",
                "sequence": 0,
                "team_id": self.team.id,
                "kam_category": "first_meeting",
            }
        )
        lead = self._lead(stage=extra)
        lead.write({"stage_id": self.stage_fm.id})
        entry = self.env["kam.stage.history"].search(
            [("lead_id", "=", lead.id), ("stage_id", "=", extra.id)]
        )
        self.assertEqual(len(entry), 1)
        extra.unlink()
        self.assertTrue(entry.exists())
        self.assertFalse(entry.stage_id)
        self.assertEqual(entry.kam_category, "first_meeting")
        self.env.flush_all()
        row = self.env["kam.pipeline.ratio.report"].search(
            [("user_id", "=", self.rep.id), ("team_id", "=", self.team.id)]
        )
        self.assertEqual(row.first_meeting_count, 1)

    # -- language

    def test_stale_activity_speaks_the_owner_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_pipeline_stages"], ["ru_RU"], overwrite=True
        )
        self.rep.lang = "ru_RU"
        self.rep2.lang = "en_US"
        russian = self._lead(name="Russian stale deal")
        english = self._lead(name="English stale deal", user=self.rep2)
        (russian | english).date_last_stage_update = datetime(2026, 1, 1, 9, 0)
        with freeze_time("2026-01-20"):
            self.env["crm.lead"].with_context(lang="en_US")._cron_kam_stale_activities()
        activity_type = self.env.ref("kam_pipeline_stages.mail_activity_type_kam_stale")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", (russian | english).ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        by_lead = {activity.res_id: activity.summary for activity in activities}
        self.assertRegex(by_lead[russian.id], "Дней на этапе")
        self.assertIn("review the deal", by_lead[english.id])
