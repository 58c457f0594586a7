from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlanProductLine(models.Model):
    _name = "kam.account.plan.product.line"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Product/Service Forecast"
    _order = "plan_id, sequence, id"

    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    product_categ_id = fields.Many2one(
        "product.category", "Product Category", required=True
    )
    product_id = fields.Many2one(
        "product.product",
        "Product/Service",
        check_company=True,
        domain="[('categ_id', 'child_of', product_categ_id)]",
    )
    name = fields.Char("Description")
    kind = fields.Selection(
        string="Type",
        selection=[
            ("current", "Current business"),
            ("upsell", "More of the same"),
            ("new", "New to the account"),
        ],
        default="current",
        required=True,
    )
    quantity = fields.Float(default=1.0)
    expected_amount = fields.Monetary("Expected Revenue")
    date_expected = fields.Date("Expected By")

    @api.constrains("quantity", "expected_amount")
    def _check_positive(self):
        for line in self:
            if line.quantity < 0 or line.expected_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The quantity and the expected revenue of a product forecast "
                        "cannot be negative."
                    )
                )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.product_categ_id = self.product_id.categ_id
            self.name = self.name or self.product_id.display_name
