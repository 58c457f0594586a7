import pytz

from odoo import api, fields, models
from odoo.tools import SQL

# The channels of a contact logged in one tap (kam.contact.log) and the activity type
# each is recorded with: a done activity of that type is the contact's evidence
# (docs/METHOD.md#contact-cadence).
CONTACT_CHANNELS = [
    ("call", "Call"),
    ("visit", "Visit"),
    ("email", "E-mail"),
    ("meeting", "Meeting"),
]
CHANNEL_ACTIVITY_TYPES = {
    "call": "kam_management.mail_activity_type_kam_call",
    "visit": "kam_management.mail_activity_type_kam_visit",
    "email": "kam_management.mail_activity_type_kam_email",
    "meeting": "mail.mail_activity_data_meeting",
}
# Contacts a rep plans with Odoo's own types: while one is open, no reminder is due.
PLANNED_CONTACT_TYPES = (
    "mail.mail_activity_data_call",
    "mail.mail_activity_data_email",
)


class KamContactEvidence(models.AbstractModel):
    """When a company last spoke with each account, from what the database holds
    (docs/METHOD.md#contact-cadence): done activities (logged calls included) and
    messages (not internal notes) on the account, its contacts or its opportunities,
    and meetings held with its people, up to now (a date in the future is no
    contact).

    A contact counts for a company unless one of the other companies' people made
    it: a message written or a meeting organised by an internal user who does not
    work for the company, or on an opportunity of another company. What the
    customer wrote counts for every company that deals with it."""

    _name = "kam.contact.evidence"
    _description = "Key account contact evidence"

    @api.model
    def _kam_tz(self):
        """The time zone whose days contacts are counted in: the user's, as
        fields.Date.context_today counts "today" (UTC when it is unknown). A call
        at 00:30 in Shanghai is that day's, not the day before as in UTC."""
        tz = self.env.context.get("tz") or self.env.user.tz
        return tz if tz in pytz.all_timezones_set else "UTC"

    @api.model
    def _kam_channel_activity_type(self, channel):
        """The activity type a contact of ``channel`` is recorded with."""
        return self.env.ref(CHANNEL_ACTIVITY_TYPES[channel])

    @api.model
    def _kam_contact_activity_types(self, company):
        """The activity types of a planned contact with an account in ``company``:
        its tier reminders' (settings), the channels' and Odoo's call and e-mail.
        While one is open for the manager, the daily job raises no reminder."""
        types = self.env["mail.activity.type"].union(
            *company._kam_settings()["activity_types"].values()
        )
        # The ids from the xml ids' cache: no query per xml id on every batch of the
        # daily job (env.ref checks that each record exists).
        data = self.env["ir.model.data"]
        for xmlid in (*CHANNEL_ACTIVITY_TYPES.values(), *PLANNED_CONTACT_TYPES):
            res_id = data._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            if res_id:
                types |= types.browse(res_id)
        return types

    @api.model
    def _kam_outsider_sql(self, user_partner, company):
        """SQL condition: ``user_partner`` (an SQL expression of a partner id) is an
        internal user's partner who does not work for ``company``."""
        return SQL(
            """
            EXISTS (SELECT 1 FROM res_users u
                     WHERE u.partner_id = %(partner)s AND NOT u.share
                       AND NOT EXISTS (SELECT 1 FROM res_company_users_rel cu
                                        WHERE cu.user_id = u.id
                                          AND cu.cid = %(company)s))
            """,
            partner=user_partner,
            company=company.id,
        )

    @api.model
    def _kam_last_contacts(self, partners, company):
        """{account id: date of the last contact of ``company`` with the account of
        ``partners`` or its contacts}. One query."""
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        self.env.cr.execute(
            SQL(
                """
                WITH people AS (
                    SELECT id, commercial_partner_id AS account_id FROM res_partner
                     WHERE commercial_partner_id = ANY(%(ids)s)
                ), contacts AS (
                    SELECT pe.account_id, m.date
                      FROM people pe
                      JOIN mail_message m
                        ON m.model = 'res.partner' AND m.res_id = pe.id
                     WHERE (m.mail_activity_type_id IS NOT NULL
                            OR m.subtype_id = %(comment)s)
                       AND NOT %(message_outsider)s
                    UNION ALL
                    SELECT pe.account_id, m.date
                      FROM people pe
                      JOIN crm_lead l ON l.partner_id = pe.id
                      JOIN mail_message m ON m.model = 'crm.lead' AND m.res_id = l.id
                     WHERE (m.mail_activity_type_id IS NOT NULL
                            OR m.subtype_id = %(comment)s)
                       AND (l.company_id = %(company)s OR l.company_id IS NULL)
                       AND NOT %(message_outsider)s
                    UNION ALL
                    SELECT pe.account_id, e.start
                      FROM people pe
                      JOIN calendar_event_res_partner_rel r ON r.res_partner_id = pe.id
                      JOIN calendar_event e ON e.id = r.calendar_event_id
                 LEFT JOIN res_users organizer ON organizer.id = e.user_id
                     WHERE e.active
                       AND NOT COALESCE(%(event_outsider)s, FALSE)
                )
                SELECT account_id,
                       MAX(date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                  FROM contacts
                 WHERE date <= %(now)s
              GROUP BY account_id
                """,
                ids=partners.ids,
                comment=comment,
                company=company.id,
                message_outsider=self._kam_outsider_sql(SQL("m.author_id"), company),
                event_outsider=self._kam_outsider_sql(
                    SQL("organizer.partner_id"), company
                ),
                now=fields.Datetime.now(),
                tz=self._kam_tz(),
            )
        )
        return dict(self.env.cr.fetchall())
