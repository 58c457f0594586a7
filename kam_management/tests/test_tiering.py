import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import KamCase


@tagged("post_install", "-at_install")
class TestTiering(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.top = cls._account("Top Steel", cls.rep)
        cls.mid = cls._account("Mid Steel", cls.rep)
        cls.small = cls._account("Small Steel", cls.rep)
        cls.lapsed = cls._account("Lapsed Steel", cls.rep)
        cls.never = cls._account("Never Steel", cls.rep)
        cls.prospect = cls._account("Prospect Steel", cls.rep)
        cls._sale(cls.top, 100_000)
        cls._sale(cls.mid, 65_000)
        cls._sale(cls.small, 20_000)
        cls._sale(cls.lapsed, 50_000, cls.today - datetime.timedelta(days=800))
        cls.env["crm.lead"].create(
            {
                "name": "Open deal",
                "type": "opportunity",
                "partner_id": cls.prospect.id,
                "stage_id": cls.open_stage.id,
            }
        )

    def test_tiers_from_trailing_revenue(self):
        self._refresh_all()
        self.assertEqual(self.company.kam_benchmark_revenue, 100_000)
        self.assertEqual(self.top.kam_tier, "a")
        self.assertEqual(self.mid.kam_tier, "b")
        self.assertEqual(self.small.kam_tier, "c")
        # Bought before the window, or has an open deal: low potential, not dead.
        self.assertEqual(self.lapsed.kam_tier, "c")
        self.assertEqual(self.prospect.kam_tier, "c")
        self.assertEqual(self.never.kam_tier, "d")
        self.assertEqual(self.top.kam_revenue_12m, 100_000)
        self.assertEqual(self.lapsed.kam_revenue_12m, 0)
        self.assertEqual(
            self.lapsed.kam_revenue_prev_12m,
            0,
            "800 days ago is before the previous year too",
        )

    def test_contacts_follow_their_company(self):
        contact = self.Partner.create({"name": "Buyer", "parent_id": self.top.id})
        self._sale(contact, 10_000)
        self._refresh_all()
        self.assertEqual(
            self.top.kam_revenue_12m, 110_000, "a contact's deals count for its company"
        )
        self.assertFalse(contact.kam_tier, "contacts carry no tier of their own")
        self.assertEqual(
            contact.kam_manager_id, self.rep, "contacts share their company's manager"
        )

    def test_top_n_average_benchmark(self):
        self.company.write(
            {"kam_benchmark_method": "top_n_average", "kam_benchmark_top_n": 2}
        )
        self._refresh_all()
        self.assertAlmostEqual(self.company.kam_benchmark_revenue, 82_500)
        self.assertEqual(self.top.kam_tier, "a")
        # 65,000 is 79% of 82,500: below the A/B midpoint of 80%.
        self.assertEqual(self.mid.kam_tier, "b")

    def test_cutoffs_move_the_tiers_not_the_levels(self):
        self._refresh_all()
        self.assertEqual(self.mid.kam_tier, "b")  # 65%: from 45%, below 80%
        self.assertEqual(self.small.kam_tier, "c")  # 20%: below 45%
        self.company.write(
            {"kam_tier_a_from": 62.0, "kam_tier_b_from": 15.0, "kam_tier_c_ratio": 10.0}
        )
        self.assertFalse(self.mid.kam_refresh_date, "new cut-offs queue the accounts")
        self._refresh_all()
        self.assertEqual(self.mid.kam_tier, "a")
        self.assertEqual(self.small.kam_tier, "b")
        self.assertEqual(self.top.kam_tier, "a")
        # The temperature still measures against the tier's level: 65,000 against
        # the 100,000 tier A stands for.
        self.assertAlmostEqual(self.mid.kam_temperature_ratio, 65.0)
        self.assertAlmostEqual(self.small.kam_temperature_ratio, 20 / 60 * 100)

    def test_override_needs_reason_and_is_tracked(self):
        self._refresh_all()
        with self.assertRaises(ValidationError):
            self.small.with_user(self.director).write({"kam_tier_override": "a"})
        self.small.with_user(self.director).write(
            {
                "kam_tier_override": "a",
                "kam_tier_override_reason": "Group contract signed",
            }
        )
        self.assertEqual(self.small.kam_tier, "a")
        self.assertEqual(self.small.kam_tier_computed, "c")
        self.assertEqual(
            self.small.kam_cadence_days, 30, "an overridden tier takes its cadence"
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # mail.thread writes tracking values at commit time
        tracked = self.small.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "kam_tier_override"
        )
        self.assertTrue(tracked, "the override is logged in the chatter")
        # The daily job never undoes a manager's override.
        self._refresh_all()
        self.assertEqual(self.small.kam_tier, "a")

    def test_override_is_for_directors_only(self):
        with self.assertRaises(AccessError):
            self.small.with_user(self.rep).write(
                {"kam_tier_override": "a", "kam_tier_override_reason": "I think so"}
            )

    def test_override_through_form(self):
        with Form(self.small.with_user(self.director)) as form:
            form.kam_tier_override = "b"
            form.kam_tier_override_reason = "Framework agreement"
        self.assertEqual(self.small.kam_tier, "b")

    def test_lookalikes_of_tier_a(self):
        industry = self.env["res.partner.industry"].create({"name": "Metallurgy"})
        country = self.env.ref("base.ru")
        self.top.write(
            {
                "industry_id": industry.id,
                "country_id": country.id,
                "kam_company_size": "large",
            }
        )
        twin = self._account(
            "Twin Steel",
            industry_id=industry.id,
            country_id=country.id,
            kam_company_size="large",
        )
        cousin = self._account(
            "Cousin Steel",
            industry_id=industry.id,
            country_id=country.id,
            kam_company_size="small",
        )
        self._refresh_all()
        self.assertTrue(twin.kam_is_lookalike)
        self.assertEqual(twin.kam_lookalike_score, 3)
        self.assertFalse(cousin.kam_is_lookalike)
        self.assertEqual(cousin.kam_lookalike_score, 2)
        self.company.kam_lookalike_min_match = 2
        self._refresh_all()
        self.assertTrue(cousin.kam_is_lookalike)

    def test_import_unknown_tier_is_refused(self):
        count = self.Partner.search_count([])
        result = self.Partner.load(
            ["name", "kam_tier_override", "kam_tier_override_reason"],
            [["Imported Co", "Z", "because"]],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any(m["type"] == "error" for m in result["messages"]))
        self.assertEqual(self.Partner.search_count([]), count, "nothing was imported")

    @mute_logger("odoo.sql_db")  # the database refuses it: the expected error
    def test_import_override_without_reason_is_refused(self):
        result = self.Partner.load(
            ["name", "kam_tier_override"], [["Imported Co", "A"]]
        )
        self.assertFalse(result["ids"])
        self.assertFalse(self.Partner.search([("name", "=", "Imported Co")]))
