from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlanInvestment(models.Model):
    _name = "kam.account.plan.investment"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Investment"
    _order = "plan_id, sequence, id"

    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    category = fields.Selection(
        [
            ("time", "Time and effort"),
            ("visits", "Sales visits"),
            ("marketing", "Marketing and sales management"),
            ("proposals", "Proposals"),
            ("technical", "Technical staff time"),
            ("senior", "Senior staff involvement"),
            ("material", "Marketing material"),
            ("samples", "Samples"),
            ("demos", "Demonstrations"),
            ("opportunity", "Opportunity cost"),
            ("reputation", "Reputation and risk"),
        ],
        required=True,
        default="time",
    )
    name = fields.Char("Description")
    hours = fields.Float()
    amount = fields.Monetary("Cost")

    @api.constrains("hours", "amount")
    def _check_positive(self):
        if any(line.hours < 0 or line.amount < 0 for line in self):
            raise ValidationError(
                self.env._(
                    "The hours and cost invested in an account cannot be negative."
                )
            )
