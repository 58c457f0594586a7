from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    kam_is_contact_reminder = fields.Boolean(
        "Key Account Contact Reminder",
        compute="_compute_kam_is_contact_reminder",
        help="Your contact reminder on a key account (a tier reminder of the "
        "company): the chatter offers to log the contact in one tap, which closes it.",
    )

    @api.depends("res_model", "activity_type_id", "user_id")
    @api.depends_context("company", "uid")
    def _compute_kam_is_contact_reminder(self):
        reminder_types = self.env["mail.activity.type"].union(
            *self.env.company._kam_settings()["activity_types"].values()
        )
        for activity in self:
            activity.kam_is_contact_reminder = (
                activity.res_model == "res.partner"
                and activity.activity_type_id in reminder_types
                and activity.user_id == self.env.user
            )

    def _action_done(self, feedback=False, attachment_ids=None):
        # A done activity is a contact: move the account's next due date at once rather
        # than at the next daily refresh.
        targets = [(activity.res_model, activity.res_id) for activity in self]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        partner_ids = {res_id for model, res_id in targets if model == "res.partner"}
        lead_ids = {res_id for model, res_id in targets if model == "crm.lead"}
        partners = self.env["res.partner"].sudo().browse(partner_ids).exists()
        partners |= self.env["crm.lead"].sudo().browse(lead_ids).exists().partner_id
        self.env["kam.refresh"]._kam_contact_made(
            partners.commercial_partner_id, fields.Date.context_today(self)
        )
        return result

    def action_kam_nearby(self):
        """The accounts worth visiting near this meeting, on its day."""
        self.ensure_one()
        self.check_access("read")
        return self.env["kam.day.plan"].action_kam_open(
            day=self.date_deadline, activity=self
        )
