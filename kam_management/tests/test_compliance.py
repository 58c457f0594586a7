import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestCadenceCompliance(KamCase):
    """Four days of the daily job: rep One has two tier A accounts (one contacted in
    time, one overdue until day 2) and a tier B account in time; rep Two one tier A
    account, overdue throughout."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls._team("Compliance Team", cls.rep | cls.rep2)
        cls.a1 = cls._account("A1 Co", cls.rep)
        cls.a2 = cls._account("A2 Co", cls.rep)
        cls.b1 = cls._account("B1 Co", cls.rep)
        cls.a3 = cls._account("A3 Co", cls.rep2)
        for account, amount in (
            (cls.a1, 100_000),
            (cls.a2, 95_000),
            (cls.b1, 60_000),
            (cls.a3, 100_000),
        ):
            cls._sale(account, amount)
        # A2, never contacted, has been due since it was created five days ago.
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = create_date - interval '5 days'"
            " WHERE id = %s",
            [cls.a2.id],
        )
        cls.a2.invalidate_recordset(["create_date"])
        cls.day0 = cls.today

    def _day(self, offset):
        return self.day0 + datetime.timedelta(days=offset)

    def _run_days(self):
        self._log_contact(self.a1, self._day(-5))
        self._log_contact(self.b1, self._day(-10))
        self._log_contact(self.a3, self._day(-40))
        for offset in range(4):
            if offset == 2:
                self._log_contact(self.a2, self._day(2))
            with freeze_time(self._day(offset)):
                self._refresh_all()

    def _snapshot(self, day, manager, tier):
        return self.env["kam.cadence.snapshot"].search(
            [("date", "=", day), ("manager_id", "=", manager.id), ("tier", "=", tier)]
        )

    def test_daily_snapshot_counts_and_is_idempotent(self):
        self._run_days()
        row = self._snapshot(self._day(0), self.rep, "a")
        self.assertEqual((row.account_count, row.compliant_count), (2, 1))
        self.assertEqual(row.overdue_count, 1)
        self.assertEqual(row.team_id, self.team)
        self.assertAlmostEqual(row.compliance_rate, 50.0)
        row = self._snapshot(self._day(2), self.rep, "a")
        self.assertEqual((row.account_count, row.compliant_count), (2, 2))
        row = self._snapshot(self._day(3), self.rep2, "a")
        self.assertEqual((row.account_count, row.compliant_count), (1, 0))
        self.assertEqual(
            (
                self._snapshot(self._day(3), self.rep, "b").account_count,
                self._snapshot(self._day(3), self.rep, "b").compliant_count,
            ),
            (1, 1),
        )
        Snapshot = self.env["kam.cadence.snapshot"]
        count = Snapshot.search_count([])
        # Running it again the same day replaces the day's rows.
        with freeze_time(self._day(3)):
            Snapshot._kam_take_snapshot(self._day(3))
            self.assertEqual(self.Partner._cron_kam_daily(), 0)
        self.assertEqual(Snapshot.search_count([]), count)
        self.assertEqual(len(self._snapshot(self._day(3), self.rep, "a")), 1)

    def test_rates_trend_and_breaches_over_two_periods(self):
        self._run_days()
        cockpit = self.env["kam.cockpit"].with_user(self.director)
        with freeze_time(self._day(3)):
            data = cockpit.get_cockpit_data(period_days=2, team_id=self.team.id)
        compliance = data["compliance"]
        reps = {rep["manager_id"]: rep for rep in compliance["reps"]}
        self.assertEqual(set(reps), {self.rep.id, self.rep2.id})
        one = reps[self.rep.id]["tiers"]
        # Days 2-3: 4 of 4 account-days in time; days 0-1: 2 of 4.
        self.assertEqual((one["a"]["rate"], one["a"]["previous"]), (100.0, 50.0))
        self.assertEqual(one["a"]["trend"], 50.0)
        self.assertEqual(one["a"]["account_days"], 4)
        self.assertEqual((one["b"]["rate"], one["b"]["trend"]), (100.0, 0.0))
        self.assertIsNone(one["c"]["rate"])
        self.assertEqual((one["all"]["rate"], one["all"]["previous"]), (100.0, 66.7))
        two = reps[self.rep2.id]["tiers"]
        self.assertEqual((two["a"]["rate"], two["a"]["trend"]), (0.0, 0.0))
        [team] = compliance["teams"]
        self.assertEqual(team["team_id"], self.team.id)
        self.assertEqual(
            (team["tiers"]["a"]["rate"], team["tiers"]["a"]["previous"]), (66.7, 33.3)
        )
        self.assertEqual(compliance["overall"]["a"]["trend"], 33.4)
        # The weekly trend: two days fall in one or two weeks; one week is the period.
        weekly = compliance["weekly"]
        self.assertIn(len(weekly), (1, 2))
        self.assertTrue(all(0 <= w["rate"] <= 100 for w in weekly))
        if len(weekly) == 1:
            self.assertEqual(weekly[0]["rate"], compliance["overall"]["all"]["rate"])
        # Breaches: A2 and A3 fell overdue on day 0, outside a 2-day period.
        self.assertEqual(compliance["breaches"], 0)
        self.assertEqual(reps[self.rep2.id]["overdue_now"], 1)
        self.assertEqual(reps[self.rep.id]["overdue_now"], 0)
        with freeze_time(self._day(3)):
            data = cockpit.get_cockpit_data(period_days=4, team_id=self.team.id)
        compliance = data["compliance"]
        reps = {rep["manager_id"]: rep for rep in compliance["reps"]}
        self.assertEqual(compliance["breaches"], 2)
        self.assertEqual(reps[self.rep.id]["breaches"], 1)
        History = self.env["kam.account.history"]
        self.assertEqual(
            History.search(reps[self.rep.id]["breach_domain"]).partner_id, self.a2
        )
        self.assertEqual(
            History.search(compliance["breach_domain"]).partner_id, self.a2 | self.a3
        )
        with freeze_time(self._day(3)):
            self.assertEqual(
                self.Partner.search(reps[self.rep2.id]["overdue_domain"]), self.a3
            )
        self.assertIsNone(reps[self.rep.id]["tiers"]["a"]["previous"])
        self.assertEqual(reps[self.rep.id]["tiers"]["a"]["rate"], 75.0)
