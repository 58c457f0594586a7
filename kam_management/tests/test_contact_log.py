"""One-tap contact log (kam.contact.log): a done activity of the channel's type on the
account, the rep's due reminder closed, the last contact moved at once in the company
the rep works in; refused, changing nothing, to whoever may not see the account."""

import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestContactLog(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._account("Road Co", cls.rep)
        cls._sale(cls.account, 100_000)
        cls.company2 = cls.env["res.company"].create({"name": "KAM Europe"})
        cls.rep_eu = new_test_user(
            cls.env,
            login="kam_rep_eu",
            name="Rep Europe",
            groups="kam_management.group_kam_user",
            company_id=cls.company2.id,
            company_ids=[(6, 0, cls.company2.ids)],
        )
        cls.visit = cls.env.ref("kam_management.mail_activity_type_kam_visit")
        cls.call = cls.env.ref("kam_management.mail_activity_type_kam_call")

    def _log(
        self, user, partner, channel="call", note="Spoke with the buyer", companies=None
    ):
        """Log through the dialog as ``user`` opens it from the account's card,
        working in the first of ``companies`` (default: the user's company)."""
        companies = companies or user.company_id
        wizard = self.env["kam.contact.log"].with_user(user)
        wizard = wizard.with_context(allowed_company_ids=companies.ids)
        context = {"active_model": "res.partner", "active_id": partner.id}
        with Form(wizard.with_context(**context)) as form:
            form.channel = channel
            form.note = note
        return form.record.action_log()

    def _messages(self, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("mail_activity_type_id", "!=", False),
            ]
        )

    def _reminders(self, partner):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def _due(self):
        """The account overdue, with the rep's reminder open (the daily job)."""
        self._log_contact(self.account, self.today - datetime.timedelta(days=45))
        self._refresh_all()
        reminder = self._reminders(self.account)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.rep)
        self.assertTrue(self.account.kam_is_overdue)
        return reminder

    def test_log_is_evidence_of_the_channel(self):
        self._refresh_all()
        self._reminders(self.account).unlink()
        before = self._messages(self.account)
        self._log(self.rep, self.account, "visit", "Met the buyer at the plant")
        message = self._messages(self.account) - before
        self.assertEqual(len(message), 1)
        self.assertEqual(message.mail_activity_type_id, self.visit)
        self.assertEqual(message.author_id, self.rep.partner_id)
        self.assertIn("Met the buyer at the plant", message.body)
        self.assertFalse(self._reminders(self.account), "no activity is left open")
        # The evidence the daily job reads backs the new last contact.
        evidence = self.env["kam.contact.evidence"]._kam_last_contacts(
            self.account, self.company
        )
        self.assertEqual(evidence[self.account.id], self.today)
        self.assertEqual(self.account.kam_last_contact_date, self.today)
        self.assertEqual(
            self.account.kam_next_contact_date,
            self.today + datetime.timedelta(days=30),
        )
        # The next refresh keeps it.
        self.account.kam_refresh_date = False
        self._refresh_all()
        self.assertEqual(self.account.kam_last_contact_date, self.today)

    def test_every_channel_has_its_activity_type(self):
        self._refresh_all()
        self._reminders(self.account).unlink()
        expected = {
            "call": self.call,
            "visit": self.visit,
            "email": self.env.ref("kam_management.mail_activity_type_kam_email"),
            "meeting": self.env.ref("mail.mail_activity_data_meeting"),
        }
        for channel, activity_type in expected.items():
            before = self._messages(self.account)
            self._log(self.rep, self.account, channel)
            self.assertEqual(
                (self._messages(self.account) - before).mail_activity_type_id,
                activity_type,
                channel,
            )

    def test_log_closes_the_due_reminder(self):
        reminder = self._due()
        before = self._messages(self.account)
        self._log(self.rep, self.account, "visit", "Visited, order next week")
        self.assertFalse(reminder.exists(), "the reminder is done")
        self.assertFalse(self._reminders(self.account))
        message = self._messages(self.account) - before
        self.assertEqual(len(message), 1, "one message: the reminder done, no second")
        self.assertEqual(message.mail_activity_type_id, self.visit)
        self.assertIn("Visited, order next week", message.body)
        self.assertFalse(self.account.kam_is_overdue)
        self.assertEqual(self.account.kam_last_contact_date, self.today)

    def test_another_persons_reminder_stays(self):
        reminder = self._due()
        self._log(self.director, self.account, "call")
        self.assertTrue(reminder.exists(), "only the rep's own reminder is closed")
        self.assertEqual(self.account.kam_last_contact_date, self.today)

    def test_second_log_the_same_day_raises_no_reminder(self):
        self._due()
        self._log(self.rep, self.account, "call", "First")
        self._log(self.rep, self.account, "email", "Second")
        self.assertEqual(self.account.kam_last_contact_date, self.today)
        self.account.kam_refresh_date = False
        self._refresh_all()
        self.assertFalse(self._reminders(self.account), "no reminder, no duplicate")
        today = self._messages(self.account).filtered(
            lambda m: fields.Date.context_today(m, m.date) >= self.today
        )
        self.assertEqual(len(today), 2)

    def test_last_contact_moves_in_the_current_company_only(self):
        self._refresh_all()
        self.rep.write({"company_ids": [(4, self.company2.id)]})
        self.account.with_company(self.company2).kam_manager_id = self.rep
        self._log(self.rep, self.account, companies=self.company2)
        self.assertFalse(self.account.with_company(self.company).kam_last_contact_date)
        self.assertEqual(
            self.account.with_company(self.company2).kam_last_contact_date, self.today
        )

    def _assert_refused(self, user, partner, error, text, companies=None):
        before = self._messages(partner)
        activities = self._reminders(partner)
        last = partner.kam_last_contact_date
        with self.assertRaisesRegex(error, text):
            self._log(user, partner, companies=companies)
        # A wizard made over RPC, past the dialog, is refused when confirmed.
        wizard = (
            self.env["kam.contact.log"]
            .with_user(user)
            .with_context(allowed_company_ids=(companies or user.company_id).ids)
            .create({"partner_id": partner.id, "channel": "visit", "note": "Forged"})
        )
        with self.assertRaisesRegex(error, text):
            wizard.action_log()
        self.assertEqual(self._messages(partner), before)
        self.assertEqual(self._reminders(partner), activities)
        partner.invalidate_recordset()
        self.assertEqual(partner.kam_last_contact_date, last)

    def test_a_foreign_company_rep_is_refused(self):
        own = self._account("Own Co", self.rep, company_id=self.company.id)
        self._refresh_all()
        self._assert_refused(self.rep_eu, own, AccessError, "not allowed to see it")

    def test_an_account_of_the_other_company_is_refused(self):
        theirs = self._account("Their Co", company_id=self.company2.id)
        self.rep.write({"company_ids": [(4, self.company2.id)]})
        self._assert_refused(
            self.rep,
            theirs,
            UserError,
            "switch to that company",
            companies=self.company | self.company2,
        )

    def test_a_non_account_is_refused(self):
        self._assert_refused(
            self.rep, self.rep2.partner_id, UserError, "not a key account"
        )

    def test_a_contact_logs_on_its_company(self):
        person = self.Partner.create({"name": "Buyer", "parent_id": self.account.id})
        self._refresh_all()
        self._reminders(self.account).unlink()
        before = self._messages(self.account)
        self._log(self.rep, person, "call")
        self.assertEqual(len(self._messages(self.account) - before), 1)
        self.assertEqual(self.account.kam_last_contact_date, self.today)

    def test_the_reminder_offers_the_log(self):
        reminder = self._due()
        self.assertTrue(reminder.with_user(self.rep).kam_is_contact_reminder)
        # Only the rep's own: logging from it closes it.
        self.assertFalse(reminder.with_user(self.director).kam_is_contact_reminder)
        todo = self.account.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.rep.id
        )
        self.assertFalse(todo.kam_is_contact_reminder)
