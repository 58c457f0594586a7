"""Where a rule has a Python form and a domain or SQL form (for speed), both are made
from the same constants; these tests check that they agree on a sample."""

import datetime

from odoo.tests import tagged

from ..logic import cadence, cockpit
from .common import KamCase


@tagged("post_install", "-at_install")
class TestRuleForms(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounts = cls.Partner
        for i, amount in enumerate([100_000, 60_000, 30_000, 5_000, 0]):
            account = cls._account(f"Sample {i}", cls.rep if i % 2 else cls.rep2)
            if amount:
                cls._sale(account, amount)
            cls.accounts |= account
        cls.offsets = [-30, -1, 0, 1, None]

    def _set_due_dates(self):
        self._refresh_all()
        for account, offset in zip(self.accounts, self.offsets, strict=True):
            account.kam_next_contact_date = (
                self.today + datetime.timedelta(days=offset)
                if offset is not None
                else False
            )
        self.env.flush_all()

    def test_overdue_domain_and_sql_agree_with_is_overdue(self):
        self._set_due_dates()
        python = self.accounts.filtered(
            lambda p: cadence.is_overdue(p.kam_next_contact_date, self.today)
        )
        self.assertTrue(python, "the sample has overdue accounts")
        self.assertLess(len(python), len(self.accounts), "and accounts in time")
        domain = self.accounts.filtered_domain([("kam_is_overdue", "=", True)])
        self.assertEqual(domain, python)
        self.assertEqual(
            self.accounts.filtered_domain([("kam_is_overdue", "=", False)]),
            self.accounts - python,
        )
        searched = self.Partner.search(
            [("id", "in", self.accounts.ids), ("kam_is_overdue", "=", True)]
        )
        self.assertEqual(searched, python)
        # The compliance snapshot counts in SQL.
        self.env["kam.cadence.snapshot"]._kam_take_snapshot(self.today)
        snapshots = self.env["kam.cadence.snapshot"].search(
            [
                ("date", "=", self.today),
                ("manager_id", "in", (self.rep | self.rep2).ids),
            ]
        )
        self.assertEqual(sum(snapshots.mapped("overdue_count")), len(python))

    def test_pyramid_domains_and_sql_agree_with_pyramid_class(self):
        self._refresh_all()
        self.accounts[-1].kam_purchase_count_12m = 0
        expected = {klass: self.Partner for klass in cockpit.PYRAMID_CLASSES}
        for partner in self.accounts:
            klass = cockpit.pyramid_class(
                partner.kam_is_key_account, partner.kam_purchase_count_12m > 0
            )
            expected[klass] |= partner
        self.assertGreater(
            sum(1 for records in expected.values() if records), 1, "several classes"
        )
        Cockpit = self.env["kam.cockpit"].with_user(self.director)
        domains = Cockpit._kam_cockpit_pyramid_domains()
        for klass, records in expected.items():
            self.assertEqual(self.accounts.filtered_domain(domains[klass]), records)
        rows = Cockpit._kam_cockpit_pyramid(
            [("id", "in", self.accounts.ids)], self.today, self.company
        )
        self.assertEqual(
            {row["klass"]: row["accounts"] for row in rows},
            {klass: len(records) for klass, records in expected.items()},
        )
