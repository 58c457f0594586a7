from odoo import fields, models


class KamStageHistory(models.Model):
    """One row each time an opportunity enters a KAM stage: the base of the ratios."""

    _name = "kam.stage.history"
    _description = "KAM Stage Entry"
    _order = "date desc, id desc"

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True
    )
    # A deleted stage keeps its entries (and the ratios): the category is stored.
    stage_id = fields.Many2one("crm.stage", ondelete="set null", index=True)
    kam_category = fields.Selection(
        selection=lambda self: self.env["crm.stage"]._fields["kam_category"].selection,
        string="KAM Category",
        required=True,
        index=True,
    )
    date = fields.Datetime(
        string="Entered On", required=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one("res.company", index=True)
