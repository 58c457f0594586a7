from odoo import api, fields, models

from ..hooks import load_missing_data_translations


class KamStageChecklistTemplate(models.Model):
    _name = "kam.stage.checklist.template"
    _description = "KAM Stage Checklist Item"
    _order = "stage_id, kind, sequence, id"
    _inherit = ["kam.system.fields.mixin"]

    name = fields.Char(string="Item", required=True, translate=True)
    description = fields.Text(translate=True, help="Guidance shown to the rep.")
    stage_id = fields.Many2one(
        "crm.stage", string="Stage", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(
        [("criterion", "Group criterion"), ("question", "Strategic question")],
        required=True,
        default="criterion",
        help="Group criteria say what must be true for a deal to be in the stage; "
        "strategic questions say what moves it on.",
    )
    mandatory = fields.Boolean(
        default=True,
        help="A deal cannot move past the stage while this criterion is not ticked "
        "(managers may override). Strategic questions never block.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kam_category = fields.Selection(related="stage_id.kam_category")

    def _register_hook(self):
        super()._register_hook()
        # The registry is complete here: the addon's data can get the catalogues a
        # language loaded before (see the function).
        load_missing_data_translations(self.env)

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        # Deals already in the stage get the new items too (set-based, idempotent).
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search([("stage_id", "in", templates.stage_id.ids)])
        )
        leads._kam_instantiate_checklist()
        templates._kam_sync_pipeline_leads()
        return templates

    def write(self, vals):
        # A criterion leaving a stage changes the pipeline it leaves too.
        old_stages = self.stage_id if "stage_id" in vals else None
        was_criterion = self.filtered(lambda template: template.kind == "criterion")
        result = super().write(vals)
        if {"stage_id", "active"} & set(vals):
            # Deals already in the (new) stage get the item, as on create.
            self.env["crm.lead"].sudo().with_context(active_test=True).search(
                [("stage_id", "in", self.filtered("active").stage_id.ids)]
            )._kam_instantiate_checklist()
        if {"stage_id", "kind", "mandatory", "active"} & set(vals):
            self._kam_sync_pipeline_leads(
                extra_stages=old_stages, force=bool(was_criterion)
            )
        return result

    def _kam_sync_pipeline_leads(self, extra_stages=None, force=False):
        """A criterion changed: the deals whose checklist sets the probability in
        the pipelines concerned get their category again.

        :param extra_stages: stages whose pipelines are synced too (the stages the
            templates left)
        :param force: sync although none of the templates is a criterion now (one
            was before the write)
        """
        criteria = self.filtered(lambda template: template.kind == "criterion")
        if not criteria and not force:
            return
        stages = (criteria or self).stage_id | (extra_stages or self.env["crm.stage"])
        teams = stages.team_id
        domain = [("stage_id.team_id", "in", teams.ids)]
        if any(not stage.team_id for stage in stages):
            domain = ["|", ("stage_id.team_id", "=", False), *domain]
        domain = [("kam_checklist_managed", "=", True), *domain]
        self.env["crm.lead"].sudo().search(domain)._kam_sync_probability()
