import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestAccountHistory(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls._team("History Team", cls.rep)
        cls.big = cls._account("Big Co", cls.rep)
        cls.small = cls._account("Small Co", cls.rep)
        cls._sale(cls.big, 100_000)
        cls._sale(cls.small, 50_000)
        Criterion = cls.env["kam.criterion"]
        Criterion.search([]).active = False
        cls.attr = Criterion.create(
            {"name": "Size", "axis": "attractiveness", "weight": 1}
        )
        cls.rel = Criterion.create(
            {"name": "Contacts", "axis": "relationship", "weight": 1}
        )

    def test_daily_job_records_tier_changes_once(self):
        self._refresh_all()
        tiers = self._history(self.big | self.small, "tier")
        self.assertEqual(
            {(r.partner_id, r.old_value, r.new_value) for r in tiers},
            {(self.big, False, "a"), (self.small, False, "b")},
        )
        row = tiers.filtered(lambda r: r.partner_id == self.big)
        self.assertEqual(row.cause, "refresh")
        self.assertEqual(row.manager_id, self.rep)
        self.assertEqual(row.team_id, self.team)
        self.assertEqual(row.company_id, self.company)
        self.assertEqual(row.new_label, "a")
        self.assertIn("100,000", row.cause_note)
        temperatures = self._history(self.big | self.small, "temperature")
        self.assertEqual(
            {(r.partner_id, r.new_value) for r in temperatures},
            {(self.big, "hot"), (self.small, "warm")},
        )
        # Same day, next day with the same figures: nothing moves, nothing recorded.
        before = self._history(self.big | self.small)
        self.small.kam_refresh_date = False
        self._refresh_all()
        with freeze_time(self.today + datetime.timedelta(days=1)):
            self._refresh_all()
        self.assertEqual(
            self._history(self.big | self.small).filtered(
                lambda r: r.kind != "cadence_breach"
            ),
            before.filtered(lambda r: r.kind != "cadence_breach"),
        )
        # The small account grows past the big one: B -> A, and A -> B for the other.
        self._sale(self.small, 200_000)
        self.big.kam_refresh_date = self.small.kam_refresh_date = False
        self.company.kam_benchmark_date = False
        self._refresh_all()
        self.assertEqual(
            self._history(self.small, "tier")[-1:].mapped("new_value"), ["a"]
        )
        self.assertEqual(
            [(r.old_value, r.new_value) for r in self._history(self.big, "tier")],
            [(False, "a"), ("a", "c")],
        )

    def test_override_records_tier_and_temperature_with_reason(self):
        self._refresh_all()
        self.small.with_user(self.director).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )
        rows = self._history(self.small).filtered(lambda r: r.cause == "override")
        self.assertEqual(
            {(r.kind, r.old_value, r.new_value) for r in rows},
            {("tier", "b", "a"), ("temperature", "warm", "mild")},
        )
        self.assertEqual(set(rows.mapped("cause_note")), {"Strategic"})
        self.assertEqual(rows.manager_id, self.rep)
        # A write that moves nothing records nothing.
        self.small.with_user(self.director).write(
            {"kam_tier_override_reason": "Still strategic"}
        )
        self.small.with_user(self.director).write({"kam_tier_override": "a"})
        self.assertEqual(
            len(self._history(self.small).filtered(lambda r: r.cause == "override")),
            2,
        )

    def test_ratings_record_quadrant_moves_once(self):
        Score = self.env["kam.partner.score"]
        attr = Score.create(
            {"partner_id": self.big.id, "criterion_id": self.attr.id, "score": 9}
        )
        self.assertFalse(self._history(self.big, "quadrant"), "one axis: no quadrant")
        # Through the partner form (a One2many write): recorded once, not twice.
        self.big.with_user(self.rep).write(
            {
                "kam_score_ids": [
                    (0, 0, {"criterion_id": self.rel.id, "score": 8}),
                ]
            }
        )
        quadrant = self._history(self.big, "quadrant")
        self.assertEqual(len(quadrant), 1)
        self.assertEqual(
            (quadrant.old_value, quadrant.new_value, quadrant.cause),
            (False, "key", "rating"),
        )
        attr.score = 2
        self.assertEqual(
            [(r.old_value, r.new_value) for r in self._history(self.big, "quadrant")],
            [(False, "key"), ("key", "maintain")],
        )
        attr.unlink()
        self.assertEqual(
            self._history(self.big, "quadrant")[-1].new_value,
            False,
            "without attractiveness rating the quadrant is gone",
        )

    def test_one_breach_per_overdue_spell(self):
        def day(offset):
            return self.today + datetime.timedelta(days=offset)

        self._refresh_all()
        self.assertFalse(
            self._history(self.big, "cadence_breach"),
            "due today (never contacted): today's work, no breach yet",
        )
        with freeze_time(day(1)):
            self._refresh_all()
        breaches = self._history(self.big, "cadence_breach")
        self.assertEqual(len(breaches), 1, "overdue the day after it was due")
        self.assertEqual(
            (breaches.old_value, breaches.new_value, breaches.manager_id),
            ("in_time", "overdue", self.rep),
        )
        self.assertEqual(self.big.kam_overdue_since, self.big.kam_next_contact_date)
        # Still overdue the next days: the same spell.
        for offset in (2, 3):
            with freeze_time(day(offset)):
                self._refresh_all()
        self.assertEqual(len(self._history(self.big, "cadence_breach")), 1)
        # Contacted: the spell closes; overdue again after the cadence: a new breach.
        self._log_contact(self.big, day(3))
        with freeze_time(day(4)):
            self._refresh_all()
        self.assertFalse(self.big.kam_overdue_since)
        with freeze_time(day(33)):
            self._refresh_all()
        self.assertEqual(
            len(self._history(self.big, "cadence_breach")), 1, "due on day 33"
        )
        with freeze_time(day(34)):
            self._refresh_all()
        self.assertEqual(len(self._history(self.big, "cadence_breach")), 2)
        # Accounts nobody manages have no cadence to breach.
        unowned = self._account("Unowned Co")
        unowned.kam_refresh_date = False
        self._refresh_all()
        self.assertFalse(self._history(unowned, "cadence_breach"))

    def test_quarter_pivot_and_access(self):
        self._refresh_all()
        History = self.env["kam.account.history"]
        groups = History._read_group(
            [("partner_id", "in", (self.big | self.small).ids), ("kind", "=", "tier")],
            ["date:quarter", "old_label", "new_label"],
            ["__count"],
        )
        self.assertEqual(
            sorted((old or "", new, count) for _q, old, new, count in groups),
            [("", "a", 1), ("", "b", 1)],
        )
        rows = History.with_user(self.rep).search([("partner_id", "=", self.big.id)])
        self.assertTrue(rows)
        with self.assertRaises(AccessError):
            History.with_user(self.rep).create(
                {"partner_id": self.big.id, "kind": "tier", "new_value": "a"}
            )
        with self.assertRaises(AccessError):
            rows.with_user(self.director).write({"new_value": "d"})
        action = self.big.action_kam_history()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            self._history(self.big),
        )
        self.assertEqual(self.big.kam_history_count, len(self._history(self.big)))

    def test_other_companies_moves_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other KAM Co"})
        account = self._account("Foreign Co", company_id=other.id)
        History = self.env["kam.account.history"]
        row = History.with_company(other)._kam_record(
            [
                {
                    "partner_id": account.id,
                    "kind": "tier",
                    "old_value": False,
                    "new_value": "a",
                    "cause": "manual",
                }
            ]
        )
        self.assertEqual(row.company_id, other)
        self.assertFalse(History.with_user(self.rep).search([("id", "=", row.id)]))
        self.rep.write({"company_ids": [(4, other.id)]})
        self.assertEqual(
            History.with_user(self.rep)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([("id", "=", row.id)]),
            row,
        )
