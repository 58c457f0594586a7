from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_checklist_sets_probability = fields.Boolean(
        related="company_id.kam_checklist_sets_probability", readonly=False
    )
