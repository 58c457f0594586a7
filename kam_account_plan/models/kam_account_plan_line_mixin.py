from odoo import fields, models


class KamAccountPlanLineMixin(models.AbstractModel):
    """What every line of an account plan shares: its plan, and the plan's company.

    Moving a line to another plan needs write access on that plan: record rules check
    a write on the values before it, so without this a plan owner could move their own
    lines into someone else's plan."""

    _name = "kam.account.plan.line.mixin"
    _inherit = ["kam.system.fields.mixin"]
    _description = "Account Plan Line"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "kam.account.plan",
        "Account Plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)

    def write(self, vals):
        if vals.get("plan_id"):
            self.env["kam.account.plan"].browse(vals["plan_id"]).check_access("write")
        return super().write(vals)
