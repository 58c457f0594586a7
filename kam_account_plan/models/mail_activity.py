from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # super() may delete the activity: find the plan actions it stands for first.
        actions = (
            self.env["kam.account.plan.action"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("date_done", "=", False)])
        )
        # Review activities done from the chatter record the review, as the "Mark
        # Reviewed" button does (else the review cron raises a new one every day).
        review_type = self.env["kam.account.plan"]._review_activity_type()
        reviewed_plans = self.env["kam.account.plan"]
        if review_type:
            reviewed_plans = reviewed_plans.browse(
                self.filtered(
                    lambda activity: activity.res_model == "kam.account.plan"
                    and activity.activity_type_id == review_type
                ).mapped("res_id")
            )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if actions:
            actions._record_done()
        if reviewed_plans:
            reviewed_plans.sudo()._record_review()
        return result
