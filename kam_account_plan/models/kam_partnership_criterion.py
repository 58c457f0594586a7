from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamPartnershipCriterion(models.Model):
    _name = "kam.partnership.criterion"
    _inherit = ["kam.system.fields.mixin"]
    _description = "Partnership Evaluation Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    weight = fields.Float(default=1.0, required=True)
    active = fields.Boolean(default=True)

    @api.constrains("weight")
    def _check_weight(self):
        if any(criterion.weight < 0 for criterion in self):
            raise ValidationError(
                self.env._("The weight of a criterion cannot be negative.")
            )
