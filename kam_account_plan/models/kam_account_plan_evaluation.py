from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCORES = [
    ("0", "0 - Absent"),
    ("1", "1 - Poor"),
    ("2", "2 - Weak"),
    ("3", "3 - Fair"),
    ("4", "4 - Good"),
    ("5", "5 - Excellent"),
]


class KamAccountPlanEvaluation(models.Model):
    _name = "kam.account.plan.evaluation"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Partnership Evaluation"
    _order = "plan_id, sequence, id"

    sequence = fields.Integer(default=10)
    criterion_id = fields.Many2one(
        "kam.partnership.criterion", "Criterion", ondelete="set null"
    )
    name = fields.Char("Question", required=True)
    weight = fields.Float(default=1.0, required=True)
    score = fields.Selection(SCORES, help="Leave empty when not evaluated yet.")
    comment = fields.Char()

    @api.onchange("criterion_id")
    def _onchange_criterion_id(self):
        if self.criterion_id:
            self.name = self.criterion_id.name
            self.weight = self.criterion_id.weight

    @api.constrains("weight")
    def _check_weight(self):
        if any(line.weight < 0 for line in self):
            raise ValidationError(
                self.env._("The weight of a partnership criterion cannot be negative.")
            )
