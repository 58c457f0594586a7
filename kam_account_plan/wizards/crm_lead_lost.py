from odoo import fields, models


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    kam_lost_to_id = fields.Many2one(
        "res.partner",
        "Lost to",
        domain="[('is_company', '=', True)]",
        help="The competitor who won the deal, if any.",
    )

    def action_lost_reason_apply(self):
        self.ensure_one()
        # Written before the leads are archived as lost, in the same transaction: a
        # failure leaves neither the competitor nor the loss behind.
        if self.kam_lost_to_id:
            self.lead_ids.write({"kam_lost_to_id": self.kam_lost_to_id.id})
        return super().action_lost_reason_apply()
