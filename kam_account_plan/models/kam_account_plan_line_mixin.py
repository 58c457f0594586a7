from odoo import models


class KamAccountPlanLineMixin(models.AbstractModel):
    """The lines of an account plan (``plan_id``): moving a line to another plan needs
    write access on that plan. Record rules check a write on the values before it, so
    without this a plan owner could move their own lines into someone else's plan."""

    _name = "kam.account.plan.line.mixin"
    _description = "Account Plan Line"

    def write(self, vals):
        if vals.get("plan_id"):
            self.env["kam.account.plan"].browse(vals["plan_id"]).check_access("write")
        return super().write(vals)
