from odoo import api, fields, models
from odoo.exceptions import ValidationError

AXES = [
    ("attractiveness", "Attractiveness"),
    ("potential", "Potential"),
    ("relationship", "Relationship"),
]


class KamCriterion(models.Model):
    """A criterion on which an account is rated, and its weight on its axis.

    The lists come from Bacon, Millman, Sharpe and Wyman
    (docs/METHOD.md#strategic-attention); directors adapt them: criteria are data, not
    code.
    """

    _name = "kam.criterion"
    _description = "Key Account Criterion"
    _order = "axis, sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(
        translate=True, help="What the rating from 0 to 10 means."
    )
    axis = fields.Selection(AXES, required=True, default="attractiveness")
    weight = fields.Float(
        default=1.0, required=True, help="Relative weight on its axis."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the criterion with every company."
    )

    @api.constrains("weight")
    def _check_weight(self):
        if any(criterion.weight <= 0 for criterion in self):
            raise ValidationError(self.env._("A criterion's weight must be positive."))

    def write(self, vals):
        res = super().write(vals)
        if {"weight", "axis"}.intersection(vals):
            self._kam_rederive_rated()
        return res

    def _kam_rederive_rated(self):
        """The scores of the accounts rated on these criteria follow a new weight or
        axis at once, in each company that rated them."""
        lines = (
            self.env["kam.partner.score"]
            .sudo()
            .search_fetch(
                [("criterion_id", "in", self.ids)], ["partner_id", "company_id"]
            )
        )
        engine = self.env["kam.refresh"].sudo()
        for company in lines.company_id:
            rated = lines.filtered(lambda line, c=company: line.company_id == c)
            engine.with_company(company)._kam_rederive(rated.partner_id)
