import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..logic import territory, tiering
from .kam_revenue import REVENUE_SOURCES

# Upper bounds of the day counts and the customer lifetime: past them, dates computed
# from the settings leave the calendar.
MAX_DAYS = 3660
MAX_LTV_YEARS = 100

# Company settings that change what is derived for every account of the company:
# changing one of them queues the company's accounts for the next refresh.
KAM_REFRESH_FIELDS = {
    "kam_revenue_source",
    "kam_benchmark_method",
    "kam_benchmark_top_n",
    "kam_tier_b_ratio",
    "kam_tier_c_ratio",
    "kam_tier_a_from",
    "kam_tier_b_from",
    "kam_cadence_a",
    "kam_cadence_b",
    "kam_cadence_c",
    "kam_cadence_d",
    "kam_temperature_hot",
    "kam_temperature_warm",
    "kam_temperature_mild",
    "kam_temperature_cool",
    "kam_attractiveness_threshold",
    "kam_relationship_threshold",
    "kam_decline_threshold",
    "kam_ltv_years",
    "kam_lookalike_min_match",
}
# The tier reminders' activity types (docs/METHOD.md#contact-cadence): setting -> kind,
# the key account types by kind, and Odoo's generic ones, the former defaults.
TIER_ACTIVITY_FIELDS = {
    "kam_activity_type_a_id": "call",
    "kam_activity_type_b_id": "call",
    "kam_activity_type_c_id": "call",
    "kam_activity_type_d_id": "email",
}
KAM_ACTIVITY_TYPES = {
    "call": "kam_management.mail_activity_type_kam_call",
    "email": "kam_management.mail_activity_type_kam_email",
}
OLD_ACTIVITY_TYPES = {
    "call": "mail.mail_activity_data_call",
    "email": "mail.mail_activity_data_email",
}
# Company settings the cockpit reads (no refresh needed).
KAM_COCKPIT_FIELDS = {"kam_activity_minutes", "kam_silence_days", "kam_nearby_km"}


class ResCompany(models.Model):
    # What the daily job keeps on the company (benchmark, position of the day, tier
    # A profiles) is the system's, for a settings administrator too: the mixin
    # refuses it to every caller outside superuser mode. The caller's values are
    # checked at the top of write() below, before the accounts are queued.
    _name = "res.company"
    _inherit = ["res.company", "kam.system.fields.mixin"]
    _kam_check_in_crud = False

    kam_revenue_source = fields.Selection(
        REVENUE_SOURCES,
        string="KAM Revenue Source",
        default="opportunity",
        help="Where an account's revenue comes from: the company's won opportunities, "
        "posted customer invoices (needs the Invoicing app) or confirmed sales orders "
        "(needs the Sales app), in the company's currency at each document's date.",
    )
    kam_benchmark_method = fields.Selection(
        [
            (tiering.BENCHMARK_TOP, "Top account"),
            (tiering.BENCHMARK_TOP_N_AVERAGE, "Average of the top accounts"),
        ],
        string="Tier A Benchmark",
        default=tiering.BENCHMARK_TOP,
        help="The yearly revenue tier A stands for: the best account's trailing 12 "
        "months, or the average of the best few.",
    )
    kam_benchmark_top_n = fields.Integer("Top Accounts Averaged", default=5)
    # Levels: what a typical account of the tier brings (the temperature measures
    # against them). Cut-offs: where a tier starts. The cut-offs default to the
    # midpoints between the levels (docs/METHOD.md#tiers).
    kam_tier_b_ratio = fields.Float(
        "Tier B Level (%)",
        default=60.0,
        help="Revenue of a typical tier B account, in percent of the benchmark. The "
        "temperature of a tier B account is measured against it.",
    )
    kam_tier_c_ratio = fields.Float(
        "Tier C Level (%)",
        default=30.0,
        help="Revenue of a typical tier C account, in percent of the benchmark. The "
        "temperature of a tier C account is measured against it.",
    )
    kam_tier_a_from = fields.Float(
        "Tier A From (% of benchmark)",
        default=lambda self: tiering.default_cutoffs()[0],
        help="An account is tier A from this share of the benchmark, tier B from the "
        "tier B cut-off, else C. Default: midway between the levels of A and B, "
        "(100 + 60) / 2 = 80%.",
    )
    kam_tier_b_from = fields.Float(
        "Tier B From (% of benchmark)",
        default=lambda self: tiering.default_cutoffs()[1],
        help="An account is tier B from this share of the benchmark up to the tier A "
        "cut-off, below it C. Default: midway between the levels of B and C, "
        "(60 + 30) / 2 = 45%.",
    )
    kam_cadence_a = fields.Integer("Tier A Cadence (days)", default=30)
    kam_cadence_b = fields.Integer("Tier B Cadence (days)", default=90)
    kam_cadence_c = fields.Integer("Tier C Cadence (days)", default=90)
    kam_cadence_d = fields.Integer("Tier D Cadence (days)", default=180)
    kam_activity_type_a_id = fields.Many2one(
        "mail.activity.type",
        "Tier A Contact Activity",
        default=lambda self: self._kam_default_activity_type("call"),
    )
    kam_activity_type_b_id = fields.Many2one(
        "mail.activity.type",
        "Tier B Contact Activity",
        default=lambda self: self._kam_default_activity_type("call"),
    )
    kam_activity_type_c_id = fields.Many2one(
        "mail.activity.type",
        "Tier C Contact Activity",
        default=lambda self: self._kam_default_activity_type("call"),
    )
    kam_activity_type_d_id = fields.Many2one(
        "mail.activity.type",
        "Tier D Contact Activity",
        default=lambda self: self._kam_default_activity_type("email"),
    )
    kam_temperature_hot = fields.Float("Red From (%)", default=100.0)
    kam_temperature_warm = fields.Float("Orange From (%)", default=75.0)
    kam_temperature_mild = fields.Float("Yellow From (%)", default=50.0)
    kam_temperature_cool = fields.Float("Light Blue From (%)", default=25.0)
    kam_attractiveness_threshold = fields.Float(
        "High Attractiveness From", default=50.0
    )
    kam_relationship_threshold = fields.Float("Strong Relationship From", default=50.0)
    kam_decline_threshold = fields.Float(
        "Decline Alert (%)",
        default=20.0,
        help="Drop of yearly revenue that raises the decline alert.",
    )
    kam_ltv_years = fields.Float("Expected Customer Lifetime (years)", default=3.0)
    kam_lookalike_min_match = fields.Integer(
        "Look-alike Matches",
        default=3,
        help="How many of industry, territory and size a prospect must share with a "
        "tier A "
        "account to be suggested as a tier A look-alike.",
    )
    kam_activity_minutes = fields.Integer(
        "Minutes per Activity",
        default=30,
        help="Time a done activity (call, e-mail, task) counts for in the cockpit's "
        "pyramid of time spent; meetings count for their duration.",
    )
    kam_silence_days = fields.Integer(
        "Silence Alert (days overdue)",
        default=30,
        help="An account whose contact is overdue by more than this is at risk in the "
        "cockpit.",
    )
    kam_nearby_km = fields.Float(
        "Nearby Radius (km)",
        default=territory.DEFAULT_RADIUS_KM,
        help="Accounts within this distance of a meeting are worth visiting on the "
        "same trip (when both have coordinates; else the same city, else the same "
        "region). Trips in the cockpit use the same rule.",
    )
    kam_benchmark_revenue = fields.Monetary(
        "Tier A Benchmark Revenue",
        currency_field="currency_id",
        readonly=True,
        copy=False,
    )
    kam_benchmark_date = fields.Date("Benchmark Computed On", readonly=True, copy=False)
    kam_accounts_checked_date = fields.Date(
        "Non-Accounts Cleared On",
        readonly=True,
        copy=False,
        help="The day the daily job last cleared the figures of partners who are no "
        "accounts (any more).",
    )
    # Where the daily job stands (kam.refresh._kam_cron_daily): each batch starts
    # after the last account the previous one refreshed that day, instead of
    # scanning again every account refreshed before it.
    kam_refresh_cursor = fields.Integer(
        "Daily Job Position",
        readonly=True,
        copy=False,
        help="The last account the daily job refreshed on the day below.",
    )
    kam_refresh_cursor_date = fields.Date(
        "Daily Job Position On", readonly=True, copy=False
    )
    # The profiles (industry, territory, size) of the tier A accounts with their
    # number, taken with the benchmark: the look-alikes of the day compare with
    # them (kam.refresh._kam_refresh_lookalikes).
    kam_tier_a_profiles = fields.Json("Tier A Profiles", readonly=True, copy=False)

    @api.model
    def _kam_default_activity_type(self, kind):
        """The key account activity type of that kind (call, email) for the tier
        reminders (docs/METHOD.md#contact-cadence), else Odoo's own (before this
        addon's data is loaded, on install), if it still exists."""
        return self.env.ref(
            KAM_ACTIVITY_TYPES[kind], raise_if_not_found=False
        ) or self.env.ref(OLD_ACTIVITY_TYPES[kind], raise_if_not_found=False)

    @api.model
    def _kam_adopt_key_account_activity_types(self, fill_empty=False):
        """Give every company the key account activity types for its tier reminders
        where it still has Odoo's generic ones, the former defaults (an explicit
        choice is kept): on install (``fill_empty``: an empty setting is filled too,
        nobody chose it yet) and on the upgrade to 18.0.1.2.0. In SQL: no refresh is
        queued, the accounts do not change."""
        self.env.flush_all()
        for fname, kind in TIER_ACTIVITY_FIELDS.items():
            new = self.env.ref(KAM_ACTIVITY_TYPES[kind], raise_if_not_found=False)
            old = self.env.ref(OLD_ACTIVITY_TYPES[kind], raise_if_not_found=False)
            if not new:
                continue
            condition = SQL("%s = %s", SQL.identifier(fname), old.id if old else None)
            if fill_empty:
                condition = SQL("(%s OR %s IS NULL)", condition, SQL.identifier(fname))
            self.env.cr.execute(
                SQL(
                    "UPDATE res_company SET %s = %s WHERE %s",
                    SQL.identifier(fname),
                    new.id,
                    condition,
                )
            )
        self.env["res.company"].invalidate_model(list(TIER_ACTIVITY_FIELDS))
        return True

    # Every setting the daily job reads, and the cockpit's: checked on each change.
    @api.constrains(*sorted(KAM_REFRESH_FIELDS | KAM_COCKPIT_FIELDS))
    def _check_kam_settings(self):
        numbers = [
            name
            for name in self._fields
            if name.startswith("kam_")
            and self._fields[name].type in ("integer", "float", "monetary")
        ]
        for company in self:
            if not all(math.isfinite(company[name]) for name in numbers):
                raise ValidationError(
                    self.env._("Key account settings must be numbers, not NaN.")
                )
            cadences = (
                company.kam_cadence_a,
                company.kam_cadence_b,
                company.kam_cadence_c,
                company.kam_cadence_d,
            )
            if not 1 <= min(cadences) <= max(cadences) <= MAX_DAYS:
                raise ValidationError(
                    self.env._(
                        "A contact cadence is a number of days between 1 and %(max)s.",
                        max=MAX_DAYS,
                    )
                )
            if not 0 <= company.kam_silence_days <= MAX_DAYS:
                raise ValidationError(
                    self.env._(
                        "The silence alert is a number of days between 0 and %(max)s.",
                        max=MAX_DAYS,
                    )
                )
            if company.kam_benchmark_top_n < 1:
                raise ValidationError(
                    self.env._("The benchmark averages at least one account.")
                )
            temperatures = (
                company.kam_temperature_hot,
                company.kam_temperature_warm,
                company.kam_temperature_mild,
                company.kam_temperature_cool,
            )
            if (
                list(temperatures) != sorted(temperatures, reverse=True)
                or min(temperatures) < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Temperature thresholds must not increase from red to light "
                        "blue, nor be negative."
                    )
                )
            for threshold in (
                company.kam_attractiveness_threshold,
                company.kam_relationship_threshold,
            ):
                if not 0 <= threshold <= 100:
                    raise ValidationError(
                        self.env._("Quadrant thresholds are scores between 0 and 100.")
                    )
            if not 0 < company.kam_decline_threshold <= 100:
                raise ValidationError(
                    self.env._("The decline alert is a drop between 0 and 100 percent.")
                )
            if not 0 <= company.kam_ltv_years <= MAX_LTV_YEARS:
                raise ValidationError(
                    self.env._(
                        "The expected customer lifetime is between 0 and %(max)s "
                        "years.",
                        max=MAX_LTV_YEARS,
                    )
                )
            if not 1 <= company.kam_lookalike_min_match <= 3:
                raise ValidationError(
                    self.env._(
                        "A look-alike shares 1, 2 or 3 of industry, territory and size."
                    )
                )
            if not 0 < company.kam_nearby_km <= territory.MAX_RADIUS_KM:
                max_km = territory.MAX_RADIUS_KM
                raise ValidationError(
                    self.env._(
                        "The nearby radius is a distance above 0 and up to %(max)s km.",
                        max=max_km,
                    )
                )
            if company.kam_activity_minutes < 0:
                raise ValidationError(
                    self.env._("Minutes per activity cannot be negative.")
                )
            if not self.env["kam.revenue"]._kam_source_available(
                company.kam_revenue_source or "opportunity"
            ):
                raise ValidationError(
                    self.env._(
                        "Revenue from posted invoices needs the Invoicing app, from "
                        "confirmed sales orders the Sales app: install it first."
                    )
                )

    @api.constrains(
        "kam_tier_b_ratio", "kam_tier_c_ratio", "kam_tier_a_from", "kam_tier_b_from"
    )
    def _check_kam_tiers(self):
        for company in self:
            if not 0 < company.kam_tier_c_ratio < company.kam_tier_b_ratio < 100:
                raise ValidationError(
                    self.env._(
                        "Tier levels must satisfy 0 < tier C < tier B < 100 (percent "
                        "of tier A)."
                    )
                )
            if not tiering.cutoffs_in_order(
                company.kam_tier_a_from, company.kam_tier_b_from
            ):
                raise ValidationError(
                    self.env._(
                        "Tier cut-offs must satisfy 0 < tier B cut-off < tier A "
                        "cut-off <= 100 (percent of the benchmark)."
                    )
                )
            if not tiering.levels_within_cutoffs(
                company.kam_tier_b_ratio,
                company.kam_tier_c_ratio,
                company.kam_tier_a_from,
                company.kam_tier_b_from,
            ):
                raise ValidationError(
                    self.env._(
                        "Each level must lie in its own tier: tier C level < tier B "
                        "cut-off <= tier B level < tier A cut-off."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._kam_check_values(vals) for vals in vals_list])

    def write(self, vals):
        vals = self._kam_check_values(vals)
        res = super().write(vals)
        if KAM_REFRESH_FIELDS.intersection(vals):
            self.env["kam.refresh"]._kam_queue_refresh(self)
        return res

    def _kam_settings(self):
        """The company's KAM settings as plain values for the logic package."""
        self.ensure_one()
        return {
            "cadence": {
                "a": self.kam_cadence_a,
                "b": self.kam_cadence_b,
                "c": self.kam_cadence_c,
                "d": self.kam_cadence_d,
            },
            "b_ratio": self.kam_tier_b_ratio,
            "c_ratio": self.kam_tier_c_ratio,
            # (a_from, b_from): the cutoffs argument of tiering.compute_tier.
            "tier_cutoffs": (self.kam_tier_a_from, self.kam_tier_b_from),
            "temperature": (
                self.kam_temperature_hot,
                self.kam_temperature_warm,
                self.kam_temperature_mild,
                self.kam_temperature_cool,
            ),
            "benchmark": self.kam_benchmark_revenue,
            "attractiveness_threshold": self.kam_attractiveness_threshold,
            "relationship_threshold": self.kam_relationship_threshold,
            "decline_threshold": self.kam_decline_threshold,
            "ltv_years": self.kam_ltv_years,
            "lookalike_min_match": self.kam_lookalike_min_match,
            "activity_types": {
                "a": self.kam_activity_type_a_id,
                "b": self.kam_activity_type_b_id,
                "c": self.kam_activity_type_c_id,
                "d": self.kam_activity_type_d_id,
            },
        }

    def _kam_refresh_position(self, today):
        """The id after which the daily job goes on today (0: from the start)."""
        self.ensure_one()
        return self.kam_refresh_cursor if self.kam_refresh_cursor_date == today else 0

    def _kam_move_refresh_position(self, today, last_id):
        # super(): the job's own bookkeeping, it does not requeue the accounts.
        return super().write(
            {"kam_refresh_cursor": last_id, "kam_refresh_cursor_date": today}
        )

    def _kam_mark_accounts_checked(self, today):
        # super(): a date of the job's, it does not requeue the accounts.
        return super().write({"kam_accounts_checked_date": today})

    def _kam_refresh_benchmarks(self, today, force=False):
        """Compute each company's tier A benchmark once a day, from its own sales to
        its accounts in its currency, and the profiles of its tier A accounts for
        the day's look-alikes: two aggregate queries per company, whatever the
        number of accounts."""
        todo = self if force else self.filtered(lambda c: c.kam_benchmark_date != today)
        self.env.flush_all()
        for company in todo:
            bench = tiering.benchmark(
                self.env["kam.revenue"]._kam_account_revenues(company, today),
                company.kam_benchmark_method or tiering.BENCHMARK_TOP,
                company.kam_benchmark_top_n,
            )
            profiles = self.env["kam.refresh"]._kam_tier_a_profile_counts(company)
            # super(): the benchmark is derived data, it does not requeue the accounts.
            super(ResCompany, company.sudo()).write(
                {
                    "kam_benchmark_revenue": bench,
                    "kam_benchmark_date": today,
                    "kam_tier_a_profiles": profiles,
                }
            )
        return True
