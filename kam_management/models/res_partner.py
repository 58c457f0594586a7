import datetime
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..logic import cadence, cockpit, revenue, scoring, tiering

TIERS = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]
TEMPERATURES = [
    ("hot", "Red"),
    ("warm", "Orange"),
    ("mild", "Yellow"),
    ("cool", "Light blue"),
    ("cold", "Blue"),
    ("none", "No data"),
]
# Kanban highlight colours (web's palette) of each temperature.
TEMPERATURE_COLORS = {"hot": 1, "warm": 2, "mild": 3, "cool": 4, "cold": 8, "none": 0}
QUADRANTS = [
    ("key", "Key"),
    ("target", "Target"),
    ("maintain", "Maintain"),
    ("low_profile", "Low profile"),
]
RELATIONSHIP_TYPES = [
    ("potential", "Potential"),
    ("developing", "Developing"),
    ("good_current", "Good current"),
    ("strong_current", "Strong current"),
    ("limited_share", "Limited current share"),
    ("defensive", "Defensive or shrinking"),
    ("declining", "Declining (sunset)"),
]
COMPANY_SIZES = [
    ("micro", "1-9 employees"),
    ("small", "10-49 employees"),
    ("medium", "50-249 employees"),
    ("large", "250-999 employees"),
    ("enterprise", "1000+ employees"),
]
# Fields a rep may only edit on the accounts they manage; the directors edit them
# everywhere.
KAM_OWNED_FIELDS = {
    "kam_manager_id",
    "kam_relationship_type",
    "kam_company_size",
    "kam_score_ids",
}
# The field behind each kind of move the account history records.
KAM_HISTORY_FIELDS = {kind: f"kam_{kind}" for kind in cockpit.HISTORY_KINDS}
# Fields only the directors write.
KAM_DIRECTOR_FIELDS = {"kam_tier_override", "kam_tier_override_reason"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "kam.system.fields.mixin"]
    # The caller's values are checked at the top of create/write (see the mixin).
    _kam_check_in_crud = False

    # -- ownership
    kam_manager_id = fields.Many2one(
        "res.users",
        "Key Account Manager",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
        help="The one owner of the account: reps never call the same company "
        "unknowingly.",
    )
    kam_currency_id = fields.Many2one(
        "res.currency", compute="_compute_kam_currency_id", store=True
    )

    # -- revenue (refreshed by the daily job)
    kam_revenue_12m = fields.Monetary(
        "Revenue (12 months)",
        currency_field="kam_currency_id",
        readonly=True,
        copy=False,
    )
    kam_revenue_prev_12m = fields.Monetary(
        "Revenue (previous 12 months)",
        currency_field="kam_currency_id",
        readonly=True,
        copy=False,
    )
    kam_purchase_count_12m = fields.Integer(
        "Purchases (12 months)", readonly=True, copy=False
    )
    kam_has_prospects = fields.Boolean(
        "Bought or Has Prospects",
        readonly=True,
        copy=False,
        help="The account bought before or has open opportunities.",
    )
    kam_revenue_trend = fields.Float(
        "Revenue Trend (%)",
        compute="_compute_kam_revenue_trend",
        store=True,
        help="Change of the last 12 months' revenue against the 12 months before.",
    )
    kam_revenue_declining = fields.Boolean(
        "Revenue Declining", compute="_compute_kam_revenue_trend", store=True
    )
    kam_lifetime_value = fields.Monetary(
        "Lifetime Value",
        currency_field="kam_currency_id",
        compute="_compute_kam_lifetime_value",
        store=True,
        help="Average purchase x purchases a year x expected years as a customer.",
    )

    # -- tier
    kam_tier_computed = fields.Selection(
        TIERS, "Computed Tier", readonly=True, copy=False
    )
    # A director's override is tracked in the chatter: who decided it and why. The
    # tier and quadrant moves themselves have one record, the account history
    # (kam.account.history), which also says what caused them: they are not tracked.
    kam_tier_override = fields.Selection(
        TIERS, "Tier Override", tracking=True, copy=False
    )
    kam_tier_override_reason = fields.Text("Override Reason", tracking=True, copy=False)
    kam_tier = fields.Selection(
        TIERS,
        "Tier",
        group_expand=True,
        compute="_compute_kam_tier",
        store=True,
        index=True,
    )
    kam_is_key_account = fields.Boolean(
        "Key Account", compute="_compute_kam_is_key_account", store=True, index=True
    )
    kam_company_size = fields.Selection(COMPANY_SIZES, "Company Size")
    kam_lookalike_score = fields.Integer(
        "Look-alike Matches",
        readonly=True,
        copy=False,
        help="How many of industry, territory and size the account shares with a tier "
        "A account.",
    )
    kam_is_lookalike = fields.Boolean(
        "Tier A Look-alike",
        readonly=True,
        copy=False,
        help="Resembles the tier A accounts: a candidate for tier A.",
    )

    # -- strategic attention
    kam_score_ids = fields.One2many(
        "kam.partner.score", "partner_id", "Criteria Ratings"
    )
    kam_attractiveness_score = fields.Float(
        "Attractiveness", compute="_compute_kam_scores", store=True, aggregator="avg"
    )
    kam_potential_score = fields.Float(
        "Potential", compute="_compute_kam_scores", store=True, aggregator="avg"
    )
    kam_relationship_score = fields.Float(
        "Relationship", compute="_compute_kam_scores", store=True, aggregator="avg"
    )
    kam_quadrant = fields.Selection(
        QUADRANTS,
        "Strategic Quadrant",
        compute="_compute_kam_quadrant",
        store=True,
        index=True,
    )
    kam_relationship_type = fields.Selection(
        RELATIONSHIP_TYPES, "Relationship Type", tracking=True
    )

    # -- cadence
    kam_last_contact_date = fields.Date(
        "Last Contact",
        readonly=True,
        copy=False,
        help="Last meaningful contact: a done activity, a logged call, a meeting, a "
        "message sent or received.",
    )
    kam_cadence_days = fields.Integer(
        "Contact Every (days)", compute="_compute_kam_cadence_days", store=True
    )
    kam_next_contact_date = fields.Date(
        "Next Contact Due",
        compute="_compute_kam_next_contact_date",
        store=True,
        index=True,
    )
    kam_is_account = fields.Boolean(
        "Is an Account",
        compute="_compute_kam_is_account",
        search="_search_kam_is_account",
        help="A customer key account management looks after: a company or a person "
        "without a parent, neither one of your own companies nor a user.",
    )
    kam_is_overdue = fields.Boolean(
        "Contact Overdue",
        compute="_compute_kam_is_overdue",
        search="_search_kam_is_overdue",
    )

    # -- temperature
    kam_temperature_ratio = fields.Float(
        "Revenue vs Tier (%)",
        compute="_compute_kam_temperature",
        store=True,
        aggregator="avg",
        help="Revenue of the last 12 months against what the account's tier should "
        "bring.",
    )
    kam_temperature = fields.Selection(
        TEMPERATURES,
        "Temperature",
        group_expand=True,
        compute="_compute_kam_temperature",
        store=True,
        index=True,
    )
    kam_temperature_color = fields.Integer(
        compute="_compute_kam_temperature", store=True
    )
    kam_refresh_date = fields.Date(
        "KAM Data Refreshed On", readonly=True, copy=False, index=True
    )
    # -- history
    kam_overdue_since = fields.Date(
        "Overdue Since",
        readonly=True,
        copy=False,
        help="Due date of the current overdue spell, as the daily job saw it: one "
        "cadence breach is recorded per spell.",
    )
    kam_history_ids = fields.One2many(
        "kam.account.history", "partner_id", "Key Account Moves", readonly=True
    )
    kam_history_count = fields.Integer("Moves", compute="_compute_kam_history_count")

    _sql_constraints = [
        (
            "kam_tier_override_reason",
            "CHECK (kam_tier_override IS NULL OR kam_tier_override_reason IS NOT NULL)",
            "A tier override needs a reason.",
        ),
    ]

    # -- computes
    def _kam_company(self):
        return self.company_id or self.env.company

    @api.depends("company_id")
    def _compute_kam_currency_id(self):
        for partner in self:
            partner.kam_currency_id = partner._kam_company().currency_id

    @api.depends("kam_tier_computed", "kam_tier_override")
    def _compute_kam_tier(self):
        for partner in self:
            partner.kam_tier = partner.kam_tier_override or partner.kam_tier_computed

    @api.depends("kam_tier", "kam_quadrant")
    def _compute_kam_is_key_account(self):
        for partner in self:
            partner.kam_is_key_account = (
                partner.kam_tier == "a" or partner.kam_quadrant == "key"
            )

    # The company settings these computes read are not dependencies: changing them
    # queues the company's accounts for the daily refresh, which recomputes these fields
    # (_kam_queue_refresh).
    @api.depends("kam_revenue_12m", "kam_revenue_prev_12m", "company_id")
    def _compute_kam_revenue_trend(self):
        for partner in self:
            change = revenue.trend(
                partner.kam_revenue_12m, partner.kam_revenue_prev_12m
            )
            partner.kam_revenue_trend = change or 0.0
            partner.kam_revenue_declining = revenue.is_declining(
                change, partner._kam_company().kam_decline_threshold
            )

    @api.depends("kam_revenue_12m", "kam_purchase_count_12m", "company_id")
    def _compute_kam_lifetime_value(self):
        for partner in self:
            count = partner.kam_purchase_count_12m
            average = partner.kam_revenue_12m / count if count else 0.0
            partner.kam_lifetime_value = revenue.lifetime_value(
                average, count, partner._kam_company().kam_ltv_years
            )

    @api.depends("kam_score_ids.score", "kam_score_ids.weight", "kam_score_ids.axis")
    def _compute_kam_scores(self):
        for partner in self:
            by_axis = defaultdict(list)
            for line in partner.kam_score_ids:
                by_axis[line.axis].append((line.score, line.weight))
            partner.kam_attractiveness_score = (
                scoring.weighted_score(by_axis["attractiveness"]) or 0.0
            )
            partner.kam_potential_score = (
                scoring.weighted_score(by_axis["potential"]) or 0.0
            )
            partner.kam_relationship_score = (
                scoring.weighted_score(by_axis["relationship"]) or 0.0
            )

    @api.depends(
        "kam_attractiveness_score",
        "kam_relationship_score",
        "kam_score_ids.axis",
        "company_id",
    )
    def _compute_kam_quadrant(self):
        for partner in self:
            axes = set(partner.kam_score_ids.mapped("axis"))
            if not {"attractiveness", "relationship"} <= axes:
                partner.kam_quadrant = False
                continue
            company = partner._kam_company()
            partner.kam_quadrant = scoring.quadrant(
                partner.kam_attractiveness_score,
                partner.kam_relationship_score,
                company.kam_attractiveness_threshold,
                company.kam_relationship_threshold,
            )

    @api.depends("kam_tier", "company_id")
    def _compute_kam_cadence_days(self):
        for partner in self:
            if not partner.kam_tier:
                partner.kam_cadence_days = 0
                continue
            settings = partner._kam_company()._kam_settings()
            partner.kam_cadence_days = cadence.cadence_days(
                partner.kam_tier, settings["cadence"]
            )

    @api.depends("kam_last_contact_date", "kam_cadence_days", "create_date")
    def _compute_kam_next_contact_date(self):
        for partner in self:
            if not partner.kam_cadence_days:
                partner.kam_next_contact_date = False
                continue
            fallback = (
                partner.create_date.date()
                if partner.create_date
                else fields.Date.context_today(partner)
            )
            partner.kam_next_contact_date = cadence.next_contact_date(
                partner.kam_last_contact_date, partner.kam_cadence_days, fallback
            )

    @api.depends("kam_next_contact_date")
    @api.depends_context("tz")
    def _compute_kam_is_overdue(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.kam_is_overdue = cadence.is_overdue(
                partner.kam_next_contact_date, today
            )

    def _search_kam_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(
                self.env._("Search overdue contacts with = or != and a boolean.")
            )
        today = fields.Date.context_today(self)
        overdue = self._kam_overdue_domain(today)
        if (operator == "=") == value:
            return overdue
        return ["!", *expression.normalize_domain(overdue)]

    @api.model
    def _kam_overdue_domain(self, today):
        """The accounts overdue on ``today``: the domain form of cadence.is_overdue."""
        return [
            ("kam_next_contact_date", "!=", False),
            (
                "kam_next_contact_date",
                "<",
                fields.Date.to_string(cadence.overdue_before(today)),
            ),
        ]

    @api.depends("kam_tier", "kam_revenue_12m", "company_id")
    def _compute_kam_temperature(self):
        for partner in self:
            settings = partner._kam_company()._kam_settings()
            ratio, level = tiering.temperature(
                partner.kam_revenue_12m,
                partner.kam_tier,
                settings["benchmark"],
                settings["b_ratio"],
                settings["c_ratio"],
                settings["temperature"],
            )
            partner.kam_temperature_ratio = ratio
            partner.kam_temperature = level
            partner.kam_temperature_color = TEMPERATURE_COLORS[level]

    def _compute_kam_history_count(self):
        counts = dict(
            self.env["kam.account.history"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_history_count = counts.get(partner, 0)

    # -- constraints and access
    @api.constrains("kam_tier_override", "kam_tier_override_reason")
    def _check_kam_tier_override(self):
        for partner in self:
            if (
                partner.kam_tier_override
                and not (partner.kam_tier_override_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Give a reason for overriding the tier of %(account)s.",
                        account=partner.display_name,
                    )
                )

    @api.constrains("kam_manager_id", "vat", "parent_id")
    def _check_kam_single_owner(self):
        """One owner per account: the same company (by tax ID) is never owned by two
        reps."""
        accounts = self.filtered(
            lambda p: p.kam_manager_id and p.vat and not p.parent_id
        )
        if not accounts:
            return
        others = self.search(
            [
                ("vat", "in", accounts.mapped("vat")),
                ("parent_id", "=", False),
                ("kam_manager_id", "!=", False),
                ("id", "not in", accounts.ids),
            ]
        )
        for partner in accounts:
            for other in others:
                if (
                    other.vat == partner.vat
                    and other.kam_manager_id != partner.kam_manager_id
                ):
                    raise ValidationError(
                        self.env._(
                            "%(account)s has the tax ID of %(other)s, which %(owner)s "
                            "already manages: "
                            "an account has one key account manager.",
                            account=partner.display_name,
                            other=other.display_name,
                            owner=other.kam_manager_id.name,
                        )
                    )

    def _commercial_fields(self):
        # Contacts follow their company: they share its key account manager.
        return super()._commercial_fields() + ["kam_manager_id"]

    def _kam_check_write_access(self, vals):
        if self.env.su or self.env.user.has_group("kam_management.group_kam_manager"):
            return
        if KAM_DIRECTOR_FIELDS.intersection(vals):
            raise AccessError(
                self.env._("Only KAM directors override an account's tier.")
            )
        if not KAM_OWNED_FIELDS.intersection(vals):
            return
        user = self.env.user
        if not user.has_group("kam_management.group_kam_user"):
            raise AccessError(
                self.env._("Only key account managers edit key account data.")
            )
        foreign = self.filtered(
            lambda p: p.commercial_partner_id.kam_manager_id
            not in (user, self.env["res.users"])
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "You can only edit the key account data of accounts you manage: "
                    "%(accounts)s.",
                    accounts=", ".join(foreign.mapped("display_name")),
                )
            )
        if "kam_manager_id" in vals and vals["kam_manager_id"] not in (False, user.id):
            raise AccessError(
                self.env._(
                    "Only KAM directors hand an account to another key account manager."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._kam_check_values(vals) for vals in vals_list]
        for vals in vals_list:
            if KAM_DIRECTOR_FIELDS.intersection(vals) or vals.get("kam_manager_id"):
                self.browse()._kam_check_write_access(vals)
        return super().create(vals_list)

    def write(self, vals):
        vals = self._kam_check_values(vals)
        self._kam_check_write_access(vals)
        self._kam_check_reparent(vals)
        cause = self._kam_history_cause(vals)
        if not cause:
            return super().write(vals)
        accounts = self.filtered(lambda p: not p.parent_id)
        before = accounts._kam_history_snapshot()
        # The ratings written through the form record here, not a second time in
        # kam.partner.score.
        res = super(ResPartner, self.with_context(kam_history_done=True)).write(vals)
        note = False
        if cause == "override":
            note = vals.get("kam_tier_override_reason") or False
        accounts._kam_history_record(before, cause, note)
        return res

    def _kam_check_reparent(self, vals):
        """Putting an account under another company turns it into a contact: it leaves
        the daily job, the lists and the cockpit. For a managed or key account that is
        a director's decision, recorded on the account."""
        if "parent_id" not in vals or self.env.su:
            return
        accounts = self.filtered(
            lambda p: not p.parent_id
            and (p.kam_manager_id or p.kam_is_key_account)
            and p.parent_id.id != vals["parent_id"]
        )
        if not accounts or not vals["parent_id"]:
            return
        if not self.env.user.has_group("kam_management.group_kam_manager"):
            raise AccessError(
                self.env._(
                    "Only a KAM director can put a managed key account under another "
                    "company: %(accounts)s.",
                    accounts=", ".join(accounts.mapped("display_name")),
                )
            )
        parent = self.browse(vals["parent_id"])
        for account in accounts:
            account.message_post(
                body=self.env._(
                    "Put under %(parent)s by %(user)s: the account leaves key account "
                    "management (tier %(tier)s, manager %(manager)s).",
                    parent=parent.display_name,
                    user=self.env.user.name,
                    tier=(account.kam_tier or "-").upper(),
                    manager=account.kam_manager_id.name or "-",
                )
            )

    @api.model
    def _kam_history_cause(self, vals):
        """Why a write may move the account's tier, quadrant or temperature (None when
        it cannot): the history records the cause with the change."""
        if self.env.context.get("kam_history_done"):
            return None
        if "kam_tier_override" in vals:
            return "override"
        if "kam_score_ids" in vals:
            return "rating"
        return None

    # -- history
    def _kam_history_snapshot(self):
        """{account id: {kind: value}} of tier, quadrant and temperature of ``self``,
        as they stand: one read for the batch (pending computes included)."""
        self.fetch(list(KAM_HISTORY_FIELDS.values()))
        return {
            partner.id: {
                kind: partner[fname] for kind, fname in KAM_HISTORY_FIELDS.items()
            }
            for partner in self
        }

    def _kam_history_record(self, before, cause, note=False):
        """Compare the accounts of ``self`` with the snapshot ``before`` and record
        their changes in one create. ``note`` is a text for all or a dict account id
        -> text. The one helper behind the daily job, the override and the ratings."""
        if not self:
            return self.env["kam.account.history"]
        changes = cockpit.history_changes(before, self._kam_history_snapshot())
        now = fields.Datetime.now()
        rows = [
            {
                "partner_id": account_id,
                "kind": kind,
                "old_value": old,
                "new_value": new,
                "cause": cause,
                "cause_note": note.get(account_id) if isinstance(note, dict) else note,
                "date": now,
            }
            for account_id, kind, old, new in changes
        ]
        return self.env["kam.account.history"]._kam_record(rows)

    def _kam_record_breaches(self, today):
        """Open an overdue spell (and record one cadence breach) for the managed
        accounts of ``self`` whose next contact is due, close the spell of those
        contacted since. Never a second breach for the same spell."""
        rows = []
        now = fields.Datetime.now()
        for partner in self:
            overdue = bool(partner.kam_manager_id) and cadence.is_overdue(
                partner.kam_next_contact_date, today
            )
            if cockpit.breach_starts(partner.kam_overdue_since, overdue):
                partner._kam_write_refresh(
                    {"kam_overdue_since": partner.kam_next_contact_date}
                )
                rows.append(
                    {
                        "partner_id": partner.id,
                        "kind": "cadence_breach",
                        "old_value": "in_time",
                        "new_value": "overdue",
                        "cause": "refresh",
                        "cause_note": self.env._(
                            "contact due on %(date)s (tier %(tier)s, every %(days)s "
                            "days)",
                            date=partner.kam_next_contact_date,
                            tier=(partner.kam_tier or "").upper(),
                            days=partner.kam_cadence_days,
                        ),
                        "date": now,
                    }
                )
            elif partner.kam_overdue_since and not overdue:
                partner._kam_write_refresh({"kam_overdue_since": False})
        return self.env["kam.account.history"]._kam_record(rows)

    def action_kam_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.action_kam_account_history"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_kind": 0}
        return action

    # -- actions
    def action_kam_load_criteria(self):
        """Add a rating line for every active criterion the account is not rated on
        yet."""
        criteria = self.env["kam.criterion"].search([])
        values = []
        for partner in self:
            account = partner.commercial_partner_id
            rated = account.kam_score_ids.criterion_id
            values += [
                {"partner_id": account.id, "criterion_id": criterion.id}
                for criterion in criteria - rated
                if not criterion.company_id
                or criterion.company_id == account._kam_company()
            ]
        if values:
            self.env["kam.partner.score"].create(values)
        return True

    def action_kam_refresh(self):
        """Refresh the KAM data of these accounts now, not at the next daily run."""
        accounts = self.commercial_partner_id
        today = fields.Date.context_today(self)
        # Today's benchmark if the daily job computed it already: a rep's click does not
        # re-aggregate the whole revenue history.
        self.env["res.company"].browse(
            {(p.company_id or self.env.company).id for p in accounts}
        )._kam_refresh_benchmarks(today)
        accounts._kam_refresh(today)
        return True

    # -- revenue sources
    @api.model
    def _kam_revenue_source_query(self, source):
        """SQL of the revenue rows: (partner_id = commercial partner, day, amount,
        company_id)."""
        if source == "invoice" and "account.move" in self.env:
            return SQL(
                """
                SELECT m.commercial_partner_id AS partner_id, m.invoice_date AS day,
                       m.amount_untaxed_signed AS amount, m.company_id
                  FROM account_move m
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.commercial_partner_id IS NOT NULL
                """
            )
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, l.date_closed::date AS day,
                   l.expected_revenue AS amount, l.company_id
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id AND s.is_won
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.active AND l.date_closed IS NOT NULL
            """
        )

    @api.model
    def _kam_revenue_by_partner(
        self, date_from, date_to, partner_ids=None, source=None, company_ids=None
    ):
        """Revenue per commercial partner between two dates (inclusive), in company
        currency.

        ``source`` defaults to the current company's setting: won opportunities, or
        posted customer invoices when Invoicing is installed and chosen.
        ``company_ids`` keeps the revenue booked by those companies (and the deals
        without a company): a plan of one company never shows another's sales.
        """
        if date_from and date_to and date_from > date_to:
            raise ValidationError(
                self.env._("The start of a revenue period must not be after its end.")
            )
        source = source or self.env.company.kam_revenue_source
        partner_filter = SQL("")
        if partner_ids is not None:
            partner_filter = SQL("AND r.partner_id = ANY(%s)", list(partner_ids))
        company_filter = SQL("")
        if company_ids is not None:
            company_filter = SQL(
                "AND (r.company_id = ANY(%s) OR r.company_id IS NULL)",
                list(company_ids),
            )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.partner_id, SUM(r.amount)
                  FROM (%(rows)s) r
                 WHERE r.day BETWEEN %(start)s AND %(end)s %(partners)s %(companies)s
              GROUP BY r.partner_id
                """,
                rows=self._kam_revenue_source_query(source),
                start=date_from,
                end=date_to,
                partners=partner_filter,
                companies=company_filter,
            )
        )
        return {
            partner_id: amount or 0.0 for partner_id, amount in self.env.cr.fetchall()
        }

    def _kam_revenue_stats(self, today, source):
        """Per account of ``self``: revenue of the last 12 months and of the 12 before,
        the number of purchases of the last 12 months, and whether it ever bought or has
        open opportunities. One query for the revenue, one for the open opportunities.
        """
        start = today - relativedelta(years=1) + datetime.timedelta(days=1)
        prev_start = start - relativedelta(years=1)
        self.env.cr.execute(
            SQL(
                """
                SELECT r.partner_id,
                       SUM(r.amount)
                           FILTER (WHERE r.day >= %(start)s AND r.day <= %(today)s),
                       SUM(r.amount)
                           FILTER (WHERE r.day >= %(prev)s AND r.day < %(start)s),
                       COUNT(*)
                           FILTER (WHERE r.day >= %(start)s AND r.day <= %(today)s
                                     AND r.amount > 0)
                  FROM (%(rows)s) r
                 WHERE r.partner_id = ANY(%(ids)s)
              GROUP BY r.partner_id
                """,
                rows=self._kam_revenue_source_query(source),
                start=start,
                prev=prev_start,
                today=today,
                ids=self.ids,
            )
        )
        stats = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM crm_lead l
                  JOIN res_partner p ON p.id = l.partner_id
             LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.active AND p.commercial_partner_id = ANY(%s)
                   AND NOT COALESCE(s.is_won, FALSE)
                """,
                self.ids,
            )
        )
        prospects = {row[0] for row in self.env.cr.fetchall()}
        return stats, prospects

    def _kam_last_contacts(self):
        """Date of the last meaningful contact of each account of ``self`` and its
        contacts: done activities (logged calls included) and messages (not internal
        notes) on the account or its opportunities, and meetings held with it, up to
        now (a date in the future is no contact). One query."""
        comment = self.env.ref("mail.mt_comment").id
        self.env.cr.execute(
            SQL(
                """
                WITH people AS (
                    SELECT id, commercial_partner_id AS account_id FROM res_partner
                     WHERE commercial_partner_id = ANY(%(ids)s)
                ), contacts AS (
                    SELECT pe.account_id, m.date
                      FROM people pe
                      JOIN mail_message m
                        ON m.model = 'res.partner' AND m.res_id = pe.id
                     WHERE m.mail_activity_type_id IS NOT NULL
                        OR m.subtype_id = %(comment)s
                    UNION ALL
                    SELECT pe.account_id, m.date
                      FROM people pe
                      JOIN crm_lead l ON l.partner_id = pe.id
                      JOIN mail_message m ON m.model = 'crm.lead' AND m.res_id = l.id
                     WHERE m.mail_activity_type_id IS NOT NULL
                        OR m.subtype_id = %(comment)s
                    UNION ALL
                    SELECT pe.account_id, e.start
                      FROM people pe
                      JOIN calendar_event_res_partner_rel r ON r.res_partner_id = pe.id
                      JOIN calendar_event e ON e.id = r.calendar_event_id
                     WHERE e.active
                )
                SELECT account_id, MAX(date)::date FROM contacts
                 WHERE date <= %(now)s
              GROUP BY account_id
                """,
                ids=self.ids,
                comment=comment,
                now=fields.Datetime.now(),
            )
        )
        return dict(self.env.cr.fetchall())

    # -- the daily refresh
    @api.model
    def _kam_account_domain(self):
        """Who is an account (docs/METHOD.md#accounts): a company or a person without
        a parent, neither one of the database's own companies nor a user's partner
        (staff, portal or public). Contacts roll up to their company. The one
        definition of the daily job, every list and filter, the heat map and the
        cockpit (``kam_is_account``)."""
        users = self.env["res.users"].sudo().with_context(active_test=False).search([])
        own = self.env["res.company"].sudo().search([]).partner_id
        return [
            ("parent_id", "=", False),
            ("id", "not in", (users.partner_id | own).ids),
        ]

    def _compute_kam_is_account(self):
        accounts = self.filtered_domain(self._kam_account_domain())
        for partner in self:
            partner.kam_is_account = partner in accounts

    def _search_kam_is_account(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(
                self.env._("Search accounts with = or != and a boolean.")
            )
        domain = self._kam_account_domain()
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _kam_forget_non_accounts(self):
        """Clear the KAM figures that partners who are no accounts (any more) still
        carry from an earlier refresh, e.g. a customer who became a user: they leave
        every list, the heat map and the cockpit at once. One search, one write."""
        stale = self.with_context(active_test=False).search(
            [
                ("kam_is_account", "=", False),
                "|",
                ("kam_tier_computed", "!=", False),
                ("kam_refresh_date", "!=", False),
            ]
        )
        if stale:
            stale._kam_write_refresh(
                {
                    "kam_tier_computed": False,
                    "kam_revenue_12m": 0.0,
                    "kam_revenue_prev_12m": 0.0,
                    "kam_purchase_count_12m": 0,
                    "kam_has_prospects": False,
                    "kam_last_contact_date": False,
                    "kam_lookalike_score": 0,
                    "kam_is_lookalike": False,
                    "kam_overdue_since": False,
                    "kam_refresh_date": False,
                }
            )

    @api.model
    def _kam_queue_refresh(self, companies):
        """Queue the accounts of ``companies`` (and the shared ones) for the next
        refresh."""
        domain = ["|", ("company_id", "=", False), ("company_id", "in", companies.ids)]
        self.flush_model()
        accounts = self.with_context(active_test=False).search(
            self._kam_account_domain() + domain
        )
        if accounts:
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET kam_refresh_date = NULL WHERE id = ANY(%s)",
                    accounts.ids,
                )
            )
            self.invalidate_model(["kam_refresh_date"])
        companies.write({"kam_benchmark_date": False})
        cron = self.env.ref(
            "kam_management.ir_cron_kam_daily", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_kam_daily(self, batch_size=None):
        """Refresh one batch of accounts not yet refreshed today; the cron runner calls
        it again while accounts remain. Running it twice, or again after a crash, only
        picks up the accounts that were not refreshed: every batch is complete or
        absent."""
        today = fields.Date.context_today(self)
        if batch_size is None:
            batch_size = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("kam_management.refresh_batch_size", 1000)
            )
        self.env["res.company"].search([])._kam_refresh_benchmarks(today)
        self._kam_forget_non_accounts()
        pending = self._kam_account_domain() + [
            "|",
            ("kam_refresh_date", "=", False),
            ("kam_refresh_date", "<", today),
        ]
        accounts = self.search(pending, limit=batch_size, order="id")
        accounts._kam_refresh(today)
        remaining = self.search_count(pending) if len(accounts) == batch_size else 0
        if not remaining:
            # Every account is refreshed: the day's compliance figures are final.
            self.env["kam.cadence.snapshot"]._kam_take_snapshot(today)
        self.env["ir.cron"]._notify_progress(done=len(accounts), remaining=remaining)
        return remaining

    def _kam_refresh(self, today):
        """Recompute what time changes for the accounts in ``self`` and schedule the
        contact reminders that are due. Set-based: a fixed number of queries per batch.
        """
        if not self:
            return
        # The revenue and contact queries read the database: pending ORM writes go
        # first.
        self.env.flush_all()
        by_company = defaultdict(lambda: self.browse())
        for partner in self:
            by_company[partner._kam_company()] |= partner
        for company, partners in by_company.items():
            partners._kam_refresh_company(company, today)
        self.flush_recordset()

    def _kam_refresh_company(self, company, today):
        settings = company._kam_settings()
        # Tier, quadrant and temperature before the refresh: one read of the batch; the
        # changes are recorded in one create at the end.
        before = self._kam_history_snapshot()
        stats, prospects = self._kam_revenue_stats(today, company.kam_revenue_source)
        last_contacts = self._kam_last_contacts()
        for partner in self:
            rev_12m, rev_prev, count = stats.get(partner.id, (0.0, 0.0, 0))
            tier = tiering.compute_tier(
                rev_12m or 0.0,
                settings["benchmark"],
                settings["b_ratio"],
                settings["c_ratio"],
                has_prospects=partner.id in prospects or partner.id in stats,
                cutoffs=settings["tier_cutoffs"],
            )
            # Only evidence counts: a date nothing in the database backs (or one in
            # the future) is never kept.
            last = last_contacts.get(partner.id)
            values = {
                "kam_revenue_12m": rev_12m or 0.0,
                "kam_revenue_prev_12m": rev_prev or 0.0,
                "kam_purchase_count_12m": count or 0,
                "kam_has_prospects": partner.id in prospects or partner.id in stats,
                "kam_tier_computed": tier,
                "kam_last_contact_date": last or False,
                "kam_refresh_date": today,
            }
            # Write only what changed: an unchanged account costs no UPDATE and no
            # tracking.
            changed = {k: v for k, v in values.items() if partner[k] != v}
            if changed:
                partner.sudo()._kam_write_refresh(changed)
        # Settings and the benchmark feed these computes without being dependencies.
        for fname in (
            "kam_cadence_days",
            "kam_temperature",
            "kam_revenue_trend",
            "kam_lifetime_value",
            "kam_quadrant",
        ):
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset()
        # Look-alikes compare with the tier A accounts as they stand after this batch.
        references = self._kam_tier_a_profiles(company)
        for partner in self:
            matches = 0
            if partner.kam_tier != "a":
                matches = tiering.lookalike_matches(partner._kam_profile(), references)
            values = {
                "kam_lookalike_score": matches,
                "kam_is_lookalike": matches >= settings["lookalike_min_match"],
            }
            changed = {k: v for k, v in values.items() if partner[k] != v}
            if changed:
                partner._kam_write_refresh(changed)
        self.flush_recordset()
        # The numbers are formatted first: the translation extractor reads the
        # arguments of self.env._() as plain expressions.
        benchmark = f"{settings['benchmark'] or 0.0:,.0f}"
        notes = {}
        for partner in self:
            revenue_12m = f"{partner.kam_revenue_12m:,.0f}"
            notes[partner.id] = self.env._(
                "revenue 12 months %(revenue)s vs benchmark %(benchmark)s",
                revenue=revenue_12m,
                benchmark=benchmark,
            )
        self._kam_history_record(before, "refresh", notes)
        self._kam_record_breaches(today)
        self._kam_schedule_contact_activities(company, today)
        self._kam_schedule_feedback_activities(today)

    def _kam_write_refresh(self, values):
        # The refresh writes system fields only: it bypasses the rep/director access
        # checks.
        return super(ResPartner, self.sudo()).write(values)

    def _kam_profile(self):
        territory = (self.country_id.id, self.state_id.id) if self.country_id else None
        return tiering.profile(self.industry_id.id, territory, self.kam_company_size)

    @api.model
    def _kam_tier_a_profiles(self, company):
        domain = self._kam_account_domain() + [("kam_tier", "=", "a")]
        if company == self.env.company:
            domain += ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        else:
            domain += [("company_id", "=", company.id)]
        return {partner._kam_profile() for partner in self.search(domain)}

    def _kam_schedule_contact_activities(self, company, today):
        """One open reminder per overdue account for its key account manager, of the
        channel its tier calls for; never a second while one of the contact types is
        open."""
        due = self.filtered(
            lambda p: p.kam_manager_id
            and cadence.is_due(p.kam_next_contact_date, today)
        )
        if not due:
            return
        activity_types = company._kam_settings()["activity_types"]
        contact_types = self.env["mail.activity.type"].union(*activity_types.values())
        open_activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", due.ids),
                    ("activity_type_id", "in", contact_types.ids),
                ]
            )
        )
        already = set(open_activities.mapped("res_id"))
        model_id = self.env["ir.model"]._get_id("res.partner")
        values = []
        for partner in due:
            activity_type = activity_types.get(partner.kam_tier)
            if partner.id in already or not activity_type:
                continue
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": partner.kam_manager_id.id,
                    "date_deadline": partner.kam_next_contact_date,
                    "summary": self.env._(
                        "Tier %(tier)s contact due (every %(days)s days)",
                        tier=partner.kam_tier.upper(),
                        days=partner.kam_cadence_days,
                    ),
                }
            )
        if values:
            # Reminders land in the reps' activity menus; no e-mail per reminder.
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(values)

    def _kam_schedule_feedback_activities(self, today):
        """When revenue drops, ask the customer for feedback: one open request per
        account."""
        declining = self.filtered(
            lambda p: p.kam_revenue_declining and p.kam_manager_id
        )
        activity_type = self.env.ref(
            "kam_management.mail_activity_type_kam_feedback", raise_if_not_found=False
        )
        if not declining or not activity_type:
            return
        already = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", declining.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        values = [
            {
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "user_id": partner.kam_manager_id.id,
                "date_deadline": today
                + datetime.timedelta(days=activity_type.delay_count),
                "summary": self.env._(
                    "Revenue down %(drop)s%%: ask for feedback",
                    drop=round(abs(partner.kam_revenue_trend)),
                ),
            }
            for partner in declining
            if partner.id not in already
        ]
        if values:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(values)
