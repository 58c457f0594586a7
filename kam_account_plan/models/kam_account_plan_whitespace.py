from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import logic


class KamAccountPlanWhitespace(models.Model):
    _name = "kam.account.plan.whitespace"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Whitespace Cell"
    _order = "plan_id, unit_name, product_categ_id, id"

    currency_id = fields.Many2one(related="plan_id.currency_id")
    unit_name = fields.Char("Department / Site", required=True)
    product_categ_id = fields.Many2one(
        "product.category", "Product Category", required=True
    )
    status = fields.Selection(
        [
            (logic.WHITESPACE_OURS, "Buys from us"),
            (logic.WHITESPACE_COMPETITOR, "Buys from a competitor"),
            (logic.WHITESPACE_NONE, "Does not buy"),
        ],
        required=True,
        default=logic.WHITESPACE_NONE,
    )
    competitor_id = fields.Many2one(
        "kam.account.plan.competitor",
        "Competitor",
        domain="[('plan_id', '=', plan_id)]",
        ondelete="set null",
        copy=False,
        help="Copying the plan points the copied cell to the copied competitor.",
    )
    potential_amount = fields.Monetary("Potential")
    note = fields.Char()

    _sql_constraints = [
        (
            "cell_unique",
            "UNIQUE (plan_id, unit_name, product_categ_id)",
            "Each department or site appears once per product category in the "
            "whitespace.",
        ),
    ]

    @api.constrains("potential_amount", "competitor_id", "status")
    def _check_values(self):
        for cell in self:
            if cell.potential_amount < 0:
                raise ValidationError(
                    self.env._("The whitespace potential cannot be negative.")
                )
            if cell.competitor_id and cell.competitor_id.plan_id != cell.plan_id:
                raise ValidationError(
                    self.env._("The competitor must be one of the plan's competitors.")
                )
