from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.kam_contact_evidence import CONTACT_CHANNELS


class KamContactLog(models.TransientModel):
    """A contact with an account logged in one tap, from its card, its form or its
    contact reminder: the channel and a line of notes. It is recorded as a done
    activity of the channel's type on the account (the evidence the daily job reads,
    docs/METHOD.md#contact-cadence), closing the rep's due reminder if there is one,
    and the account's last contact moves to today at once."""

    _name = "kam.contact.log"
    _description = "Log a Contact with a Key Account"
    _inherit = ["kam.system.fields.mixin"]

    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, ondelete="cascade"
    )
    channel = fields.Selection(CONTACT_CHANNELS, required=True, default="call")
    note = fields.Char(string="Notes", help="One line: what was said, what comes next.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "partner_id" in fields_list
            and not values.get("partner_id")
            and context.get("active_model") == "res.partner"
            and context.get("active_id")
        ):
            values["partner_id"] = context["active_id"]
        if values.get("partner_id"):
            # Refused at once, before the dialog shows an account it may not.
            partner = self.env["res.partner"].browse(values["partner_id"])
            values["partner_id"] = self._kam_account_to_log(partner).id
        return values

    @api.model
    def _kam_account_to_log(self, partner):
        """The account a contact with ``partner`` is logged on (its company for a
        contact person), once the user is allowed to: they see it (record rules),
        it is an account of the company they work in."""
        try:
            partner.check_access("read")
            account = partner.commercial_partner_id
            account.check_access("read")
        except AccessError:
            raise AccessError(
                self.env._(
                    "You cannot log a contact with this account: you are not allowed "
                    "to see it."
                )
            ) from None
        company = self.env.company
        if account.company_id and account.company_id != company:
            raise UserError(
                self.env._(
                    "%(account)s is an account of %(company)s: switch to that company "
                    "to log a contact with it.",
                    account=account.display_name,
                    company=account.sudo().company_id.display_name,
                )
            )
        if not account.with_company(company).kam_is_account:
            raise UserError(
                self.env._(
                    "%(account)s is not a key account: no contact to log.",
                    account=account.display_name,
                )
            )
        return account

    def _kam_due_reminder(self, account, day):
        """The user's open contact reminder on ``account`` due by ``day``, if any."""
        reminder_types = self.env["mail.activity.type"].union(
            *self.env.company._kam_settings()["activity_types"].values()
        )
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", account.id),
                    ("user_id", "=", self.env.uid),
                    ("activity_type_id", "in", reminder_types.ids),
                    ("date_deadline", "<=", day),
                ],
                order="date_deadline, id",
                limit=1,
            )
        )

    def action_log(self):
        self.ensure_one()
        account = self._kam_account_to_log(self.partner_id)
        day = fields.Date.context_today(self)
        activity_type = self.env["kam.contact.evidence"]._kam_channel_activity_type(
            self.channel
        )
        # The user may only read the account: the activity is written by the system,
        # in their name (its author is the user).
        activity = self._kam_due_reminder(account, day)
        if activity:
            activity.activity_type_id = activity_type
        else:
            activity = (
                self.env["mail.activity"]
                .sudo()
                .with_context(mail_activity_quick_update=True)
                .create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": account.id,
                        "activity_type_id": activity_type.id,
                        "summary": False,
                        "user_id": self.env.uid,
                        "date_deadline": day,
                    }
                )
            )
        activity._action_done(feedback=self.note or False)
        self.env["kam.refresh"]._kam_contact_made(account, day)
        return {"type": "ir.actions.act_window_close"}
