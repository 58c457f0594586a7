from unittest.mock import patch

from odoo.tests import Form, tagged

from ..hooks import uninstall_hook
from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestChecklistProbability(KamPipelineCase):
    """Issue 6: where the company chooses so, the checklist sets the probability."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company2 = cls.env["res.company"].create({"name": "KAM Other Co"})

    def _turn_on(self, company=None):
        (company or self.company).kam_checklist_sets_probability = True

    def _untick(self, lead, stage):
        lines = self._criteria(lead, stage)
        lines.write({"is_done": False})
        return lines

    # -- setting off

    def test_setting_off_changes_nothing(self):
        self.assertFalse(self.company.kam_checklist_sets_probability)
        lead = self._lead()
        # Off, the stage's category sets the probability (issue 10), not the criteria.
        self.assertEqual(lead.probability, self.stage_fm.kam_probability)
        self._untick(lead, self.stage_fm)
        self.assertEqual(lead.probability, self.stage_fm.kam_probability)
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        self._tick(lead, self.stage_held)
        self.assertFalse(lead.kam_checklist_managed)
        self.assertFalse(lead.kam_checklist_category)
        self.assertFalse(lead.kam_stage_ahead)
        self.assertEqual(lead.stage_id, self.stage_held)
        self.assertEqual(lead.probability, self.stage_held.kam_probability)

    # -- setting on

    def test_ticking_raises_and_unticking_lowers_the_category(self):
        self._turn_on()
        lead = self._lead()
        self.assertEqual(lead.company_id, self.company)
        self.assertTrue(lead.kam_checklist_managed)
        self.assertFalse(lead.kam_checklist_category)
        self.assertEqual(lead.probability, 0.0)
        self.assertTrue(lead.kam_stage_ahead, "nothing ticked: stage ahead")

        self._tick(lead, self.stage_fm)
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.assertEqual(lead.probability, self.stage_fm.kam_probability)
        self.assertFalse(lead.kam_stage_ahead)

        # Moved on by hand: the stage is ahead until its criteria are ticked.
        lead.write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.assertEqual(lead.probability, self.stage_fm.kam_probability)
        self.assertTrue(lead.kam_stage_ahead)

        held = self._criteria(lead, self.stage_held)
        held[:1].write({"is_done": True})
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        held[1:].write({"is_done": True})
        self.assertEqual(lead.kam_checklist_category, "meeting_held")
        self.assertEqual(lead.probability, 25.0)
        self.assertEqual(lead.kam_checklist_probability, 25.0)
        self.assertFalse(lead.kam_stage_ahead)

        # Unticking lowers the category at once; the stage stays.
        held[:1].write({"is_done": False})
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.assertEqual(lead.probability, self.stage_fm.kam_probability)
        self.assertEqual(lead.stage_id, self.stage_held)
        self.assertTrue(lead.kam_stage_ahead)
        self._untick(lead, self.stage_fm)
        self.assertFalse(lead.kam_checklist_category)
        self.assertEqual(lead.probability, 0.0)

    def test_stage_probability_of_the_company_is_used(self):
        self._turn_on()
        self.stage_fm.kam_probability = 15.0
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        self.assertEqual(lead.probability, 15.0)
        # Changing it afterwards updates the deals that earned the category.
        self.stage_fm.kam_probability = 12.0
        self.assertEqual(lead.probability, 12.0)
        self.assertEqual(lead.kam_checklist_probability, 12.0)

    def test_uninstall_gives_crm_its_probability_back(self):
        self._turn_on()
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        self.assertEqual(lead.probability, 10.0)
        uninstall_hook(self.env)
        self.env.invalidate_all()
        self.assertEqual(lead.probability, lead.automated_probability)

    def test_ticking_moves_the_stage_forward(self):
        self._turn_on()
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        self._tick(lead, self.stage_held)
        lead.write({"stage_id": self.stage_fifty.id})
        self._tick(lead, self.stage_fifty)
        self.assertEqual(lead.kam_checklist_category, "fifty")
        # Back by hand: the deal stays back, the probability follows the criteria.
        lead.write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.stage_id, self.stage_held)
        self.assertEqual(lead.probability, 50.0)
        self._untick(lead, self.stage_held)
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        # Ticking again earns 50%: the deal moves to the 50% stage, whose checklist
        # lines are there, and the move is logged as any other.
        history = self.env["kam.stage.history"].search([("lead_id", "=", lead.id)])
        self._tick(lead, self.stage_held)
        self.assertEqual(lead.stage_id, self.stage_fifty)
        self.assertEqual(lead.kam_checklist_category, "fifty")
        self.assertEqual(lead.probability, 50.0)
        self.assertFalse(lead.kam_stage_ahead)
        self.assertTrue(self._criteria(lead, self.stage_fifty))
        new_history = self.env["kam.stage.history"].search([("lead_id", "=", lead.id)])
        self.assertEqual(len(new_history - history), 1)

    def test_batch_ticking_recomputes_every_lead_at_once(self):
        self._turn_on()
        leads = self.env["crm.lead"]
        for index in range(5):
            leads |= self._lead(name=f"Batch {index}")
        lines = self._criteria(leads, self.stage_fm)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        lines.write({"is_done": True})
        self.env.flush_all()
        queries_5 = self.env.cr.sql_log_count - before
        self.assertEqual(set(leads.mapped("kam_checklist_category")), {"first_meeting"})
        self.assertEqual(set(leads.mapped("probability")), {10.0})

        more = self.env["crm.lead"]
        for index in range(25):
            more |= self._lead(name=f"Batch more {index}")
        lines = self._criteria(more, self.stage_fm)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        lines.write({"is_done": True})
        self.env.flush_all()
        queries_25 = self.env.cr.sql_log_count - before
        self.assertEqual(set(more.mapped("probability")), {10.0})
        self.assertLessEqual(queries_25 - queries_5, 6, (queries_5, queries_25))

    def test_another_company_does_not_leak(self):
        self._turn_on(self.company2)
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        self.assertFalse(lead.kam_checklist_managed)
        self.assertEqual(lead.probability, self.stage_fm.kam_probability)

        other = self.env["crm.lead"].create(
            {
                "name": "Other company deal",
                "type": "opportunity",
                "team_id": self.team.id,
                "stage_id": self.stage_fm.id,
                "company_id": self.company2.id,
                "user_id": False,
            }
        )
        self.assertEqual(other.company_id, self.company2)
        self.assertTrue(other.kam_checklist_managed)
        self._tick(other, self.stage_fm)
        self.assertEqual(other.probability, 10.0)
        # Switching the first company on does not touch the other's deals, and back.
        self._turn_on()
        self.assertTrue(lead.kam_checklist_managed)
        self.company2.kam_checklist_sets_probability = False
        self.assertFalse(other.kam_checklist_managed)
        self.assertEqual(other.probability, self.stage_fm.kam_probability)
        self.assertTrue(lead.kam_checklist_managed)
        self.assertEqual(lead.probability, 10.0)

    def test_turning_the_setting_on_and_off(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.probability, 25.0)
        self._turn_on()
        self.assertTrue(lead.kam_checklist_managed)
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.assertEqual(lead.probability, 10.0)
        # Off: the stage's category sets it again (issue 10).
        self.company.kam_checklist_sets_probability = False
        self.assertFalse(lead.kam_checklist_managed)
        self.assertFalse(lead.kam_checklist_category)
        self.assertEqual(lead.probability, 25.0)

    def test_crm_automated_probability_does_not_override(self):
        self._turn_on()
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        self.assertEqual(lead.probability, 10.0)
        # CRM's compute (stage, team or scoring fields changing) ...
        lead._compute_probabilities()
        self.assertEqual(lead.probability, 10.0)
        tag = self.env["crm.tag"].create({"name": "KAM scoring tag"})
        lead.write({"tag_ids": [(4, tag.id)]})
        self.env.flush_all()
        self.assertEqual(lead.probability, 10.0)
        # ... CRM's "switch to automatic probability" and a manual value ...
        lead.action_set_automated_probability()
        self.assertEqual(lead.probability, 10.0)
        lead.probability = 80.0
        self.assertEqual(lead.probability, 10.0)
        # ... and the nightly scoring update (raw SQL) never win.
        self.env["ir.config_parameter"].sudo().set_param(
            "crm.pls_start_date", "2000-01-01"
        )
        self.env["crm.lead"]._update_automated_probabilities()
        self.assertEqual(lead.probability, 10.0)
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        # Even when CRM's guess happens to equal the earned value (CRM then takes
        # the probability for automated and moves it with its next guess).
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET automated_probability = 10.0,"
            " create_date = now() WHERE id = %s",
            [lead.id],
        )
        self.env.invalidate_all()
        self.assertTrue(lead.is_automated_probability)
        Lead = type(self.env["crm.lead"])
        with patch.object(
            Lead,
            "_pls_get_naive_bayes_probabilities",
            lambda records, batch_mode=False: dict.fromkeys(records.ids, 33.0),
        ):
            self.env["crm.lead"]._update_automated_probabilities()
            self.assertEqual(lead.automated_probability, 33.0, "CRM guessed")
            self.assertEqual(lead.probability, 10.0)
            # CRM's compute, with a guess equal to the earned value before it.
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE crm_lead SET automated_probability = 10.0 WHERE id = %s",
                [lead.id],
            )
            self.env.invalidate_all()
            self.assertTrue(lead.is_automated_probability)
            # (the way the framework recomputes it, e.g. after a scoring field
            # changed: inside the compute protection, so no write is involved)
            for fname in ("probability", "automated_probability"):
                self.env.add_to_compute(lead._fields[fname], lead)
            lead.flush_recordset()
            self.assertEqual(lead.automated_probability, 33.0, "CRM guessed")
            self.assertEqual(lead.probability, 10.0)
            # Setting off: the stage's category sets it, CRM's guess stays beside.
            self.stage_fm.kam_probability = 12.0
            self.company.kam_checklist_sets_probability = False
            self.assertEqual(lead.probability, 12.0)
            self.assertEqual(lead.automated_probability, 33.0)

    def test_won_lost_and_parking_are_not_earned(self):
        self._turn_on()
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_park.id})
        self.assertFalse(lead.kam_checklist_managed)
        self.assertFalse(lead.kam_stage_ahead)
        # Parked: the parking category's probability (issue 10).
        self.assertEqual(lead.probability, self.stage_park.kam_probability)

        lead.write({"stage_id": self.stage_fm.id})
        self.assertTrue(lead.kam_checklist_managed)
        lead.action_archive()
        self.assertFalse(lead.kam_checklist_managed)
        self.assertEqual(lead.probability, 0.0)
        lead.action_unarchive()
        self.assertTrue(lead.kam_checklist_managed)
        self.assertEqual(lead.probability, 10.0)

        for stage in (self.stage_held, self.stage_fifty, self.stage_75):
            lead.write({"stage_id": stage.id})
            self._tick(lead, stage)
        self.assertEqual(lead.probability, 75.0)
        lead.write({"stage_id": self.stage_won.id})
        self.assertFalse(lead.kam_checklist_managed)
        self.assertEqual(lead.probability, 100.0)

    def test_new_mandatory_criterion_lowers_the_category(self):
        self._turn_on()
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.env["kam.stage.checklist.template"].create(
            {
                "stage_id": self.stage_fm.id,
                "kind": "criterion",
                "name": "The decision maker attends.",
                "mandatory": True,
            }
        )
        self.assertFalse(lead.kam_checklist_category)
        self.assertEqual(lead.probability, 0.0)
        self.assertEqual(len(self._criteria(lead, self.stage_fm)), 2)
        self._tick(lead, self.stage_fm)
        self.assertEqual(lead.kam_checklist_category, "first_meeting")

    # -- forms

    def test_settings_form(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        form = Form(self.env["res.config.settings"])
        self.assertFalse(form.kam_checklist_sets_probability)
        form.kam_checklist_sets_probability = True
        form.save().execute()
        self.assertTrue(self.company.kam_checklist_sets_probability)
        self.assertTrue(lead.kam_checklist_managed)
        self.assertEqual(lead.probability, 10.0)

    def test_lead_form_ticking_updates_the_category(self):
        self._turn_on()
        lead = self._lead()
        with Form(lead.with_user(self.rep)) as form:
            self.assertEqual(form.probability, 0.0)
            with form.kam_criterion_line_ids.edit(0) as line:
                line.is_done = True
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self.assertEqual(lead.probability, 10.0)
        form = Form(lead.with_user(self.rep))
        self.assertEqual(form.kam_checklist_category, "first_meeting")
        self.assertEqual(form.probability, 10.0)
        with self.assertRaises(AssertionError):
            form.probability = 60.0

    def test_lead_form_when_off_keeps_probability_readonly(self):
        # Off, the stage's category sets the probability all the same (issue 10).
        lead = self._lead()
        form = Form(lead.with_user(self.rep))
        self.assertEqual(form.probability, 10.0)
        with self.assertRaises(AssertionError):
            form.probability = 60.0
