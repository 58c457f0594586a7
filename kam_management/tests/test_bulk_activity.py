import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.mail.models.mail_activity import MailActivity as MailActivityBase
from odoo.addons.mail.models.mail_thread import MailThread

from .common import KamCase


@tagged("post_install", "-at_install")
class TestBulkActivities(KamCase):
    """The daily job's activities go in with one INSERT while nothing but Odoo's
    mail extends mail.activity's create: what it stores, the followers, the caches
    and the activity menus must be what that create makes, or the job takes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bulk = cls.env["kam.bulk.activity"]
        cls.call = cls.env.ref("kam_management.mail_activity_type_kam_call")
        cls.feedback = cls.env.ref("kam_management.mail_activity_type_kam_feedback")
        cls.rep.tz = "Asia/Shanghai"

    def _values(self, first, second):
        """A reminder and a feedback request for the same manager on ``first`` (due
        10 days ago and in 7 days), a reminder due today for another on
        ``second``."""
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = self.today
        return [
            {
                "res_model_id": model_id,
                "res_id": first.id,
                "activity_type_id": self.call.id,
                "user_id": self.rep.id,
                "date_deadline": today - datetime.timedelta(days=10),
                "summary": "Tier A contact due (every 30 days)",
            },
            {
                "res_model_id": model_id,
                "res_id": first.id,
                "activity_type_id": self.feedback.id,
                "user_id": self.rep.id,
                "date_deadline": today + datetime.timedelta(days=7),
                "summary": "Revenue down 40%: ask for feedback",
            },
            {
                "res_model_id": model_id,
                "res_id": second.id,
                "activity_type_id": self.call.id,
                "user_id": self.rep2.id,
                "date_deadline": today,
                "summary": "Tier B contact due (every 90 days)",
            },
        ]

    def _stored(self, activities, twins):
        """The stored rows of ``activities``, but for their ids, dates of writing and
        accounts (each replaced by its place in ``twins``)."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT * FROM mail_activity WHERE id = ANY(%s)", [activities.ids]
        )
        names = [column.name for column in self.env.cr.description]
        rows = []
        for row in self.env.cr.fetchall():
            values = dict(zip(names, row, strict=True))
            values["res_id"] = twins.ids.index(values["res_id"])
            for column in ("id", "create_date", "write_date"):
                values.pop(column)
            rows.append(tuple(sorted(values.items(), key=lambda item: item[0])))
        return sorted(rows, key=repr)

    def _followers(self, account):
        return {
            (follower.partner_id.id, frozenset(follower.subtype_ids.ids))
            for follower in account.message_follower_ids
        }

    def test_one_insert_makes_what_mail_activity_create_makes(self):
        inserted = self._account("Twin Co") | self._account("Other Twin Co")
        created = self._account("Twin Co") | self._account("Other Twin Co")
        # Read before: the accounts' lists of activities are in the cache.
        self.assertFalse(inserted.activity_ids | created.activity_ids)
        self.assertTrue(
            self.bulk._kam_insert_supported(
                self.bulk._kam_complete(self._values(*inserted))
            )
        )
        self.assertTrue(self.bulk._kam_follow_supported())
        with patch.object(type(self.env["res.users"]), "_bus_send") as bus:
            by_insert = self.bulk._kam_create(self._values(*inserted))
        # The menus of both assignees: each has something due today or before.
        self.assertEqual(bus.call_count, 1)
        self.assertEqual(
            bus.call_args.args, ("mail.activity/updated", {"activity_created": True})
        )
        with patch.object(type(self.bulk), "_kam_insert_supported", return_value=False):
            by_create = self.bulk._kam_create(self._values(*created))
        self.assertEqual(len(by_insert), 3)
        # What the INSERT wrote is what mail.activity computes: nothing is left for
        # the next flush to compute again (its name, the assignee's time zone).
        for field in by_insert._fields.values():
            self.assertFalse(by_insert & self.env.records_to_compute(field), field.name)
        self.assertEqual(
            self._stored(by_insert, inserted), self._stored(by_create, created)
        )
        for mine, theirs in zip(inserted, created, strict=True):
            self.assertEqual(self._followers(mine), self._followers(theirs))
        self.assertIn(self.rep.partner_id, inserted[0].message_partner_ids)
        self.assertIn(self.rep2.partner_id, inserted[1].message_partner_ids)
        # The caches follow, as after a create: the lists, the activity state.
        self.assertEqual(inserted.activity_ids, by_insert)
        self.assertEqual(inserted[0].activity_state, "overdue")
        self.assertEqual(inserted[1].activity_state, "today")
        self.assertEqual(
            inserted[0].activity_ids.mapped("res_name"), ["Twin Co", "Twin Co"]
        )

    def test_an_extended_create_takes_the_orm(self):
        accounts = self._account("Blue Co") | self._account("Green Co")
        values = self._values(*accounts)
        activity_class = type(self.env["mail.activity"])
        # Another module's create (here: one more class defining it) is never
        # skipped.
        with patch.object(activity_class, "create", activity_class.create):
            self.assertFalse(
                self.bulk._kam_insert_supported(self.bulk._kam_complete(values))
            )
            with patch.object(
                type(self.bulk), "_kam_insert", side_effect=AssertionError
            ):
                activities = self.bulk._kam_create(values)
        self.assertEqual(len(activities), 3)
        self.assertEqual(
            sorted(activities.mapped("res_id")), [accounts[0].id] * 2 + [accounts[1].id]
        )
        # A stored field mail.activity computes and the values do not give: the ORM
        # computes it.
        incomplete = self.bulk._kam_complete(values)
        for vals in incomplete:
            del vals["res_name"]
        self.assertFalse(self.bulk._kam_insert_supported(incomplete))
        # A default the INSERT does not apply (the followers' way applies none):
        # the ORM applies it.
        given = set().union(*self.bulk._kam_complete(values))
        self.assertTrue(
            self.bulk._kam_may_insert("mail.activity", MailActivityBase, given)
        )
        self.assertFalse(
            self.bulk._kam_may_insert(
                "mail.activity", MailActivityBase, given, defaults=False
            )
        )

    def test_an_extended_subscription_takes_mail_s_way(self):
        accounts = self._account("Blue Co") | self._account("Green Co")
        partner_class = type(self.env["res.partner"])
        # Another module's subscription of partners (here: one more class defining
        # it) is never skipped.
        with patch.object(
            partner_class, "message_subscribe", partner_class.message_subscribe
        ):
            self.assertFalse(self.bulk._kam_follow_supported())
            with patch.object(
                type(self.bulk), "_kam_follow", side_effect=AssertionError
            ):
                self.bulk._kam_create(self._values(*accounts))
        self.assertIn(self.rep.partner_id, accounts[0].message_partner_ids)
        self.assertIn(self.rep2.partner_id, accounts[1].message_partner_ids)

    def test_a_follower_keeps_its_subscription(self):
        """As with message_subscribe: who already follows an account keeps the
        subtypes they chose."""
        accounts = self._account("Blue Co") | self._account("Green Co")
        note = self.env.ref("mail.mt_note")
        accounts[0].message_subscribe(
            partner_ids=self.rep.partner_id.ids, subtype_ids=note.ids
        )
        self.bulk._kam_create(self._values(*accounts))
        follower = accounts[0].message_follower_ids.filtered(
            lambda follower: follower.partner_id == self.rep.partner_id
        )
        self.assertEqual(follower.subtype_ids, note)
        self.assertIn(self.rep2.partner_id, accounts[1].message_partner_ids)

    def test_the_daily_job_inserts_its_reminders(self):
        account = self._account("Blue Co", self.rep)
        bulk_class = type(self.bulk)
        with (
            patch.object(bulk_class, "_kam_orm_create", side_effect=AssertionError),
            patch.object(MailThread, "message_subscribe", side_effect=AssertionError),
        ):
            self._refresh_all()
        reminder = account.activity_ids
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.rep)
        self.assertEqual(reminder.user_tz, "Asia/Shanghai")
        self.assertIn(self.rep.partner_id, account.message_partner_ids)
