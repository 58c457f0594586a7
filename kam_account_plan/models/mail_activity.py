from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # super() may delete the activity: find the plan actions it stands for first.
        actions = (
            self.env["kam.account.plan.action"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("date_done", "=", False)])
        )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if actions:
            actions.write({"date_done": fields.Date.context_today(self)})
        return result
