import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import KamCase

# The per-company figures the tests compare.
FIGURES = (
    "kam_revenue_12m",
    "kam_tier",
    "kam_temperature",
    "kam_manager_id",
    "kam_next_contact_date",
    "kam_is_key_account",
)


@tagged("post_install", "-at_install")
class TestMultiCompany(KamCase):
    """Two companies, two currencies, shared and company-owned customers: each
    company's figures are those of its own sales, the same whichever company runs
    the job first, and a user of one company never sees the other's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company.currency_id = cls.usd
        cls.company2 = cls.env["res.company"].create(
            {"name": "KAM Europe", "currency_id": cls.eur.id}
        )
        cls.rep_eu = new_test_user(
            cls.env,
            login="kam_rep_eu",
            name="Rep Europe",
            groups="kam_management.group_kam_user",
            company_id=cls.company2.id,
            company_ids=[(6, 0, cls.company2.ids)],
        )
        # A customer shared by both companies (Odoo's default), one of each company.
        cls.shared = cls._account("Global Steel", cls.rep)
        cls.shared.with_company(cls.company2).kam_manager_id = cls.rep_eu
        cls.us_top = cls._account("US Top", cls.rep, company_id=cls.company.id)
        cls.eu_top = cls._account("Euro Top", company_id=cls.company2.id)
        cls.eu_top.with_company(cls.company2).kam_manager_id = cls.rep_eu
        # Company 1 (USD): 1,000,000 to the shared customer, 1,200,000 to its best.
        cls._sale(cls.shared, 1_000_000)
        cls._sale(cls.us_top, 1_200_000)
        # Company 2 (EUR): 10,000 to the shared customer, 50,000 to its best.
        cls._sale(cls.shared, 10_000, company=cls.company2)
        cls._sale(cls.eu_top, 50_000, company=cls.company2)

    def _figures(self, partner, company):
        partner = partner.with_company(company)
        partner.invalidate_recordset()
        return {fname: partner[fname] for fname in FIGURES}

    def test_each_company_measures_its_own_sales(self):
        self._refresh_all()
        self.assertEqual(self.company.kam_benchmark_revenue, 1_200_000)
        self.assertEqual(self.company2.kam_benchmark_revenue, 50_000)
        one = self._figures(self.shared, self.company)
        two = self._figures(self.shared, self.company2)
        # Company 1: 1,000,000 of 1,200,000 (83%): tier A; not 1,010,000 "USD".
        self.assertEqual(one["kam_revenue_12m"], 1_000_000)
        self.assertEqual(one["kam_tier"], "a")
        self.assertEqual(one["kam_manager_id"], self.rep)
        # Company 2: 10,000 EUR of 50,000 (20%): tier C, its own manager.
        self.assertEqual(two["kam_revenue_12m"], 10_000)
        self.assertEqual(two["kam_tier"], "c")
        self.assertEqual(two["kam_manager_id"], self.rep_eu)
        # Company 2's best customer stays its tier A, in EUR.
        eu_top = self.eu_top.with_company(self.company2)
        self.assertEqual(eu_top.kam_tier, "a")
        self.assertEqual(eu_top.kam_temperature, "hot")
        self.assertEqual(eu_top.kam_currency_id, self.eur)
        # A company's own customer has no figures in the other company.
        self.assertFalse(self.us_top.with_company(self.company2).kam_tier)
        self.assertFalse(self.eu_top.with_company(self.company).kam_tier)
        self.assertFalse(self.us_top.with_company(self.company2).kam_is_account)

    def test_same_figures_whichever_company_runs_first(self):
        self._refresh_all()
        expected = {
            (partner.id, company.id): self._figures(partner, company)
            for partner in self.shared | self.us_top | self.eu_top
            for company in self.company | self.company2
        }
        # Next day, the companies in the other order, the job run by company 2.
        engine = self.registry["kam.refresh"]
        original = engine._kam_companies

        def reversed_companies(model):
            return original(model).sorted("id", reverse=True)

        self.env["kam.refresh"]._kam_queue_refresh(self.company | self.company2)
        with patch.object(engine, "_kam_companies", reversed_companies):
            env2 = self.env(
                context=dict(
                    self.env.context,
                    allowed_company_ids=[self.company2.id, self.company.id],
                )
            )
            while env2["res.partner"]._cron_kam_daily(batch_size=1):
                pass
        for (partner_id, company_id), figures in expected.items():
            partner = self.Partner.browse(partner_id)
            company = self.env["res.company"].browse(company_id)
            self.assertEqual(self._figures(partner, company), figures)

    def test_a_rep_refreshing_in_company_2_leaves_company_1_alone(self):
        self._refresh_all()
        before = self._figures(self.shared, self.company)
        self._sale(self.shared, 90_000, company=self.company2)
        self.shared.with_user(self.rep_eu).action_kam_refresh()
        self.assertEqual(self._figures(self.shared, self.company), before)
        self.assertEqual(
            self.shared.with_company(self.company2).kam_revenue_12m, 100_000
        )

    def test_company_2_user_never_sees_company_1_figures(self):
        self._refresh_all()
        shared = self.shared.with_user(self.rep_eu)
        shared.invalidate_recordset()
        self.assertEqual(shared.kam_tier, "c")
        self.assertEqual(shared.kam_revenue_12m, 10_000)
        self.assertEqual(shared.kam_currency_id, self.eur)
        read = shared.read(["kam_tier", "kam_revenue_12m", "kam_manager_id"])[0]
        self.assertEqual(read["kam_tier"], "c")
        self.assertEqual(read["kam_manager_id"][0], self.rep_eu.id)
        # Its lists, filters and heat map count company 2's tiers.
        tier_a = self.Partner.with_user(self.rep_eu).search(
            [("kam_tier", "=", "a"), ("kam_is_account", "=", True)]
        )
        self.assertEqual(tier_a, self.eu_top)
        # Asking for company 1's context is refused by Odoo.
        with self.assertRaises(AccessError):
            shared.with_context(allowed_company_ids=[self.company.id]).read(
                ["kam_tier"]
            )

    def test_each_company_reminds_its_own_manager(self):
        self._refresh_all()
        reminders = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.shared.id)]
        )
        self.assertEqual(reminders.user_id, self.rep | self.rep_eu)
        # Cadence compliance is counted per company.
        snapshots = self.env["kam.cadence.snapshot"].search(
            [("date", "=", self.today), ("manager_id", "=", self.rep_eu.id)]
        )
        self.assertEqual(snapshots.company_id, self.company2)
        self.assertEqual(sum(snapshots.mapped("account_count")), 2)

    def test_ratings_and_overrides_are_per_company(self):
        criterion = self.env.ref("kam_management.kam_criterion_attractiveness_size")
        self.env["kam.partner.score"].create(
            {"partner_id": self.shared.id, "criterion_id": criterion.id, "score": 9}
        )
        self.env["kam.partner.score"].with_company(self.company2).create(
            {"partner_id": self.shared.id, "criterion_id": criterion.id, "score": 1}
        )
        self.assertEqual(self.shared.kam_attractiveness_score, 90)
        self.assertEqual(
            self.shared.with_company(self.company2).kam_attractiveness_score, 10
        )
        self.shared.with_company(self.company2).write(
            {"kam_tier_override": "b", "kam_tier_override_reason": "Group account"}
        )
        self.assertEqual(self.shared.with_company(self.company2).kam_tier, "b")
        self.assertNotEqual(self.shared.kam_tier_override, "b")

    def test_revenue_converted_at_each_document_date(self):
        """A document in another currency counts at the rate of its own day."""
        day1 = self.today - datetime.timedelta(days=100)
        day2 = self.today - datetime.timedelta(days=10)
        rates = self.env["res.currency.rate"]
        for day, eur_rate in ((day1, 0.9), (day2, 0.8)):
            rates.create(
                {
                    "currency_id": self.eur.id,
                    "name": day,
                    "rate": eur_rate,
                    "company_id": self.company2.id,
                }
            )
            rates.create(
                {
                    "currency_id": self.usd.id,
                    "name": day,
                    "rate": 1.0,
                    "company_id": self.company2.id,
                }
            )
        rows = SQL(
            """
            SELECT %(partner)s AS partner_id, d AS day, 1000.0 AS amount,
                   %(company)s AS company_id, %(usd)s AS currency_id
              FROM unnest(%(days)s::date[]) d
            """,
            partner=self.shared.id,
            company=self.company2.id,
            usd=self.usd.id,
            days=[day1, day2],
        )
        revenue = self.registry["kam.revenue"]

        def source_rows(model, source, partner_ids=None):
            return rows

        with patch.object(revenue, "_kam_source_rows", source_rows):
            amounts = self.env["kam.revenue"]._kam_revenue_by_partner(
                self.company2, self.today - datetime.timedelta(days=365), self.today
            )
        # 1,000 USD at 0.9 and 1,000 USD at 0.8.
        self.assertAlmostEqual(amounts[self.shared.id], 1700.0)
