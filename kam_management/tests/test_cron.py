import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestDailyJob(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a_account = cls._account("A Co", cls.rep)
        cls.d_account = cls._account("D Co", cls.rep2)
        cls.fresh = cls._account("Fresh Co", cls.rep)
        cls.unowned = cls._account("Unowned Co")
        cls._sale(cls.a_account, 100_000)
        cls._sale(cls.fresh, 90_000)
        # The tier reminders' default types, named for the key accounts.
        cls.call = cls.env.ref("kam_management.mail_activity_type_kam_call")
        cls.email = cls.env.ref("kam_management.mail_activity_type_kam_email")

    def _reminders(self, partners):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )

    def test_reminder_falls_on_the_due_date(self):
        # Due today: a reminder for today ("Today" in the activities), not overdue.
        # Due 10 days ago: the reminder says so (overdue since its due date).
        self._log_contact(self.fresh, self.today - datetime.timedelta(days=40))
        self._refresh_all()
        today_reminder = self._reminders(self.a_account)
        self.assertEqual(today_reminder.date_deadline, self.today)
        self.assertEqual(today_reminder.state, "today")
        self.assertFalse(self.a_account.kam_is_overdue)
        late = self._reminders(self.fresh)
        self.assertEqual(late.date_deadline, self.today - datetime.timedelta(days=10))
        self.assertEqual(late.state, "overdue")
        self.assertTrue(self.fresh.kam_is_overdue)

    def test_never_contacted_is_due_from_its_creation_day_for_its_users(self):
        """Created at 23:30 UTC, which is already the next day in Brussels: for the
        job working in Brussels time, it is due that next day ("Today"), not the
        day before (overdue)."""
        self.env.user.tz = "Europe/Brussels"
        night = self._account("Night Co", self.rep)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = %s",
            ("2026-06-10 23:30:00", night.id),
        )
        self.env.invalidate_all()
        with freeze_time("2026-06-11 09:00:00"):
            self._refresh_all()
            self.assertEqual(night.kam_next_contact_date, datetime.date(2026, 6, 11))
            self.assertFalse(night.kam_is_overdue)
            self.assertEqual(self._reminders(night).state, "today")

    def test_a_contact_counts_on_the_day_of_its_users(self):
        """A call logged at 23:30 UTC is the next day's in Brussels: for the job
        working in Brussels time, the last contact is that next day."""
        self.env.user.tz = "Europe/Brussels"
        message = self._log_contact(self.fresh, datetime.date(2026, 6, 10))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE id = %s",
            ("2026-06-10 23:30:00", message.id),
        )
        with freeze_time("2026-06-11 09:00:00"):
            last = self.env["kam.contact.evidence"]._kam_last_contacts(
                self.fresh, self.company
            )
        self.assertEqual(last[self.fresh.id], datetime.date(2026, 6, 11))

    def test_one_reminder_per_overdue_account_of_the_tier_channel(self):
        self._log_contact(self.fresh, self.today - datetime.timedelta(days=3))
        self._refresh_all()
        reminders = self._reminders(
            self.a_account | self.d_account | self.fresh | self.unowned
        )
        by_partner = {r.res_id: r for r in reminders}
        self.assertEqual(set(by_partner), {self.a_account.id, self.d_account.id})
        self.assertEqual(by_partner[self.a_account.id].activity_type_id, self.call)
        self.assertEqual(by_partner[self.a_account.id].user_id, self.rep)
        self.assertEqual(by_partner[self.d_account.id].activity_type_id, self.email)
        self.assertEqual(by_partner[self.d_account.id].user_id, self.rep2)
        self.assertEqual(self.d_account.kam_tier, "d")

    def test_run_twice_changes_nothing(self):
        self._refresh_all()
        first = self._reminders(self.a_account | self.d_account)
        self.assertEqual(len(first), 2)
        # Same day: nothing is pending any more.
        self.assertEqual(self.Partner._cron_kam_daily(), 0)
        # Next day, every account is refreshed again, but an open reminder is never
        # doubled.
        with freeze_time(self.today + datetime.timedelta(days=1)):
            self._refresh_all()
        self.assertEqual(self._reminders(self.a_account | self.d_account), first)

    def test_existing_open_call_prevents_reminder(self):
        self.a_account.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.rep.id
        )
        self._refresh_all()
        self.assertEqual(len(self._reminders(self.a_account)), 1)

    def test_a_planned_visit_prevents_reminder(self):
        self.a_account.activity_schedule(
            "kam_management.mail_activity_type_kam_visit", user_id=self.rep.id
        )
        self._refresh_all()
        self.assertEqual(len(self._reminders(self.a_account)), 1)

    def test_a_chosen_reminder_type_is_used(self):
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        self.company.kam_activity_type_a_id = meeting
        self._refresh_all()
        self.assertEqual(self._reminders(self.a_account).activity_type_id, meeting)

    def test_batches_report_progress_and_resume_after_a_crash(self):
        accounts = self.Partner.search(self.Partner._kam_account_domain())
        total = len(accounts)
        remaining = self.Partner._cron_kam_daily(batch_size=2)
        # The accounts left, seen up to a batch ahead (the cron's progress).
        self.assertEqual(remaining, min(total - 2, 2))
        done = self.Partner.search_count(
            self.Partner._kam_account_domain() + [("kam_refresh_date", "=", self.today)]
        )
        self.assertEqual(done, 2)
        # A crash between batches loses nothing: the next run only takes the rest;
        # a full batch is always followed by one more call (its sweep finds any
        # account left behind), the last one refreshes less than a batch.
        runs = self._refresh_all(batch_size=7)
        self.assertEqual(runs, (total - 2) // 7 + 1)
        self.assertFalse(
            self.Partner.search_count(
                self.Partner._kam_account_domain()
                + [("kam_refresh_date", "!=", self.today)]
            )
        )
        self.assertEqual(len(self._reminders(self.a_account | self.d_account)), 2)

    def test_batches_go_on_from_where_the_last_one_stopped(self):
        """Each batch starts after the last account the one before refreshed that
        day (the company's position), not by scanning again the accounts refreshed
        before it; an account queued again below the position (its refresh date
        cleared) is still refreshed the same day, by the sweep at the end."""
        # Every account of every company to refresh (the demo's were refreshed on
        # install), each company from its first account.
        self.Partner.search([]).kam_refresh_date = False
        self.env["res.company"].search([]).sudo().write(
            {"kam_refresh_cursor_date": False}
        )
        refresh = self.env["kam.refresh"]
        accounts = self.Partner.search(
            refresh._kam_pending_domain(self.company, self.today), order="id"
        )
        self.assertGreater(len(accounts), 6)
        self.Partner._cron_kam_daily(batch_size=3)
        self.assertEqual(self.company.kam_refresh_cursor, accounts[2].id)
        self.assertEqual(self.company.kam_refresh_cursor_date, self.today)
        self.Partner._cron_kam_daily(batch_size=3)
        self.assertEqual(self.company.kam_refresh_cursor, accounts[5].id)
        self._refresh_all(batch_size=3)
        self.assertEqual(self.company.kam_refresh_cursor, accounts[-1].id)
        # Queued again below the position: found by the sweep.
        accounts[1].kam_refresh_date = False
        self.assertEqual(self._refresh_all(batch_size=3), 1)
        self.assertEqual(accounts[1].kam_refresh_date, self.today)
        # The next day starts from the beginning.
        with freeze_time(self.today + datetime.timedelta(days=1)):
            self.Partner._cron_kam_daily(batch_size=3)
            self.assertEqual(self.company.kam_refresh_cursor, accounts[2].id)

    def test_reminder_and_feedback_for_the_same_manager(self):
        """A due account whose revenue drops gets both a reminder and a feedback
        request for its manager in one batch (mail.activity's create subscribes the
        manager once per activity: two for one account in one create broke the
        followers' unique key)."""
        blue = self._account("Blue Co", self.rep)
        self._sale(blue, 10_000)
        self._sale(blue, 200_000, self.today - datetime.timedelta(days=400))
        self._refresh_all()
        feedback = self.env.ref("kam_management.mail_activity_type_kam_feedback")
        activities = self._reminders(blue)
        self.assertEqual(len(activities), 2)
        self.assertEqual(activities.user_id, self.rep)
        self.assertIn(feedback, activities.activity_type_id)
        self.assertIn(self.rep.partner_id, blue.message_partner_ids)

    def test_reminders_are_stored_as_mail_activity_computes_them(self):
        """The job gives the document's name, the assignee's time zone and no done
        date with the reminders and spares mail.activity computing them again: what
        is stored is what mail.activity computes."""
        self.rep.tz = "Asia/Shanghai"
        blue = self._account("Blue Co", self.rep)
        self._refresh_all()
        activities = self._reminders(blue)
        self.assertTrue(activities)
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.cr.execute(
            "SELECT res_name, user_tz, date_done FROM mail_activity WHERE id = ANY(%s)",
            [activities.ids],
        )
        self.assertEqual(
            set(self.env.cr.fetchall()), {(blue.display_name, "Asia/Shanghai", None)}
        )
        # What mail.activity's own compute finds.
        activities._compute_res_name()
        self.assertEqual(set(activities.mapped("res_name")), {blue.display_name})

    def test_cron_record_runs(self):
        cron = self.env.ref("kam_management.ir_cron_kam_daily")
        self.assertTrue(cron.active)
        cron.method_direct_trigger()
        self.assertEqual(self.a_account.kam_tier, "a")

    def test_odd_data_does_not_break_the_job(self):
        # A negative (credit) deal, an account without company, one without manager, an
        # archived account: the job still finishes.
        self._sale(self.fresh, -500_000)
        self.Partner.create(
            {"name": "Archived Co", "is_company": True, "active": False}
        )
        self._refresh_all()
        self.assertEqual(self.fresh.kam_revenue_12m, -410_000)
        self.assertEqual(self.fresh.kam_tier, "c")
        self.assertEqual(self.fresh.kam_temperature, "cold")

    def test_temperature_and_decline(self):
        blue = self._account("Blue Co", self.rep)
        self._sale(blue, 10_000)
        self._sale(blue, 200_000, self.today - datetime.timedelta(days=400))
        self._refresh_all()
        self.assertEqual(self.a_account.kam_temperature, "hot")
        self.assertEqual(self.a_account.kam_temperature_color, 1)
        self.assertEqual(blue.kam_tier, "c")
        self.assertTrue(blue.kam_revenue_declining)
        self.assertAlmostEqual(blue.kam_revenue_trend, -95.0)
        feedback = self.env.ref("kam_management.mail_activity_type_kam_feedback")
        requests = self._reminders(blue).filtered(
            lambda a: a.activity_type_id == feedback
        )
        self.assertEqual(
            len(requests), 1, "a drop asks the customer for feedback, once"
        )
        self.assertEqual(requests.user_id, self.rep)
        blue.kam_refresh_date = False
        self._refresh_all()
        self.assertEqual(
            len(
                self._reminders(blue).filtered(lambda a: a.activity_type_id == feedback)
            ),
            1,
        )
        # A tier A account that brings little is close to freezing: blue.
        blue.with_user(self.director).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )
        self.assertEqual(blue.kam_temperature, "cold")
        self.assertEqual(blue.kam_temperature_color, 8)
        self.assertIn(
            blue,
            self.Partner.search(
                [("kam_temperature", "in", ("cool", "cold")), ("kam_tier", "=", "a")]
            ),
        )

    def test_lifetime_value(self):
        ltv = self._account("Quarterly Co", self.rep)
        for months in (1, 4, 7, 10):
            self._sale(ltv, 10_000, self.today - datetime.timedelta(days=30 * months))
        self._refresh_all()
        self.assertEqual(ltv.kam_purchase_count_12m, 4)
        self.assertAlmostEqual(ltv.kam_lifetime_value, 120_000)

    def test_own_companies_and_staff_are_not_accounts(self):
        self._refresh_all()
        self.assertFalse(self.company.partner_id.kam_tier)
        self.assertFalse(self.rep.partner_id.kam_tier)
        portal = self.env["res.users"].create(
            {
                "name": "Portal Buyer",
                "login": "kam_portal_buyer",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        portal.partner_id.kam_refresh_date = False
        self._refresh_all()
        self.assertFalse(portal.partner_id.kam_tier, "users' partners are no accounts")

    def test_deals_of_the_account_people_count_for_the_account(self):
        # The revenue and the open deals of an account are those of its people too
        # (a deal is made with a buyer, not with the company): each batch looks them
        # up through the account's contacts, and never counts another account's.
        account = self._account("People Co", self.rep)
        buyer = self.Partner.create({"name": "Buyer", "parent_id": account.id})
        assistant = self.Partner.create({"name": "Assistant", "parent_id": buyer.id})
        neighbour = self._account("Neighbour Co")
        self._sale(account, 10_000)
        self._sale(buyer, 20_000)
        self._sale(assistant, 5_000, self.today - datetime.timedelta(days=400))
        self._sale(neighbour, 70_000)
        prospect = self._account("Prospect Co")
        self.env["crm.lead"].create(
            {
                "name": "Open deal",
                "type": "opportunity",
                "partner_id": self.Partner.create(
                    {"name": "Prospect Buyer", "parent_id": prospect.id}
                ).id,
                "stage_id": self.open_stage.id,
            }
        )
        self._refresh_all(batch_size=2)
        self.assertAlmostEqual(account.kam_revenue_12m, 30_000)
        self.assertAlmostEqual(account.kam_revenue_prev_12m, 5_000)
        self.assertEqual(account.kam_purchase_count_12m, 2)
        self.assertAlmostEqual(neighbour.kam_revenue_12m, 70_000)
        self.assertTrue(prospect.kam_has_prospects)
        self.assertEqual(prospect.kam_tier, "c", "an open deal makes a prospect C")
        self.assertFalse(buyer.kam_tier, "the account's people are no accounts")
