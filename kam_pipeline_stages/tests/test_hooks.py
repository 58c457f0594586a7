from odoo.tests import tagged

from ..hooks import uninstall_hook
from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestUninstallHook(KamPipelineCase):
    def test_uninstall_keeps_stages_and_team_holding_deals(self):
        lead = self._lead()
        self.assertTrue(lead.kam_checklist_line_ids)
        uninstall_hook(self.env)
        self.env.invalidate_all()
        self.assertFalse(
            self.env["kam.lead.checklist.line"].search([("lead_id", "=", lead.id)])
        )
        Data = self.env["ir.model.data"]
        kept = Data.search(
            [
                ("module", "=", "kam_pipeline_stages"),
                ("model", "in", ["crm.stage", "crm.team"]),
            ]
        )
        self.assertNotIn(
            self.stage_fm.id,
            kept.filtered(lambda d: d.model == "crm.stage").mapped("res_id"),
        )
        self.assertNotIn(
            self.team.id,
            kept.filtered(lambda d: d.model == "crm.team").mapped("res_id"),
        )
        # Stages without deals stay module data, to be removed with the addon.
        self.assertIn(self.stage_park.id, kept.mapped("res_id"))
