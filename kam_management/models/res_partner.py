from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index

from ..logic import cadence, cockpit

TIERS = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]
TEMPERATURES = [
    ("hot", "Red"),
    ("warm", "Orange"),
    ("mild", "Yellow"),
    ("cool", "Light blue"),
    ("cold", "Blue"),
    ("none", "No data"),
]
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

    # Every KAM figure and decision below is per company (company_dependent: one jsonb
    # column, one value per company): a customer shared between the companies of the
    # database (company_id empty, Odoo's default) has the tier, manager, cadence and
    # temperature of each company's own business with it, and a user reads those of
    # the company they work in (docs/METHOD.md#companies). The derived figures are
    # written by the refresh engine (kam.refresh), which knows the company it works
    # for; none is an ORM compute, whose recompute would run in whatever company
    # triggered it. No index per field (index=False), the manager's aside (Odoo
    # cleans it up when a user is deleted): Odoo's index on a company-dependent
    # column only tells whether some company has a value, and it would cost every
    # refresh one index update per field.

    # -- ownership
    kam_manager_id = fields.Many2one(
        "res.users",
        "Key Account Manager",
        company_dependent=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="The one owner of the account in this company: reps never call the same "
        "company unknowingly.",
    )
    kam_currency_id = fields.Many2one(
        "res.currency",
        "Currency of the Figures",
        compute="_compute_kam_currency_id",
        help="The currency of the company you work in: the revenue figures are in it.",
    )

    # -- revenue (refreshed by the daily job, in the company's currency)
    kam_revenue_12m = fields.Float(
        "Revenue (12 months)",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Sales of the last 12 months to the account and its contacts booked by "
        "this company, in its currency at each document's date.",
    )
    kam_revenue_prev_12m = fields.Float(
        "Revenue (previous 12 months)",
        company_dependent=True,
        index=False,
        readonly=True,
    )
    kam_purchase_count_12m = fields.Integer(
        "Purchases (12 months)", company_dependent=True, index=False, readonly=True
    )
    kam_has_prospects = fields.Boolean(
        "Bought or Has Prospects",
        company_dependent=True,
        index=False,
        readonly=True,
        help="The account bought before or has open opportunities.",
    )
    kam_revenue_trend = fields.Float(
        "Revenue Trend (%)",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Change of the last 12 months' revenue against the 12 months before.",
    )
    kam_revenue_declining = fields.Boolean(
        "Revenue Declining", company_dependent=True, index=False, readonly=True
    )
    kam_lifetime_value = fields.Float(
        "Lifetime Value",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Average purchase x purchases a year x expected years as a customer.",
    )

    # -- tier
    kam_tier_computed = fields.Selection(
        TIERS, "Computed Tier", company_dependent=True, index=False, readonly=True
    )
    # A director's override is tracked in the chatter: who decided it and why. The
    # tier and quadrant moves themselves have one record, the account history
    # (kam.account.history), which also says what caused them: they are not tracked.
    kam_tier_override = fields.Selection(
        TIERS, "Tier Override", company_dependent=True, index=False, tracking=True
    )
    kam_tier_override_reason = fields.Text(
        "Override Reason", company_dependent=True, index=False, tracking=True
    )
    kam_tier = fields.Selection(
        TIERS,
        "Tier",
        company_dependent=True,
        index=False,
        readonly=True,
        group_expand=True,
        help="The override if a director set one, else the computed tier.",
    )
    kam_is_key_account = fields.Boolean(
        "Key Account",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Tier A or in the Key quadrant.",
    )
    # A fact about the customer, the same for every company.
    kam_company_size = fields.Selection(COMPANY_SIZES, "Company Size")
    kam_lookalike_score = fields.Integer(
        "Look-alike Matches",
        company_dependent=True,
        index=False,
        readonly=True,
        help="How many of industry, territory and size the account shares with a tier "
        "A account.",
    )
    kam_is_lookalike = fields.Boolean(
        "Tier A Look-alike",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Resembles the tier A accounts: a candidate for tier A.",
    )

    # -- strategic attention (the ratings of the company you work in)
    kam_score_ids = fields.One2many(
        "kam.partner.score",
        "partner_id",
        "Criteria Ratings",
        domain=lambda self: [("company_id", "=", self.env.company.id)],
    )
    kam_attractiveness_score = fields.Float(
        "Attractiveness",
        company_dependent=True,
        index=False,
        readonly=True,
        aggregator="avg",
    )
    kam_potential_score = fields.Float(
        "Potential",
        company_dependent=True,
        index=False,
        readonly=True,
        aggregator="avg",
    )
    kam_relationship_score = fields.Float(
        "Relationship",
        company_dependent=True,
        index=False,
        readonly=True,
        aggregator="avg",
    )
    kam_quadrant = fields.Selection(
        QUADRANTS,
        "Strategic Quadrant",
        company_dependent=True,
        index=False,
        readonly=True,
    )
    kam_relationship_type = fields.Selection(
        RELATIONSHIP_TYPES,
        "Relationship Type",
        company_dependent=True,
        index=False,
        tracking=True,
    )

    # -- cadence
    kam_last_contact_date = fields.Date(
        "Last Contact",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Last meaningful contact: a done activity, a logged call, a meeting, a "
        "message sent or received.",
    )
    kam_cadence_days = fields.Integer(
        "Contact Every (days)", company_dependent=True, index=False, readonly=True
    )
    kam_next_contact_date = fields.Date(
        "Next Contact Due", company_dependent=True, index=False, readonly=True
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
        company_dependent=True,
        index=False,
        readonly=True,
        aggregator="avg",
        help="Revenue of the last 12 months against what the account's tier should "
        "bring.",
    )
    kam_temperature = fields.Selection(
        TEMPERATURES,
        "Temperature",
        company_dependent=True,
        index=False,
        readonly=True,
        group_expand=True,
    )
    kam_temperature_color = fields.Integer(
        "Temperature Colour", company_dependent=True, index=False, readonly=True
    )
    kam_refresh_date = fields.Date(
        "KAM Data Refreshed On", company_dependent=True, index=False, readonly=True
    )
    # -- history
    kam_overdue_since = fields.Date(
        "Overdue Since",
        company_dependent=True,
        index=False,
        readonly=True,
        help="Due date of the current overdue spell, as the daily job saw it: one "
        "cadence breach is recorded per spell.",
    )
    kam_history_ids = fields.One2many(
        "kam.account.history",
        "partner_id",
        "Key Account Moves",
        readonly=True,
        domain=lambda self: [("company_id", "=", self.env.company.id)],
    )
    kam_history_count = fields.Integer("Moves", compute="_compute_kam_history_count")

    def init(self):
        res = super().init()
        # The territory's search (kam.territory._kam_nearby): a bounding box on the
        # coordinates, else the city, else the state (docs/METHOD.md#territory).
        cr = self.env.cr
        create_index(
            cr,
            "res_partner_kam_position_index",
            self._table,
            ["partner_latitude", "partner_longitude"],
        )
        create_index(
            cr, "res_partner_kam_city_index", self._table, ["LOWER(TRIM(city))"]
        )
        create_index(cr, "res_partner_kam_state_index", self._table, ["state_id"])
        return res

    # -- computes
    @api.depends_context("company")
    def _compute_kam_currency_id(self):
        self.kam_currency_id = self.env.company.currency_id

    @api.depends("kam_next_contact_date")
    @api.depends_context("tz", "company")
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

    @api.depends_context("company")
    def _compute_kam_history_count(self):
        counts = dict(
            self.env["kam.account.history"]._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["__count"],
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
            res = super().write(vals)
            # A measure written by the system (the last contact of a done activity,
            # say): the figures that follow from it follow at once.
            engine = self.env["kam.refresh"].sudo()
            if engine._kam_derivation_inputs().intersection(vals):
                engine._kam_rederive(self.filtered(lambda p: not p.parent_id))
            return res
        accounts = self.filtered(lambda p: not p.parent_id)
        before = accounts._kam_history_snapshot()
        # The ratings written through the form record here, not a second time in
        # kam.partner.score.
        res = super(ResPartner, self.with_context(kam_history_done=True)).write(vals)
        # The tier, quadrant, cadence and temperature follow the new input at once.
        self.env["kam.refresh"].sudo()._kam_rederive(accounts)
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
                if not criterion.company_id or criterion.company_id == self.env.company
            ]
        if values:
            self.env["kam.partner.score"].create(values)
        return True

    def action_kam_refresh(self):
        """Refresh the KAM data of these accounts now, for the company you work in,
        not at the next daily run."""
        accounts = self.commercial_partner_id.filtered_domain(
            self._kam_account_domain(self.env.company)
        )
        # Today's benchmark if the daily job computed it already: a rep's click does not
        # re-aggregate the whole revenue history.
        self.env.company._kam_refresh_benchmarks(fields.Date.context_today(self))
        accounts._kam_refresh(fields.Date.context_today(self))
        return True

    def _kam_refresh(self, today):
        """Refresh these accounts for the current company (the engine's batch)."""
        self.env["kam.refresh"].sudo()._kam_refresh_accounts(self.sudo(), today)

    @api.model
    def _cron_kam_daily(self, batch_size=None):
        """The daily job's entry point (ir_cron_kam_daily): kam.refresh does the
        work, company after company."""
        return self.env["kam.refresh"]._kam_cron_daily(batch_size=batch_size)

    # -- who is an account
    @api.model
    def _kam_account_domain(self, company=None, in_sql=False):
        """Who is an account (docs/METHOD.md#accounts): a company or a person without
        a parent, neither one of the database's own companies nor a user's partner
        (staff, portal or public). Contacts roll up to their company. The one
        definition of the daily job, every list and filter, the heat map and the
        cockpit (``kam_is_account``). With ``company``: the accounts that company
        deals with, its own and the shared ones.

        ``in_sql``: the people left out as a subquery rather than a list of ids, for
        the server's own searches (no query to build the domain); a domain sent to
        the web client or evaluated in Python takes the list."""
        if in_sql:
            excluded = SQL(
                "(SELECT partner_id FROM res_users UNION ALL "
                "SELECT partner_id FROM res_company)"
            )
        else:
            # One query: the partners of every user and company, archived too.
            self.env["res.users"].flush_model(["partner_id"])
            self.env["res.company"].flush_model(["partner_id"])
            self.env.cr.execute(
                "SELECT partner_id FROM res_users UNION "
                "SELECT partner_id FROM res_company"
            )
            excluded = [row[0] for row in self.env.cr.fetchall() if row[0]]
        domain = [("parent_id", "=", False), ("id", "not in", excluded)]
        if company:
            domain += [("company_id", "in", (False, company.id))]
        return domain

    @api.depends_context("company")
    def _compute_kam_is_account(self):
        accounts = self.filtered_domain(self._kam_account_domain(self.env.company))
        for partner in self:
            partner.kam_is_account = partner in accounts

    def _search_kam_is_account(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(
                self.env._("Search accounts with = or != and a boolean.")
            )
        domain = self._kam_account_domain(self.env.company, in_sql=True)
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]
