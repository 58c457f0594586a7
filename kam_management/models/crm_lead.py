from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    kam_account_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Account"
    )
    kam_account_tier = fields.Selection(
        related="partner_id.commercial_partner_id.kam_tier",
        string="Account Tier",
    )
    kam_account_temperature = fields.Selection(
        related="partner_id.commercial_partner_id.kam_temperature",
        string="Account Temperature",
    )
    kam_account_manager_id = fields.Many2one(
        related="partner_id.commercial_partner_id.kam_manager_id",
        string="Key Account Manager",
    )
    kam_owner_mismatch = fields.Boolean(
        "Not the Account's Manager",
        compute="_compute_kam_owner_mismatch",
        help="The salesperson is not the account's key account manager.",
    )

    @api.depends("user_id", "partner_id.commercial_partner_id.kam_manager_id")
    def _compute_kam_owner_mismatch(self):
        for lead in self:
            manager = lead.partner_id.commercial_partner_id.kam_manager_id
            lead.kam_owner_mismatch = bool(manager and lead.user_id != manager)

    @api.onchange("partner_id")
    def _onchange_partner_id_kam_manager(self):
        # One owner per account: two reps must never work the same company unknowingly.
        # The deal stays with its salesperson (who may not see a colleague's deals), but
        # they hear who owns the account at once.
        manager = self.partner_id.commercial_partner_id.kam_manager_id
        if manager and self.user_id != manager:
            return {
                "warning": {
                    "title": self.env._(
                        "Key account of %(manager)s", manager=manager.name
                    ),
                    "message": self.env._(
                        "%(account)s is managed by %(manager)s: coordinate with them "
                        "before you call.",
                        account=self.partner_id.commercial_partner_id.display_name,
                        manager=manager.name,
                    ),
                }
            }
        return None
