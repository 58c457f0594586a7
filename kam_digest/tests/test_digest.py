import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCase

from ..models import digest as digest_module

KPIS = (
    "kpi_kam_overdue",
    "kpi_kam_compliance",
    "kpi_kam_at_risk",
    "kpi_kam_plan_gap",
    "kpi_kam_pipeline_weighted",
)


@tagged("post_install", "-at_install")
class TestKamDigest(KamCase):
    """The KAM KPIs of the digest against a hand count on a small fixture."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digest = cls.env.ref("kam_digest.digest_kam_weekly")
        cls.hot = cls._account("Digest Hot", cls.rep)
        cls._sale(cls.hot, 100_000)
        cls.cold = cls._account("Digest Cold", cls.rep)
        cls._sale(cls.cold, 90_000)
        cls.declining = cls._account("Digest Declining", cls.rep)
        cls._sale(cls.declining, 200_000, cls.today - datetime.timedelta(days=400))
        cls._sale(cls.declining, 20_000)

    def _prepare(self):
        self._log_contact(self.hot, self.today, channel="email")
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = create_date - interval '10 days'"
            " WHERE id = %s",
            [self.cold.id],
        )
        self.cold.invalidate_recordset(["create_date"])
        # The demo's accounts are not this test's: out of the company's figures.
        aside = self.env["res.company"].create({"name": "Aside"})
        self.env["res.partner"].search(
            self.Partner._kam_account_domain()
            + [("id", "not in", (self.hot | self.cold | self.declining).ids)]
        ).write({"company_id": aside.id})
        self._refresh_all()

    def _values(self, days=7):
        end = datetime.datetime.combine(
            self.today + datetime.timedelta(days=1), datetime.time.min
        )
        digest = self.digest.with_context(
            start_datetime=end - datetime.timedelta(days=days), end_datetime=end
        ).with_company(self.company)
        digest.invalidate_recordset()
        return {kpi: digest[f"{kpi}_value"] for kpi in KPIS}

    def test_the_kam_weekly_digest_is_off(self):
        self.assertEqual(self.digest.state, "deactivated")
        self.assertFalse(self.digest.user_ids)
        self.assertEqual(self.digest.periodicity, "weekly")
        self.assertTrue(all(self.digest[kpi] for kpi in KPIS))

    def test_values_against_a_hand_count(self):
        self._prepare()
        key = (self.hot | self.cold | self.declining).filtered("kam_is_key_account")
        overdue = key.filtered(lambda p: p.kam_is_overdue)
        values = self._values()
        # Hand count: the key accounts whose contact is overdue today.
        self.assertEqual(values["kpi_kam_overdue"], len(overdue))
        self.assertIn(self.cold, overdue)
        # Compliance: the day's snapshot, the accounts in time of those counted.
        snapshots = self.env["kam.cadence.snapshot"].search(
            [("company_id", "=", self.company.id), ("date", "=", self.today)]
        )
        accounts = sum(snapshots.mapped("account_count"))
        compliant = sum(snapshots.mapped("compliant_count"))
        self.assertTrue(accounts)
        self.assertAlmostEqual(
            values["kpi_kam_compliance"], round(100.0 * compliant / accounts, 1)
        )
        # At risk, each account once: the declining one (revenue -90%) and the two
        # key accounts nobody talks to at several levels (single-threaded,
        # docs/METHOD.md#coverage).
        self.assertEqual(values["kpi_kam_at_risk"], 3)
        # The optional KPIs: what their addons hold, 0 without them.
        if "kam.account.plan" in self.env:
            plans = self.env["kam.account.plan"].search(
                [
                    ("company_id", "=", self.company.id),
                    ("state", "in", ("active", "review")),
                    ("date_start", "<=", self.today),
                    ("date_end", ">=", self.today),
                    ("gap_to_plan", ">", 0),
                ]
            )
            self.assertAlmostEqual(
                values["kpi_kam_plan_gap"], sum(plans.mapped("gap_to_plan"))
            )
        else:
            self.assertEqual(values["kpi_kam_plan_gap"], 0.0)
        if "kam.stage.checklist.template" in self.env:
            fifty = self.env.ref("kam_pipeline_stages.crm_stage_kam_fifty")
            self.env["crm.lead"].create(
                {
                    "name": "Digest deal",
                    "type": "opportunity",
                    "partner_id": self.hot.id,
                    "stage_id": fifty.id,
                    "expected_revenue": 20_000,
                }
            )
            # Hand count: 50% of 20,000.
            self.assertAlmostEqual(
                self._values()["kpi_kam_pipeline_weighted"], 10_000.0
            )

    def test_the_optional_kpis_need_their_addons(self):
        fields = self.digest._get_kpi_fields()
        self.assertIn("kpi_kam_overdue", fields)
        missing = {name: "no.such.model" for name in digest_module.OPTIONAL_KPIS}
        with patch.dict(digest_module.OPTIONAL_KPIS, missing):
            fields = self.digest._get_kpi_fields()
        self.assertIn("kpi_kam_at_risk", fields)
        self.assertNotIn("kpi_kam_plan_gap", fields)
        self.assertNotIn("kpi_kam_pipeline_weighted", fields)

    def test_the_digest_email_shows_the_kpis(self):
        self._prepare()
        kpis = self.digest._compute_kpis(self.company, self.env.user)
        names = [kpi["kpi_name"] for kpi in kpis]
        # The plan gap and the weighted pipeline only where their addons are.
        for kpi in KPIS:
            if digest_module.OPTIONAL_KPIS.get(kpi, "res.partner") in self.env:
                self.assertIn(kpi, names)
            else:
                self.assertNotIn(kpi, names)
        overdue = next(k for k in kpis if k["kpi_name"] == "kpi_kam_overdue")
        self.assertEqual(overdue["kpi_fullname"], "Key Accounts Overdue")
        self.assertEqual(overdue["kpi_action"], "kam_management.action_kam_cockpit")
