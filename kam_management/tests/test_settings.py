import math

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestSettings(KamCase):
    def test_settings_form_changes_cadence(self):
        account = self._account("Settings Co", self.rep)
        self._sale(account, 1000)
        self._refresh_all()
        self.assertEqual(account.kam_cadence_days, 30)
        with Form(self.env["res.config.settings"]) as settings:
            settings.kam_cadence_a = 14
        settings.save().execute()
        self.assertEqual(self.company.kam_cadence_a, 14)
        self.assertFalse(
            account.kam_refresh_date, "a settings change queues the accounts"
        )
        # The day's job starts again from the first account, not behind its position.
        self.assertFalse(self.company.kam_refresh_cursor_date)
        self._refresh_all()
        self.assertEqual(account.kam_cadence_days, 14)
        self.assertEqual(self.company.kam_refresh_cursor_date, self.today)

    def test_bad_settings_are_refused(self):
        for values in (
            {"kam_cadence_b": -5},
            {"kam_cadence_d": 0},
            {"kam_tier_b_ratio": 20.0, "kam_tier_c_ratio": 30.0},
            {"kam_temperature_hot": 50.0, "kam_temperature_warm": 75.0},
            {"kam_benchmark_top_n": 0},
            {"kam_attractiveness_threshold": 120.0},
            {"kam_lookalike_min_match": 4},
            # cut-offs out of order, out of range, not numbers
            {"kam_tier_a_from": 40.0},
            {"kam_tier_b_from": 0.0},
            {"kam_tier_a_from": 101.0},
            {"kam_tier_b_from": math.nan},
            {"kam_tier_a_from": math.inf},
            # a level outside its own tier
            {"kam_tier_b_ratio": 85.0},
            {"kam_tier_c_ratio": 50.0},
        ):
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                self.company.write(values)
        self.assertEqual(self.company.kam_cadence_b, 90)
        self.assertEqual(
            (self.company.kam_tier_a_from, self.company.kam_tier_b_from), (80.0, 45.0)
        )

    def test_settings_form_sets_the_tier_cutoffs(self):
        account = self._account("Cut-off Co", self.rep)
        self._sale(account, 1000)
        self._refresh_all()
        with Form(self.env["res.config.settings"]) as settings:
            # the defaults: midway between the levels
            self.assertEqual(settings.kam_tier_a_from, 80.0)
            self.assertEqual(settings.kam_tier_b_from, 45.0)
            settings.kam_tier_a_from = 90.0
            settings.kam_tier_b_from = 50.0
        settings.save().execute()
        self.assertEqual(
            (self.company.kam_tier_a_from, self.company.kam_tier_b_from), (90.0, 50.0)
        )
        self.assertFalse(account.kam_refresh_date, "new cut-offs queue the accounts")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            with Form(self.env["res.config.settings"]) as settings:
                settings.kam_tier_b_from = 95.0
            settings.save().execute()
        self.assertEqual(self.company.kam_tier_b_from, 50.0)

    def test_invoice_source_needs_invoicing(self):
        if "account.move" in self.env:
            self.skipTest("Invoicing is installed in this database")
        with self.assertRaises(ValidationError):
            self.company.kam_revenue_source = "invoice"

    def test_revenue_by_partner_rejects_reversed_period(self):
        with self.assertRaises(ValidationError):
            self.env["kam.revenue"]._kam_revenue_by_partner(
                self.company, self.today, self.today.replace(year=self.today.year - 1)
            )

    def test_revenue_by_partner_per_company(self):
        account = self._account("Shared Co")
        other = self.env["res.company"].create({"name": "Other KAM Co"})
        self._sale(account, 1000)
        lead = self._sale(account, 500)
        lead.company_id = other
        start = self.today.replace(year=self.today.year - 1)
        revenues = self.env["kam.revenue"]
        mine = revenues._kam_revenue_by_partner(
            self.company, start, self.today, account.ids
        )
        self.assertEqual(mine[account.id], 1000)
        theirs = revenues._kam_revenue_by_partner(other, start, self.today, account.ids)
        self.assertEqual(theirs[account.id], 500)

    def test_invoice_and_order_revenue_of_the_account_people(self):
        # Where Invoicing and Sales are installed: the posted invoices and confirmed
        # orders of an account's people count for the account, those of another
        # account do not, for a batch as for every account.
        if "sale.order" not in self.env:
            self.skipTest("Sales is not installed in this database")
        account = self._account("Ordering Co")
        buyer = self.Partner.create({"name": "Orderer", "parent_id": account.id})
        neighbour = self._account("Ordering Neighbour")
        product = self.env["product.product"].create(
            {"name": "KAM service", "type": "service", "invoice_policy": "order"}
        )
        for partner, price in ((account, 100.0), (buyer, 300.0), (neighbour, 500.0)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "price_unit": price})
                    ],
                }
            )
            order.action_confirm()
            order._create_invoices().action_post()
        revenues = self.env["kam.revenue"]
        for source in ("order", "invoice"):
            batch = revenues._kam_revenue_by_partner(
                self.company, None, self.today, account.ids, source
            )
            self.assertEqual(batch, {account.id: 400.0}, source)
            every = revenues._kam_revenue_by_partner(
                self.company, None, self.today, None, source
            )
            self.assertEqual(every[account.id], 400.0, source)
            self.assertEqual(every[neighbour.id], 500.0, source)
