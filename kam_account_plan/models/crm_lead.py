from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    kam_competitor_ids = fields.Many2many(
        "res.partner",
        "kam_crm_lead_competitor_rel",
        "lead_id",
        "partner_id",
        string="Competitors on this deal",
        domain="[('is_company', '=', True)]",
        help="The companies we compete against on this opportunity: the account plans "
        "count the deals won against them.",
    )
    kam_lost_to_id = fields.Many2one(
        "res.partner",
        "Lost to",
        index="btree_not_null",
        domain="[('is_company', '=', True)]",
        help="The competitor who won the deal: the account plans count the deals lost "
        "to each competitor.",
    )
