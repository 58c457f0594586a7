from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestAccess(KamPipelineCase):
    def test_only_managers_edit_checklist_templates(self):
        Template = self.env["kam.stage.checklist.template"]
        vals = {"stage_id": self.stage_fm.id, "name": "Agenda sent"}
        self.assertTrue(Template.with_user(self.rep).search([]))
        with self.assertRaises(AccessError):
            Template.with_user(self.rep).create(vals)
        template = Template.with_user(self.director).create(vals)
        with self.assertRaises(AccessError):
            template.with_user(self.rep).write({"name": "Other"})
        template.with_user(self.director).write({"mandatory": False})

    def test_only_managers_adapt_stage_ages(self):
        with self.assertRaises(AccessError):
            self.stage_fm.with_user(self.rep).write({"kam_max_age_days": 3})
        self.stage_fm.with_user(self.director).write({"kam_max_age_days": 3})
        self.assertEqual(self.stage_fm.kam_max_age_days, 3)

    def test_reps_see_and_tick_only_their_deals(self):
        mine = self._lead(name="Mine")
        theirs = self._lead(name="Theirs", user=self.rep2)
        Line = self.env["kam.lead.checklist.line"].with_user(self.rep)
        visible = Line.search([("lead_id", "in", (mine | theirs).ids)])
        self.assertEqual(visible.lead_id, mine)
        self._tick(mine, self.stage_fm, user=self.rep)
        with self.assertRaises(AccessError):
            self._criteria(theirs, self.stage_fm).with_user(self.rep).write(
                {"is_done": True}
            )
        with self.assertRaises(AccessError):
            mine.kam_checklist_line_ids[:1].with_user(self.rep).unlink()
        manager_lines = (
            self.env["kam.lead.checklist.line"]
            .with_user(self.director)
            .search([("lead_id", "in", (mine | theirs).ids)])
        )
        self.assertEqual(manager_lines.lead_id, mine | theirs)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "KAM Other Co"})
        lead = self._lead(
            name="Other company deal",
            company_id=other_company.id,
            user_id=False,
            team_id=False,
        )
        self.assertEqual(lead.kam_checklist_line_ids.company_id, other_company)
        Line = self.env["kam.lead.checklist.line"].with_user(self.director)
        self.assertFalse(Line.search([("lead_id", "=", lead.id)]))
        self.director.company_ids |= other_company
        lines = Line.with_context(
            allowed_company_ids=[self.env.company.id, other_company.id]
        ).search([("lead_id", "=", lead.id)])
        self.assertEqual(lines, lead.kam_checklist_line_ids)

    def test_stage_history_is_not_writable(self):
        lead = self._lead()
        entry = self.env["kam.stage.history"].search([("lead_id", "=", lead.id)])
        self.assertEqual(len(entry), 1)
        with self.assertRaises(AccessError):
            entry.with_user(self.director).write({"kam_category": "won"})
        with self.assertRaises(AccessError):
            self.env["kam.stage.history"].with_user(self.rep).create(
                {
                    "lead_id": lead.id,
                    "stage_id": self.stage_won.id,
                    "kam_category": "won",
                }
            )

    def test_plain_salesman_without_kam_access_keeps_working(self):
        salesman = new_test_user(
            self.env,
            login="kam_pipe_plain_salesman",
            groups="sales_team.group_sale_salesman",
        )
        lead = self._lead(name="Plain salesman deal", user=salesman)
        views = (
            self.env["crm.lead"]
            .with_user(salesman)
            .get_views([(False, "form"), (False, "kanban"), (False, "list")])
        )
        form_arch = views["views"]["form"]["arch"]
        self.assertNotIn("kam_criterion_line_ids", form_arch)
        self.assertIn("kam_checklist_progress", views["views"]["kanban"]["arch"])
        lead.with_user(salesman).web_read(
            {"kam_checklist_progress": {}, "kam_is_too_old": {}, "kam_no_next_step": {}}
        )
        self._tick(lead, self.stage_fm)
        lead.with_user(salesman).write({"stage_id": self.stage_held.id})
        self.assertEqual(lead.stage_id, self.stage_held)

    def test_bad_stage_settings_are_refused(self):
        with self.assertRaises(ValidationError):
            self.stage_fm.with_user(self.director).write({"kam_max_age_days": -1})
        with self.assertRaises(ValidationError):
            self.stage_fm.with_user(self.director).write({"kam_probability": 120})
        self.assertEqual(self.stage_fm.kam_max_age_days, 14)
