from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlanIssue(models.Model):
    _name = "kam.account.plan.issue"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Key Strategic Issue"
    _order = "plan_id, date_deadline, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char("Issue", required=True)
    description = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        "Responsible",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    priority = fields.Selection([("0", "Normal"), ("1", "High")], default="0")
    date_start = fields.Date("Start")
    date_deadline = fields.Date("Deadline")
    state = fields.Selection(
        string="Status",
        selection=[
            ("todo", "To Do"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="todo",
        required=True,
    )

    @api.constrains("date_start", "date_deadline")
    def _check_dates(self):
        for issue in self:
            if (
                issue.date_start
                and issue.date_deadline
                and issue.date_deadline < issue.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The strategic issue %(issue)s is due (%(deadline)s) before "
                        "it starts (%(start)s).",
                        issue=issue.name,
                        deadline=issue.date_deadline,
                        start=issue.date_start,
                    )
                )
