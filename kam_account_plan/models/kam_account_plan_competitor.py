from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlanCompetitor(models.Model):
    _name = "kam.account.plan.competitor"
    _description = "Account Plan Competitor"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "kam.account.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    competitor_partner_id = fields.Many2one(
        "res.partner", "Competitor Contact", check_company=True
    )
    name = fields.Char("Competitor", required=True)
    share_of_wallet = fields.Float(
        "Share of Wallet (%)", help="Estimated share of the customer's spend."
    )
    threat_level = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium",
        required=True,
    )
    strengths = fields.Text()
    weaknesses = fields.Text()
    counter_tactics = fields.Text("Our Counter-Tactics")

    @api.onchange("competitor_partner_id")
    def _onchange_competitor_partner_id(self):
        if self.competitor_partner_id and not self.name:
            self.name = self.competitor_partner_id.commercial_partner_id.name

    @api.constrains("share_of_wallet")
    def _check_share_of_wallet(self):
        for competitor in self:
            if not 0.0 <= competitor.share_of_wallet <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The share of wallet of %(competitor)s must be between 0 "
                        "and 100.",
                        competitor=competitor.name,
                    )
                )
