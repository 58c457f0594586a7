from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import logic


class KamAccountPlanRevenueLine(models.Model):
    _name = "kam.account.plan.revenue.line"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Revenue Forecast"
    _order = "plan_id, period_date, sequence, id"

    currency_id = fields.Many2one(related="plan_id.currency_id")
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, string="Key Account"
    )
    sequence = fields.Integer(default=10)
    period_date = fields.Date(
        "Period",
        required=True,
        help="The first day of the forecast period (month or quarter).",
    )
    product_categ_id = fields.Many2one("product.category", "Product Category")
    amount = fields.Monetary(required=True, default=0.0)
    probability = fields.Float("Probability (%)", default=100.0, required=True)
    weighted_amount = fields.Monetary(compute="_compute_weighted_amount", store=True)
    note = fields.Char()

    @api.depends("amount", "probability")
    def _compute_weighted_amount(self):
        for line in self:
            probability = min(max(line.probability, 0.0), 100.0)
            line.weighted_amount = logic.weighted_amount(line.amount, probability)

    @api.constrains("probability", "amount")
    def _check_probability_amount(self):
        for line in self:
            if not 0.0 <= line.probability <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The probability of a revenue forecast must be between 0 and "
                        "100 (got %(value)s).",
                        value=line.probability,
                    )
                )
            if line.amount < 0:
                raise ValidationError(
                    self.env._("A revenue forecast cannot be negative.")
                )

    @api.constrains("period_date", "plan_id")
    def _check_period_in_plan(self):
        for line in self:
            plan = line.plan_id
            if (
                line.period_date
                and not plan.date_start <= line.period_date <= plan.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "The forecast period %(period)s is outside the plan period "
                        "(%(start)s to %(end)s).",
                        period=line.period_date,
                        start=plan.date_start,
                        end=plan.date_end,
                    )
                )
