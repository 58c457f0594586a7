"""Who ticked what and when, and the other figures only the system writes (issue 9).

A rep (and a director) reaches the fields through ``write``, ``create``, ``load``,
``copy``, ``web_save`` and the one2many commands of the deal; none may set them.
"""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestChecklistAudit(KamPipelineCase):
    def setUp(self):
        super().setUp()
        self.lead = self._lead()
        with freeze_time("2026-03-02 10:00:00"):
            self.line = self._tick(self.lead, self.stage_fm, user=self.rep)

    def _assert_audit_kept(self):
        self.line.invalidate_recordset()
        self.assertEqual(self.line.done_user_id, self.rep)
        self.assertEqual(self.line.done_date, datetime(2026, 3, 2, 10, 0))
        self.assertEqual(self.line.lead_id, self.lead)

    # -- ticking

    def test_ticking_records_the_user_and_the_time(self):
        self._assert_audit_kept()
        with freeze_time("2026-03-05 08:30:00"):
            self.line.with_user(self.rep).write({"is_done": False})
        self.assertFalse(self.line.done_user_id)
        self.assertFalse(self.line.done_date)

    # -- the reported forgery

    def test_audit_fields_cannot_be_written(self):
        forged = {"done_user_id": self.director.id, "done_date": "2020-01-01 00:00:00"}
        for user in (self.rep, self.director):
            with self.assertRaises(AccessError):
                self.line.with_user(user).write(forged)
            with self.assertRaises(AccessError):
                self.line.with_user(user).write({"is_done": True, **forged})
            with self.assertRaises(AccessError):
                self.line.with_user(user).web_save(
                    forged, specification={"done_user_id": {}}
                )
        self._assert_audit_kept()

    def test_audit_fields_cannot_be_written_through_the_deal(self):
        for field in ("kam_checklist_line_ids", "kam_criterion_line_ids"):
            with self.assertRaises(AccessError):
                self.lead.with_user(self.rep).write(
                    {
                        field: [
                            Command.update(
                                self.line.id, {"done_user_id": self.director.id}
                            )
                        ]
                    }
                )
        with self.assertRaises(AccessError):
            self.lead.with_user(self.rep).web_save(
                {
                    "kam_criterion_line_ids": [
                        Command.update(self.line.id, {"done_date": "2020-01-01"})
                    ]
                },
                specification={},
            )
        self._assert_audit_kept()

    def test_derived_line_fields_cannot_be_written(self):
        question = self.lead.kam_question_line_ids[:1]
        for vals in (
            {"is_complete": True},
            {"stage_id": self.stage_75.id},
            {"kind": "criterion"},
            {"company_id": False},
        ):
            with self.assertRaises(AccessError):
                question.with_user(self.rep).write(vals)
        self.assertFalse(question.is_complete)
        self.assertEqual(self.lead.kam_checklist_progress, 100.0 / 8)

    def test_lines_are_created_by_the_system_only(self):
        template = self.stage_held.kam_checklist_template_ids.filtered(
            lambda t: t.kind == "criterion"
        )[:1]
        Line = self.env["kam.lead.checklist.line"]
        for user in (self.rep, self.director):
            with self.assertRaises(AccessError):
                Line.with_user(user).create(
                    {"lead_id": self.lead.id, "template_id": template.id}
                )
            with self.assertRaises(AccessError):
                self.lead.with_user(user).write(
                    {
                        "kam_checklist_line_ids": [
                            Command.create(
                                {"template_id": template.id, "is_done": True}
                            )
                        ]
                    }
                )
            with self.assertRaises(AccessError):
                self.line.with_user(user).copy()
        self.assertNotIn(template, self.lead.kam_checklist_line_ids.template_id)

    def test_import_cannot_set_the_audit_fields(self):
        result = (
            self.env["kam.lead.checklist.line"]
            .with_user(self.rep)
            .load(
                ["id", "is_done", "done_user_id/.id", "done_date"],
                [
                    [
                        self.line.get_external_id()[self.line.id]
                        or self._xmlid(self.line),
                        "1",
                        str(self.director.id),
                        "2020-01-01 00:00:00",
                    ]
                ],
            )
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self._assert_audit_kept()

    def _xmlid(self, record):
        name = f"kam_audit_line_{record.id}"
        self.env["ir.model.data"].create(
            {
                "module": "__import__",
                "name": name,
                "model": record._name,
                "res_id": record.id,
            }
        )
        return f"__import__.{name}"

    def test_context_defaults_do_not_tick_new_lines(self):
        """The system creates the lines of the next stage: the caller's
        ``default_*`` keys must not fill them in."""
        self.lead.with_user(self.rep).with_context(
            default_is_done=True,
            default_done_user_id=self.director.id,
            default_answer="forged",
        ).write({"stage_id": self.stage_held.id})
        held = self.lead.kam_checklist_line_ids.filtered(
            lambda line: line.stage_id == self.stage_held
        )
        self.assertTrue(held)
        self.assertFalse(held.filtered("is_done"))
        self.assertFalse(held.done_user_id)
        self.assertFalse(any(held.mapped("answer")))
        # ... nor forge the stage entries.
        entry = self.env["kam.stage.history"].search(
            [("lead_id", "=", self.lead.id), ("stage_id", "=", self.stage_held.id)]
        )
        self.assertEqual(entry.user_id, self.rep)

    # -- the deal

    def test_deal_figures_cannot_be_written(self):
        forged = [
            {"kam_checklist_probability": 75.0},
            {"kam_checklist_category": "seventy_five"},
            {"kam_checklist_managed": True},
            {"kam_checklist_progress": 100.0},
            {"kam_missing_criteria_count": 0},
            {"kam_qual_verdict": "pursue"},
            {"kam_qual_date": "2026-01-01 00:00:00"},
            {"kam_qual_sales_reps": 150},
            {"date_last_stage_update": "2041-02-30 00:00:00"},
            {"date_last_stage_update": "2099-01-01 00:00:00"},
        ]
        for vals in forged:
            for user in (self.rep, self.director):
                with self.assertRaises(AccessError):
                    self.lead.with_user(user).write(vals)
                with self.assertRaises(AccessError):
                    self.lead.with_user(user).web_save(vals, specification={})
        self.assertFalse(self.lead.kam_checklist_probability)
        self.assertFalse(self.lead.kam_qual_verdict)

    def test_deal_figures_cannot_be_created_imported_or_defaulted(self):
        Lead = self.env["crm.lead"].with_user(self.rep)
        vals = {"name": "Forged deal", "type": "opportunity", "team_id": self.team.id}
        with self.assertRaises(AccessError):
            Lead.create({**vals, "kam_qual_verdict": "pursue"})
        with self.assertRaises(AccessError):
            Lead.create({**vals, "date_last_stage_update": "2020-01-01 00:00:00"})
        result = Lead.load(
            ["name", "kam_checklist_probability"], [["Imported forged deal", "75"]]
        )
        self.assertFalse(result["ids"])
        lead = Lead.with_context(
            default_kam_checklist_probability=75.0,
            default_kam_qual_verdict="pursue",
            default_date_last_stage_update="2020-01-01 00:00:00",
        ).create(vals)
        self.assertFalse(lead.kam_checklist_probability)
        self.assertFalse(lead.kam_qual_verdict)
        self.assertGreater(lead.date_last_stage_update, datetime(2025, 1, 1))

    def test_the_wizard_writes_the_qualification_for_its_user_only(self):
        theirs = self._lead(name="Their deal", user=self.rep2)
        wizard = (
            self.env["kam.qualification.wizard"]
            .with_user(self.rep)
            .create({"lead_id": theirs.id, "sales_reps": 3})
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertFalse(theirs.kam_qual_date)

    # -- history and logs

    def test_stage_entries_are_the_system_s(self):
        entry = self.env["kam.stage.history"].search([("lead_id", "=", self.lead.id)])
        for user in (self.rep, self.director):
            with self.assertRaises(AccessError):
                entry.with_user(user).unlink()
            with self.assertRaises(AccessError):
                entry.with_user(user).copy()
        self.assertTrue(entry.exists())

    def test_override_log_cannot_be_rewritten(self):
        lead = self._lead(name="Overridden deal", user=self.director)
        lead.with_user(self.director).with_context(kam_gate_override=True).write(
            {"stage_id": self.stage_held.id}
        )
        log = lead.message_ids.filtered(lambda m: "overridden" in (m.body or ""))
        self.assertEqual(log.message_type, "notification")
        with self.assertRaises(UserError):
            lead.with_user(self.director)._message_update_content(log, body="Nothing")
