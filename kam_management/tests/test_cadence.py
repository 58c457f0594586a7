import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestCadence(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._account("Cadence Co", cls.rep)
        cls.benchmark = cls._account("Benchmark Co")
        cls._sale(cls.benchmark, 100_000)
        cls._sale(cls.account, 100_000)

    def test_next_contact_from_done_activity(self):
        self._refresh_all()
        self.assertEqual(self.account.kam_tier, "a")
        self.assertEqual(self.account.kam_cadence_days, 30)
        activity = self.account.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.rep.id
        )
        activity.with_user(self.rep).action_feedback(feedback="Talked to the buyer")
        today = fields.Date.context_today(self.account)
        self.assertEqual(self.account.kam_last_contact_date, today)
        self.assertEqual(
            self.account.kam_next_contact_date, today + datetime.timedelta(days=30)
        )
        self.assertFalse(self.account.kam_is_overdue)

    def test_last_contact_sources(self):
        contact = self.Partner.create({"name": "Buyer", "parent_id": self.account.id})
        with freeze_time(self.today - datetime.timedelta(days=40)):
            # A message sent to the customer counts, an internal note does not.
            self.account.message_post(
                body="Offer sent",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        with freeze_time(self.today - datetime.timedelta(days=20)):
            self.account.message_post(
                body="Internal", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self._refresh_all()
        self.assertEqual(
            self.account.kam_last_contact_date, self.today - datetime.timedelta(days=40)
        )
        self.assertTrue(
            self.account.kam_is_overdue, "40 days without contact on a 30-day cadence"
        )
        # A meeting with one of its people.
        start = datetime.datetime.combine(
            self.today - datetime.timedelta(days=5), datetime.time(9)
        )
        self.env["calendar.event"].create(
            {
                "name": "Quarterly review",
                "start": start,
                "stop": start + datetime.timedelta(hours=1),
                "partner_ids": [(4, contact.id)],
            }
        )
        self.Partner.search([("id", "=", self.account.id)]).kam_refresh_date = False
        self._refresh_all()
        self.assertEqual(
            self.account.kam_last_contact_date, self.today - datetime.timedelta(days=5)
        )
        self.assertFalse(self.account.kam_is_overdue)

    def test_message_on_opportunity_counts(self):
        lead = self.env["crm.lead"].create(
            {"name": "Upsell", "partner_id": self.account.id, "type": "opportunity"}
        )
        with freeze_time(self.today - datetime.timedelta(days=3)):
            lead.message_post(
                body="Proposal", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self._refresh_all()
        self.assertEqual(
            self.account.kam_last_contact_date, self.today - datetime.timedelta(days=3)
        )

    def test_overdue_search(self):
        self._refresh_all()
        self.account.kam_last_contact_date = self.today - datetime.timedelta(days=31)
        self.assertTrue(self.account.kam_is_overdue)
        self.assertIn(
            self.account, self.Partner.search([("kam_is_overdue", "=", True)])
        )
        self.assertNotIn(
            self.account, self.Partner.search([("kam_is_overdue", "=", False)])
        )
        self.assertNotIn(
            self.account, self.Partner.search([("kam_is_overdue", "!=", True)])
        )
        with freeze_time(self.today - datetime.timedelta(days=2)):
            self.assertNotIn(
                self.account, self.Partner.search([("kam_is_overdue", "=", True)])
            )

    def test_never_contacted_account_is_due(self):
        self._refresh_all()
        self.assertFalse(self.account.kam_last_contact_date)
        self.assertEqual(
            self.account.kam_next_contact_date,
            fields.Date.context_today(self.account, self.account.create_date),
        )
        # Due today is today's work (Odoo's activities say "Today"), overdue the day
        # after.
        self.assertFalse(self.account.kam_is_overdue)
        with freeze_time(self.account.create_date + datetime.timedelta(days=1)):
            self.account.invalidate_recordset(["kam_is_overdue"])
            self.assertTrue(self.account.kam_is_overdue)
