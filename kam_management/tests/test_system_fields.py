"""Figures no user can forge: the fields the system owns are refused on every path a
logged-in user has (write, web_save, create, load, copy, one2many commands), whatever
the group; the daily job and the computes stay the only writers."""

import datetime
import math

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestSystemFields(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._account("Mine Co", cls.rep)
        cls.theirs = cls._account("Theirs Co", cls.rep2)
        cls._sale(cls.theirs, 50000)
        cls.criterion = cls.env["kam.criterion"].create(
            {"name": "Size", "axis": "attractiveness"}
        )

    def test_every_job_owned_field_is_a_system_field(self):
        system = self.Partner._kam_system_fields()
        for fname in (
            "kam_last_contact_date",
            "kam_revenue_12m",
            "kam_revenue_prev_12m",
            "kam_purchase_count_12m",
            "kam_has_prospects",
            "kam_tier_computed",
            "kam_tier",
            "kam_cadence_days",
            "kam_next_contact_date",
            "kam_attractiveness_score",
            "kam_potential_score",
            "kam_relationship_score",
            "kam_quadrant",
            "kam_temperature",
            "kam_temperature_ratio",
            "kam_revenue_trend",
            "kam_lifetime_value",
            "kam_lookalike_score",
            "kam_is_lookalike",
            "kam_refresh_date",
            "kam_overdue_since",
            "kam_history_ids",
            "kam_currency_id",
        ):
            self.assertIn(fname, system)
        for fname in (
            "kam_manager_id",
            "kam_tier_override",
            "kam_relationship_type",
            "kam_score_ids",
            "name",
            "phone",
        ):
            self.assertNotIn(fname, system)

    def test_no_user_writes_a_system_field(self):
        values = {
            "kam_last_contact_date": datetime.date(2099, 1, 1),
            "kam_revenue_12m": 10**9,
            "kam_tier_computed": "a",
            "kam_cadence_days": 10000,
            "kam_next_contact_date": datetime.date(2099, 1, 1),
            "kam_attractiveness_score": 100.0,
            "kam_quadrant": "key",
            "kam_refresh_date": self.today,
        }
        for user in (self.rep, self.rep2, self.director):
            for account in (self.mine, self.theirs):
                for fname, value in values.items():
                    with self.subTest(user=user.login, account=account.name, f=fname):
                        before = account[fname]
                        with self.assertRaises(AccessError):
                            account.with_user(user).write({fname: value})
                        account.invalidate_recordset()
                        self.assertEqual(account[fname], before)

    def test_web_save_and_form(self):
        with self.assertRaises(AccessError):
            self.mine.with_user(self.rep).web_save(
                {"kam_last_contact_date": "2099-01-01"}, {}
            )
        self.assertFalse(self.mine.kam_last_contact_date)
        # The form the web client shows saves as before: it sends no system field.
        with Form(self.mine.with_user(self.rep)) as form:
            form.kam_relationship_type = "developing"
        self.assertEqual(self.mine.kam_relationship_type, "developing")

    def test_create_and_copy(self):
        with self.assertRaises(AccessError):
            self.Partner.with_user(self.rep).create(
                {"name": "Forged", "kam_revenue_12m": 10**9}
            )
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.rep).copy({"kam_tier_computed": "a"})
        copy = self.theirs.with_user(self.director).copy()
        self.assertFalse(copy.kam_revenue_12m, "figures are not copied")
        self.assertFalse(copy.kam_last_contact_date)

    def test_import(self):
        result = self.Partner.with_user(self.rep).load(
            ["id", "kam_last_contact_date"],
            [[self.mine.get_external_id().get(self.mine.id) or "", "2099-01-01"]],
        )
        self.assertTrue(
            [m for m in result["messages"] if m["type"] == "error"], result["messages"]
        )
        self.assertFalse(result["ids"])
        self.assertFalse(self.mine.kam_last_contact_date)

    def test_one2many_commands(self):
        with self.assertRaises(AccessError):
            self.mine.with_user(self.rep).write(
                {
                    "kam_history_ids": [
                        (0, 0, {"kind": "tier", "old_value": "d", "new_value": "a"})
                    ]
                }
            )
        score = self.env["kam.partner.score"].create(
            {"partner_id": self.mine.id, "criterion_id": self.criterion.id}
        )
        # A rating's weight is the criterion's: a rep's rating cannot re-weigh it.
        with self.assertRaises(AccessError):
            self.mine.with_user(self.rep).write(
                {"kam_score_ids": [(1, score.id, {"weight": 100.0})]}
            )
        self.mine.with_user(self.rep).write(
            {"kam_score_ids": [(1, score.id, {"score": 8})]}
        )
        self.assertEqual(score.score, 8)

    def test_last_contact_comes_from_evidence_only(self):
        # A date with nothing behind it (here set by the superuser, as a forged or
        # imported value would be) does not survive the refresh; a logged call does.
        self.mine.kam_last_contact_date = datetime.date(2099, 1, 1)
        self.theirs.kam_last_contact_date = self.today - datetime.timedelta(days=2)
        self._log_contact(self.mine, self.today - datetime.timedelta(days=40))
        self.Partner.search([]).kam_refresh_date = False
        self._refresh_all()
        self.assertEqual(
            self.mine.kam_last_contact_date, self.today - datetime.timedelta(days=40)
        )
        self.assertFalse(self.theirs.kam_last_contact_date)
        self.assertLessEqual(self.theirs.kam_next_contact_date, self.today, "due")

    def test_future_evidence_is_not_a_contact(self):
        self._log_contact(self.mine, self.today + datetime.timedelta(days=30))
        self.Partner.search([]).kam_refresh_date = False
        self._refresh_all()
        self.assertFalse(self.mine.kam_last_contact_date)

    def test_partner_merge_keeps_figures_to_the_job(self):
        self._refresh_all()
        self.assertTrue(self.theirs.kam_revenue_12m)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.theirs | self.mine).ids, self.mine)
        self.assertFalse(self.theirs.exists())
        self.assertFalse(self.mine.kam_refresh_date, "queued for the next refresh")
        self._refresh_all()
        self.assertEqual(self.mine.kam_revenue_12m, 50000)


@tagged("post_install", "-at_install")
class TestCompanyJobFields(KamCase):
    """What the daily job keeps on the company (the benchmark, its position of the
    day, the tier A profiles of the look-alikes) is written by the job only: a rep
    or a director cannot write, import or copy it (companies are the
    administrators' in Odoo, and none is ever copied)."""

    JOB_FIELDS = {
        "kam_benchmark_revenue": 1.0,
        "kam_benchmark_date": "2000-01-01",
        "kam_accounts_checked_date": "2000-01-01",
        "kam_refresh_cursor": 10**6,
        "kam_refresh_cursor_date": "2099-01-01",
        "kam_tier_a_profiles": [[False, False, False, False, 10**6]],
    }

    def _assert_import_refused(self, company, user):
        """An import (``load``) of the job's fields onto ``company`` by ``user``
        imports nothing."""
        result = (
            self.env["res.company"]
            .with_user(user)
            .load(
                ["id", "name", *self.JOB_FIELDS],
                [
                    [
                        company.get_external_id().get(company.id) or "",
                        company.name,
                        *(str(v) for v in self.JOB_FIELDS.values()),
                    ]
                ],
            )
        )
        self.assertFalse(result["ids"], result["messages"])

    def test_rep_and_director_cannot_write_the_jobs_fields(self):
        self._refresh_all()
        company = self.company
        before = company.read(list(self.JOB_FIELDS))[0]
        for user in (self.rep, self.director):
            for fname, value in self.JOB_FIELDS.items():
                with self.subTest(user=user.login, field=fname):
                    with self.assertRaises(AccessError):
                        company.with_user(user).write({fname: value})
                    with self.assertRaises(AccessError):
                        company.with_user(user).web_save({fname: value}, {})
                    # Odoo copies no company at all.
                    with self.assertRaises(UserError):
                        company.with_user(user).copy({fname: value})
            self._assert_import_refused(company, user)
        company.invalidate_recordset()
        self.assertEqual(company.read(list(self.JOB_FIELDS))[0], before)
        self.assertEqual(company.kam_refresh_cursor_date, self.today)

    def test_settings_administrator_cannot_write_the_jobs_fields(self):
        # The companies are the administrators': they edit them and their settings,
        # never what the job computed (here a KAM director who also administers the
        # settings).
        admin = self.env["res.users"].create(
            {
                "name": "Settings Admin",
                "login": "kam_settings_admin",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_system").id,
                            self.env.ref("sales_team.group_sale_manager").id,
                            self.env.ref("kam_management.group_kam_manager").id,
                        ]
                    )
                ],
            }
        )
        self._refresh_all()
        company = self.company
        before = company.read(list(self.JOB_FIELDS))[0]
        for fname, value in self.JOB_FIELDS.items():
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    company.with_user(admin).write({fname: value})
                with self.assertRaises(AccessError):
                    company.with_user(admin).web_save({fname: value}, {})
                with self.assertRaises(AccessError):
                    self.env["res.company"].with_user(admin).create(
                        {"name": "Forged Co", fname: value}
                    )
        self._assert_import_refused(company, admin)
        company.invalidate_recordset()
        self.assertEqual(company.read(list(self.JOB_FIELDS))[0], before)
        # What is theirs they still write: the company, its KAM settings (the
        # Settings screen, which shows the benchmark without writing it).
        company.with_user(admin).write({"kam_silence_days": 45})
        with Form(self.env["res.config.settings"].with_user(admin)) as settings:
            settings.kam_cadence_a = 21
        settings.save().execute()
        self.assertEqual((company.kam_silence_days, company.kam_cadence_a), (45, 21))
        self.assertEqual(company.kam_benchmark_revenue, before["kam_benchmark_revenue"])
        other = self.env["res.company"].with_user(admin).create({"name": "New KAM Co"})
        self.assertFalse(other.kam_benchmark_date)


@tagged("post_install", "-at_install")
class TestReparent(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._account("Mine Co", cls.rep)
        cls.theirs = cls._account("Theirs Co", cls.rep2)
        cls.holding = cls._account("Holding Co")
        cls.plain = cls._account("Plain Co")

    def test_rep_cannot_reparent_a_managed_account(self):
        for account in (self.theirs, self.mine):
            with self.assertRaises(AccessError):
                account.with_user(self.rep).write({"parent_id": self.holding.id})
            self.assertFalse(account.parent_id)
        # An account nobody manages is ordinary CRM data.
        self.plain.with_user(self.rep).write({"parent_id": self.holding.id})
        self.assertEqual(self.plain.parent_id, self.holding)

    def test_director_reparents_and_it_is_logged(self):
        self.theirs.with_user(self.director).write({"parent_id": self.holding.id})
        self.assertEqual(self.theirs.parent_id, self.holding)
        self.assertIn(
            "Holding Co",
            self.theirs.message_ids[:1].body,
            "the move is recorded on the account",
        )


@tagged("post_install", "-at_install")
class TestAbsurdInput(KamCase):
    def test_cockpit_period(self):
        cockpit = self.env["kam.cockpit"].with_user(self.director)
        for period in (10**9, 0, -5, "90", 1.5, True):
            with self.subTest(period=period), self.assertRaises(ValidationError):
                cockpit.get_cockpit_data(period_days=period)
        with self.assertRaises(ValidationError):
            cockpit.get_cockpit_data(team_id="1; drop")
        self.assertEqual(
            cockpit.get_cockpit_data(period_days=365)["period"]["days"], 365
        )

    def test_settings(self):
        for values in (
            {"kam_cadence_a": 10**9},
            {"kam_silence_days": 10**9},
            {"kam_silence_days": -1},
            {"kam_activity_minutes": -1},
            {"kam_ltv_years": math.nan},
            {"kam_tier_b_ratio": math.nan},
            {"kam_temperature_hot": math.inf},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.company.write(values)
