from collections import defaultdict

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, is_html_empty, sql
from odoo.tools.i18n import format_list

from odoo.addons.kam_management.jobs import try_job_lock
from odoo.addons.kam_management.models.res_partner import RELATIONSHIP_TYPES

from .. import logic

OPEN_STATES = ("draft", "active", "review")
# The database's guarantee of one open plan per account, company and period: two
# transactions that each see no overlap (each one's Python check passes) cannot both
# commit. Deferred, so that within one transaction the Python check speaks first, with
# the plan in the way; create() and write() then check it at once. LEAST/GREATEST keep
# a plan typed with its dates reversed from failing on the range: _check_dates refuses
# it with a clear message. Created in init(), before any data file creates a plan.
OPEN_PLAN_CONSTRAINT = "kam_account_plan_one_open_plan_per_period"
OPEN_PLAN_EXCLUSION = (
    "EXCLUDE USING gist (partner_id WITH =, company_id WITH =, "
    "daterange(LEAST(date_start, date_end), GREATEST(date_start, date_end), '[]') "
    "WITH &&) WHERE (state IN ({states})) DEFERRABLE INITIALLY DEFERRED"
).format(states=", ".join(f"'{state}'" for state in OPEN_STATES))
# Changing one of these on a plan is planning the account for a period.
PLANNING_FIELDS = ("partner_id", "company_id", "date_start", "date_end")
PERIOD_FIELDS = (*PLANNING_FIELDS, "state")
# Whoever runs the review job holds this lock until their transaction ends.
REVIEW_CRON_LOCK = "kam_account_plan.review_cron"
REVIEW_CADENCES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semiannual", "Every six months"),
    ("annual", "Yearly"),
]
# Child lines whose dates move with the plan when it is copied to the next period.
DATED_LINES = {
    "revenue_line_ids": ("period_date",),
    "product_line_ids": ("date_expected",),
    "issue_ids": ("date_start", "date_deadline"),
    "action_ids": ("date_deadline",),
}
FEEDBACK_SILENCE_PARAM = "kam_account_plan.feedback_silence_days"
REVIEW_CRON_BATCH = 200


class KamAccountPlan(models.Model):
    _name = "kam.account.plan"
    _description = "Key Account Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.system.fields.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # -- identification
    name = fields.Char("Title", required=True, tracking=True)
    code = fields.Char(
        "Reference", readonly=True, copy=False, default="/", index="trigram"
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Key Account",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    team_user_ids = fields.Many2many(
        "res.users",
        "kam_account_plan_team_rel",
        "plan_id",
        "user_id",
        string="Account Team",
        check_company=True,
        domain="[('share', '=', False)]",
        help="The people of our company who work the account with the owner.",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        "Reviewer",
        tracking=True,
        default=lambda self: self._default_reviewer(),
        check_company=True,
        domain="[('share', '=', False)]",
        help="The manager who reviews the plan and gets the review activities.",
    )
    date_start = fields.Date("Start", required=True, tracking=True)
    date_end = fields.Date("End", required=True, tracking=True)
    state = fields.Selection(
        string="Status",
        selection=[
            ("draft", "Draft"),
            ("active", "Active"),
            ("review", "Under Review"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand=True,
    )
    previous_plan_id = fields.Many2one(
        "kam.account.plan", "Previous Plan", copy=False, readonly=True, index=True
    )
    color = fields.Integer("Color Index")

    # -- sections (Bacon, "Selling to Major Accounts")
    executive_summary = fields.Html(help="Purpose and direction of the plan.")
    customer_overview = fields.Html(help="The customer's profile.")
    competitor_comparison = fields.Html(help="The main competitors and how we compare.")
    strategy_overview = fields.Html(help="Overall strategy and goals for the account.")
    tactics_overview = fields.Html(help="The plans in execution.")
    situation_overview = fields.Html()
    customer_goals = fields.Html()
    customer_business_value = fields.Html(
        help="The value we bring to the customer's business."
    )
    resource_decisions = fields.Html(help="Who and what we commit to the account.")
    swot_strengths = fields.Text("Strengths")
    swot_weaknesses = fields.Text("Weaknesses")
    swot_opportunities = fields.Text("Opportunities")
    swot_threats = fields.Text("Threats")
    relationship_type = fields.Selection(
        RELATIONSHIP_TYPES,
        tracking=True,
        help="Potential, developing, good or strong current, limited current share, "
        "defensive or "
        "shrinking, declining ('sunset': do we keep serving them?).",
    )
    last_feedback_date = fields.Date(
        "Last Complaint or Feedback",
        tracking=True,
        help="No complaints for a long time means the relationship is going downhill.",
    )

    # -- lines
    revenue_line_ids = fields.One2many(
        "kam.account.plan.revenue.line", "plan_id", "Revenue Forecast", copy=True
    )
    product_line_ids = fields.One2many(
        "kam.account.plan.product.line",
        "plan_id",
        "Product/Service Forecast",
        copy=True,
    )
    issue_ids = fields.One2many(
        "kam.account.plan.issue", "plan_id", "Key Strategic Issues", copy=True
    )
    competitor_ids = fields.One2many(
        "kam.account.plan.competitor", "plan_id", "Competitors", copy=True
    )
    stakeholder_ids = fields.One2many(
        "kam.account.plan.stakeholder", "plan_id", "Stakeholders", copy=True
    )
    action_ids = fields.One2many(
        "kam.account.plan.action", "plan_id", "Action Plan", copy=False
    )
    evaluation_ids = fields.One2many(
        "kam.account.plan.evaluation", "plan_id", "Partnership Evaluation", copy=True
    )
    whitespace_ids = fields.One2many(
        "kam.account.plan.whitespace", "plan_id", "Whitespace", copy=True
    )
    investment_ids = fields.One2many(
        "kam.account.plan.investment", "plan_id", "Investment", copy=True
    )

    # -- totals: the plan's figures, each shown once (form and printed plan)
    forecast_total = fields.Monetary(
        "Plan",
        compute="_compute_forecast_totals",
        store=True,
        help="Sum of the revenue forecast amounts, unweighted: the revenue the plan "
        "aims at in its period. Gap to plan and coverage are measured against it.",
    )
    forecast_weighted = fields.Monetary(
        "Weighted Forecast",
        compute="_compute_forecast_totals",
        store=True,
        help="Sum of the revenue forecast amounts times their probability: the "
        "revenue the plan expects. Achieved (%) is measured against it.",
    )
    achievement_percent = fields.Float(
        "Achieved (%)",
        compute="_compute_achievement_percent",
        digits=(16, 1),
        help="Actual to date as a percentage of the weighted forecast.",
    )
    # Plan against pipeline and actuals. Stored so that managers can rank the plans.
    # The pipeline and actuals move with opportunities and invoices, which no
    # dependency can follow: they are recomputed with the plan's own fields and its
    # forecast, and for all open plans by the daily cron and the Refresh button
    # (_refresh_plan_figures). One compute method for all five fields: the revenue
    # query flushes everything, which would compute a separate gap field from the old
    # pipeline.
    pipeline_weighted = fields.Monetary(
        "Weighted Pipeline",
        compute="_compute_plan_figures",
        store=True,
        copy=False,
        help="Open opportunities of the account expected to close in the plan period "
        "(or without an expected closing), expected revenue times probability.",
    )
    actual_to_date = fields.Monetary(
        "Actual to Date",
        compute="_compute_plan_figures",
        store=True,
        copy=False,
        help="The account's revenue from the plan start to today (or the plan end), "
        "from the revenue source configured in Key Account Management. A closed plan "
        "keeps the figure it closed with.",
    )
    gap_to_plan = fields.Monetary(
        "Gap to Plan",
        compute="_compute_plan_figures",
        store=True,
        help="Plan minus actual to date minus weighted pipeline: the part of the plan "
        "that is neither won nor in the pipeline (negative when they exceed it).",
    )
    plan_coverage = fields.Float(
        "Coverage (%)",
        compute="_compute_plan_figures",
        store=True,
        digits=(16, 1),
        help="Actual to date plus weighted pipeline, as a percentage of the plan.",
    )
    figures_date = fields.Date(
        "Pipeline and Actuals Refreshed On",
        compute="_compute_plan_figures",
        store=True,
        copy=False,
        help="Actual to date and the weighted pipeline follow the deals and invoices "
        "daily and with the Refresh button.",
    )
    product_forecast_total = fields.Monetary(
        "Product/Service Forecast Total",
        compute="_compute_product_forecast_total",
        store=True,
    )
    investment_total = fields.Monetary(
        "Investment Cost", compute="_compute_investment_totals", store=True
    )
    investment_hours = fields.Float(compute="_compute_investment_totals", store=True)
    partnership_score = fields.Float(
        compute="_compute_partnership_score",
        store=True,
        digits=(16, 1),
        help="Weighted score of the partnership evaluation, from 0 to 100.",
    )
    whitespace_potential = fields.Monetary(
        "Open Whitespace Potential",
        compute="_compute_whitespace",
        help="Potential of the cells the customer buys from competitors or not at all.",
    )
    whitespace_matrix_html = fields.Html(
        "Whitespace Matrix", compute="_compute_whitespace", sanitize=False
    )
    action_count = fields.Integer("Actions", compute="_compute_action_count")
    action_overdue_count = fields.Integer(
        "Overdue Actions", compute="_compute_action_count"
    )

    # -- risk signals
    risk_stakeholder_change = fields.Boolean(
        "Key Stakeholder Left or Changed Role", compute="_compute_risks"
    )
    risk_revenue_decline = fields.Boolean("Revenue Decline", compute="_compute_risks")
    risk_contact_overdue = fields.Boolean(
        "No Contact Within Cadence", compute="_compute_risks"
    )
    risk_no_feedback = fields.Boolean(
        "No Complaint or Feedback for Long", compute="_compute_risks"
    )
    risk_count = fields.Integer("Risk Signals", compute="_compute_risks")
    is_at_risk = fields.Boolean(
        "At Risk", compute="_compute_risks", search="_search_is_at_risk"
    )
    risk_summary = fields.Char(
        compute="_compute_risk_summary",
        help="The risk signals of the plan in one sentence, as its banner shows them.",
    )

    # -- review cadence
    review_cadence = fields.Selection(
        REVIEW_CADENCES, default="quarterly", required=True, tracking=True
    )
    last_review_date = fields.Date(
        "Last Review", tracking=True, copy=False, readonly=True
    )
    last_reviewer_id = fields.Many2one(
        "res.users", "Last Reviewed By", copy=False, readonly=True
    )
    next_review_date = fields.Date(
        "Next Review", compute="_compute_next_review_date", store=True, index=True
    )

    # -- defaults
    @api.model
    def _default_reviewer(self):
        """The leader of the user's sales team, else the user."""
        team = self.env.user.sale_team_id
        return team.user_id or self.env.user

    @api.model
    def _default_evaluation_commands(self):
        criteria = self.env["kam.partnership.criterion"].search([])
        return [
            Command.create(
                {
                    "criterion_id": c.id,
                    "name": c.name,
                    "weight": c.weight,
                    "sequence": c.sequence,
                }
            )
            for c in criteria
        ]

    @api.model_create_multi
    def create(self, vals_list):
        partner_model = self.env["res.partner"]
        evaluation_commands = None
        for vals in vals_list:
            partner = partner_model.browse(vals.get("partner_id"))
            if not vals.get("name") and partner:
                vals["name"] = self.env._(
                    "%(account)s account plan",
                    account=partner.commercial_partner_id.name,
                )
            if "evaluation_ids" not in vals:
                if evaluation_commands is None:
                    evaluation_commands = self._default_evaluation_commands()
                vals["evaluation_ids"] = [
                    Command.create(dict(command[2])) for command in evaluation_commands
                ]
            if "relationship_type" not in vals:
                vals["relationship_type"] = (
                    partner.commercial_partner_id.kam_relationship_type or False
                )
        plans = super().create(vals_list)
        plans._set_code()
        plans._check_planning_right()
        plans._check_open_plans_in_database()
        return plans

    def _set_code(self):
        """The reference of new plans, from their sequence: the system's to give."""
        sequence = self.env["ir.sequence"]
        for plan in self.filtered(lambda p: p.code == "/"):
            plan.sudo().code = sequence.next_by_code("kam.account.plan") or "/"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(plan.state in ("active", "review") for plan in self):
            raise UserError(
                self.env._(
                    "An active plan or a plan under review cannot be deleted: close it "
                    "first."
                )
            )

    def write(self, vals):
        res = super().write(vals)
        if set(PLANNING_FIELDS) & vals.keys():
            self._check_planning_right()
        if set(PERIOD_FIELDS) & vals.keys():
            self._check_open_plans_in_database()
        if "state" in vals:
            self.action_ids._sync_activities()
        return res

    def init(self):
        res = super().init()
        cr = self.env.cr
        # gist compares the account and company ids with btree_gist's operators.
        cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS btree_gist"))
        current = sql.constraint_definition(cr, self._table, OPEN_PLAN_CONSTRAINT)
        if current != OPEN_PLAN_EXCLUSION:
            if current:
                sql.drop_constraint(cr, self._table, OPEN_PLAN_CONSTRAINT)
            # Fails the install or upgrade if open plans overlap: the migration of
            # 18.0.1.1.0 closes the older ones first.
            sql.add_constraint(
                cr, self._table, OPEN_PLAN_CONSTRAINT, OPEN_PLAN_EXCLUSION
            )
        return res

    # -- constraints
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for plan in self:
            if plan.date_start and plan.date_end and plan.date_end < plan.date_start:
                raise ValidationError(
                    self.env._(
                        "The account plan %(plan)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        plan=plan.display_name,
                        start=plan.date_start,
                        end=plan.date_end,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_forecast_in_period(self):
        self.revenue_line_ids._check_period_in_plan()

    @api.constrains("partner_id", "company_id", "date_start", "date_end", "state")
    def _check_one_open_plan_per_period(self):
        """One plan that is not closed per account, company and period (no overlap)."""
        open_plans = self.filtered(
            lambda p: p.state in OPEN_STATES and p.date_start and p.date_end
        )
        if not open_plans:
            return
        candidates = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id", "in", open_plans.partner_id.ids),
                    ("company_id", "in", open_plans.company_id.ids),
                    ("state", "in", OPEN_STATES),
                ]
            )
        )
        for plan in open_plans:
            for other in candidates:
                if (
                    other.id != plan.id
                    and other.partner_id == plan.partner_id
                    and other.company_id == plan.company_id
                    and logic.periods_overlap(
                        plan.date_start, plan.date_end, other.date_start, other.date_end
                    )
                ):
                    raise ValidationError(
                        self.env._(
                            "%(account)s already has an open account plan for this "
                            "period: %(other)s (%(start)s to %(end)s). Close it or "
                            "choose another period.",
                            account=plan.partner_id.display_name,
                            other=other.display_name,
                            start=other.date_start,
                            end=other.date_end,
                        )
                    )

    def _check_open_plans_in_database(self):
        """Check the exclusion constraint now rather than on commit: a plan saved
        meanwhile by another transaction, which the Python check above cannot see,
        makes this one fail here with a clear message."""
        if not self:
            return
        self.flush_model(PERIOD_FIELDS)
        # Built before the check: a failed statement aborts the transaction, no
        # query (not even for a translation) runs after it.
        message = self.env._(
            "%(account)s already has an open account plan for this period, saved "
            "meanwhile by someone else. Close it or choose another period.",
            account=", ".join(self.partner_id.mapped("display_name")),
        )
        cr = self.env.cr
        constraint = SQL.identifier(OPEN_PLAN_CONSTRAINT)
        try:
            cr.execute(
                SQL("SET CONSTRAINTS %s IMMEDIATE", constraint), log_exceptions=False
            )
        except psycopg2.errors.ExclusionViolation as error:
            raise ValidationError(message) from error
        cr.execute(SQL("SET CONSTRAINTS %s DEFERRED", constraint))

    def _check_planning_right(self):
        """Only the account's key account manager, a member of the team of one of
        its open plans, or a director plans the account for a period: a rep's plan on
        somebody else's account would block its manager from planning that period."""
        if self.env.su or self.env.user.has_group("kam_management.group_kam_manager"):
            return
        user = self.env.user
        for plan in self:
            if not plan._may_plan_account(user):
                raise AccessError(
                    self.env._(
                        "Only the key account manager of %(account)s, its account "
                        "team or a KAM director can plan this account.",
                        account=plan.partner_id.commercial_partner_id.display_name,
                    )
                )

    def _may_plan_account(self, user):
        """Whether ``user`` manages the plan's account or is in the team of one of
        the account's other open plans in the plan's company."""
        self.ensure_one()
        account = self.partner_id.commercial_partner_id.sudo().with_company(
            self.company_id or self.env.company
        )
        if account.kam_manager_id == user:
            return True
        return bool(
            self.sudo().search_count(
                [
                    ("id", "!=", self.id),
                    ("partner_id", "=", account.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", OPEN_STATES),
                    ("team_user_ids", "in", user.id),
                ],
                limit=1,
            )
        )

    @api.constrains("partner_id")
    def _check_partner_is_commercial(self):
        for plan in self:
            if (
                plan.partner_id
                and plan.partner_id != plan.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "An account plan is made for the customer company "
                        "(%(company)s), not for "
                        "one of its contacts (%(contact)s).",
                        company=plan.partner_id.commercial_partner_id.display_name,
                        contact=plan.partner_id.display_name,
                    )
                )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = (
                f"[{plan.code}] {plan.name}"
                if plan.code and plan.code != "/"
                else plan.name
            )

    # -- computes
    @api.depends("revenue_line_ids.amount", "revenue_line_ids.probability")
    def _compute_forecast_totals(self):
        for plan in self:
            totals = logic.forecast_totals(
                [
                    {
                        # Clamped: an invalid probability typed in the form must not
                        # break the onchange; the line's constraint refuses it on save.
                        "amount": line.amount,
                        "probability": min(max(line.probability, 0.0), 100.0),
                    }
                    for line in plan.revenue_line_ids
                ]
            )
            plan.forecast_total = totals["total"]
            plan.forecast_weighted = totals["weighted"]

    def _get_pipeline_weighted(self):
        """``{plan id: weighted pipeline}`` for all plans of ``self`` in one query.

        The pipeline of a plan: open opportunities (active, not won) of its account's
        commercial entity, in its company (or without a company), expected to close
        within the plan period or without an expected closing date. Each weighs its
        expected revenue times the deal's probability: with KAM Pipeline Stages, a
        deal of a KAM stage has its category's, which its owner cannot change.
        """
        result = dict.fromkeys(self.ids, 0.0)
        plans = self.filtered("id")
        if not plans:
            return result
        self.env.flush_all()
        # The plans' accounts and the accounts' open opportunities are gathered
        # apart (materialized) and then hash-joined: joining the plans straight to the
        # leads on the company lets the planner, on stale statistics, build the product
        # of both (seconds instead of milliseconds for a thousand plans).
        self.env.cr.execute(
            SQL(
                """
                WITH plan_account AS MATERIALIZED (
                    SELECT plan.id AS plan_id,
                           account.commercial_partner_id AS account_id,
                           plan.company_id, plan.date_start, plan.date_end
                      FROM kam_account_plan plan
                      JOIN res_partner account ON account.id = plan.partner_id
                     WHERE plan.id = ANY(%(ids)s)
                ), opportunity AS MATERIALIZED (
                    SELECT customer.commercial_partner_id AS account_id,
                           lead.company_id, lead.expected_revenue, lead.probability,
                           lead.date_deadline
                      FROM crm_lead lead
                      JOIN res_partner customer ON customer.id = lead.partner_id
                 LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                     WHERE lead.active
                       AND lead.type = 'opportunity'
                       AND NOT COALESCE(stage.is_won, FALSE)
                       AND customer.commercial_partner_id IN (
                           SELECT account_id FROM plan_account
                       )
                )
                SELECT pa.plan_id, o.expected_revenue, o.probability
                  FROM plan_account pa
                  JOIN opportunity o
                       ON o.account_id = pa.account_id
                      AND (o.company_id = pa.company_id OR o.company_id IS NULL)
                 WHERE o.date_deadline IS NULL
                    OR o.date_deadline BETWEEN pa.date_start AND pa.date_end
                """,
                ids=plans.ids,
            )
        )
        rows = defaultdict(list)
        for plan_id, amount, probability in self.env.cr.fetchall():
            rows[plan_id].append((amount, probability))
        for plan_id, opportunities in rows.items():
            result[plan_id] = logic.pipeline_weighted(opportunities)
        return result

    def _get_actual_to_date(self):
        """``{plan id: revenue of its account from the plan start to today or the plan
        end}``, in the plan's company: one ``_kam_revenue_by_partner`` call per company
        (its revenue source) and period, whatever the number of plans."""
        today = fields.Date.context_today(self)
        result = dict.fromkeys(self.ids, 0.0)
        groups = defaultdict(lambda: self.browse())
        for plan in self.filtered(lambda p: p.id and p.partner_id):
            period = logic.actual_period(plan.date_start, plan.date_end, today)
            if period:
                groups[(plan.company_id, *period)] |= plan
        revenues = self.env["kam.revenue"]
        for (company, date_from, date_to), plans in groups.items():
            revenue = revenues._kam_revenue_by_partner(
                company,
                date_from,
                date_to,
                partner_ids=plans.partner_id.commercial_partner_id.ids,
            )
            for plan in plans:
                result[plan.id] = revenue.get(
                    plan.partner_id.commercial_partner_id.id, 0.0
                )
        return result

    @api.depends(
        "partner_id", "company_id", "date_start", "date_end", "state", "forecast_total"
    )
    def _compute_plan_figures(self):
        """Weighted pipeline, actual to date, gap and coverage, set-based: one pipeline
        query for all the plans, one revenue call per company and period.

        Closed plans keep the pipeline and actuals they closed with, unsaved plans get
        theirs on saving; their gap still follows the forecast.
        """
        plans = self.filtered(lambda plan: plan.id and plan.state != "closed")
        pipeline = plans._get_pipeline_weighted()
        actuals = plans._get_actual_to_date()
        today = fields.Date.context_today(self)
        open_ids = set(plans.ids)
        for plan in self:
            if plan.id in open_ids:
                plan.pipeline_weighted = pipeline.get(plan.id, 0.0)
                plan.actual_to_date = actuals.get(plan.id, 0.0)
                plan.figures_date = today
            else:
                origin = plan._origin
                plan.pipeline_weighted = origin.pipeline_weighted
                plan.actual_to_date = origin.actual_to_date
                plan.figures_date = origin.figures_date
            plan.gap_to_plan = logic.gap_to_plan(
                plan.forecast_total, plan.actual_to_date, plan.pipeline_weighted
            )
            plan.plan_coverage = (
                logic.coverage_percent(
                    plan.forecast_total, plan.actual_to_date, plan.pipeline_weighted
                )
                or 0.0
            )

    def _refresh_plan_figures(self):
        """Recompute the stored figures of the open plans now, in one batch (the ORM
        writes them back in one statement)."""
        plans = self.filtered(lambda plan: plan.id and plan.state != "closed")
        if not plans:
            return
        self.env.add_to_compute(self._fields["pipeline_weighted"], plans)
        plans._recompute_recordset(["pipeline_weighted"])

    @api.depends("actual_to_date", "forecast_weighted")
    def _compute_achievement_percent(self):
        for plan in self:
            plan.achievement_percent = (
                logic.achievement_percent(plan.actual_to_date, plan.forecast_weighted)
                or 0.0
            )

    @api.depends("product_line_ids.expected_amount")
    def _compute_product_forecast_total(self):
        for plan in self:
            plan.product_forecast_total = sum(
                plan.product_line_ids.mapped("expected_amount")
            )

    @api.depends("investment_ids.amount", "investment_ids.hours")
    def _compute_investment_totals(self):
        for plan in self:
            plan.investment_total = sum(plan.investment_ids.mapped("amount"))
            plan.investment_hours = sum(plan.investment_ids.mapped("hours"))

    @api.depends("evaluation_ids.weight", "evaluation_ids.score")
    def _compute_partnership_score(self):
        for plan in self:
            score = logic.scorecard_score(
                [
                    (line.weight, int(line.score) if line.score else None)
                    for line in plan.evaluation_ids
                    # A negative weight is refused on save by the line's constraint;
                    # skipped here so that the onchange does not break.
                    if line.weight >= 0
                ]
            )
            plan.partnership_score = score or 0.0

    def _get_whitespace_matrix(self):
        """The whitespace matrix for QWeb: units, categories and each cell's status."""
        self.ensure_one()
        lines = self.whitespace_ids
        units, categories, grid = logic.whitespace_matrix(
            [
                # The category's own name: "Pumps", not "All / Pumps".
                (line.unit_name, line.product_categ_id.name, line.status)
                for line in lines
            ]
        )
        labels = dict(
            self.env["kam.account.plan.whitespace"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        return {
            "units": units,
            "categories": categories,
            "grid": grid,
            "labels": labels,
        }

    @api.depends(
        "whitespace_ids.unit_name",
        "whitespace_ids.product_categ_id",
        "whitespace_ids.status",
        "whitespace_ids.potential_amount",
    )
    def _compute_whitespace(self):
        qweb = self.env["ir.qweb"]
        for plan in self:
            plan.whitespace_potential = logic.whitespace_potential(
                [(line.status, line.potential_amount) for line in plan.whitespace_ids]
            )
            if plan.whitespace_ids:
                plan.whitespace_matrix_html = qweb._render(
                    "kam_account_plan.whitespace_matrix",
                    {"matrix": plan._get_whitespace_matrix()},
                )
            else:
                plan.whitespace_matrix_html = False

    @api.depends(
        "action_ids.date_done", "action_ids.activity_id", "action_ids.is_cancelled"
    )
    def _compute_action_count(self):
        for plan in self:
            plan.action_count = len(plan.action_ids)
            plan.action_overdue_count = len(
                plan.action_ids.filtered(lambda a: a.status == "overdue")
            )

    @api.depends("review_cadence", "date_start", "last_review_date")
    def _compute_next_review_date(self):
        for plan in self:
            plan.next_review_date = logic.next_review_date(
                plan.review_cadence, plan.date_start, plan.last_review_date
            )

    def _get_risk_signals(self):
        """``{plan id: [risk codes]}`` computed by ``logic.risk_signals``."""
        today = fields.Date.context_today(self)
        silence = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(FEEDBACK_SILENCE_PARAM, 180)
            or 0
        )
        result = {}
        for plan in self:
            # The account's figures in the plan's company.
            partner = plan.partner_id.commercial_partner_id.with_company(
                plan.company_id or self.env.company
            )
            key_stakeholders = plan.stakeholder_ids.filtered("is_key")
            # kam_management owns the revenue trend and the contact cadence: the
            # account's flags are the reference.
            result[plan.id] = logic.risk_signals(
                key_stakeholder_statuses=key_stakeholders.mapped("status"),
                revenue_declining=partner.kam_revenue_declining,
                contact_overdue=partner.kam_is_overdue,
                last_feedback_date=plan.last_feedback_date,
                feedback_silence_days=silence,
                plan_start=plan.date_start,
                today=today,
            )
        return result

    @api.depends(
        "stakeholder_ids.is_key",
        "stakeholder_ids.status",
        "stakeholder_ids.last_contact_date",
        "last_feedback_date",
        "date_start",
        "partner_id",
    )
    def _compute_risks(self):
        signals = self._get_risk_signals()
        for plan in self:
            codes = signals.get(plan.id, [])
            plan.risk_stakeholder_change = logic.RISK_STAKEHOLDER_CHANGE in codes
            plan.risk_revenue_decline = logic.RISK_REVENUE_DECLINE in codes
            plan.risk_contact_overdue = logic.RISK_CONTACT_OVERDUE in codes
            plan.risk_no_feedback = logic.RISK_NO_FEEDBACK in codes
            plan.risk_count = len(codes)
            plan.is_at_risk = bool(codes)

    @api.depends(
        "risk_stakeholder_change",
        "risk_revenue_decline",
        "risk_contact_overdue",
        "risk_no_feedback",
    )
    @api.depends_context("lang")
    def _compute_risk_summary(self):
        # A list in the user's language ("a, b and c", "a、b和c"): no separator left
        # dangling after the last signal, whichever signals are on.
        phrases = self._risk_phrases()
        for plan in self:
            signals = [phrases[name] for name in plan._risk_field_names() if plan[name]]
            plan.risk_summary = format_list(self.env, signals) if signals else False

    @api.model
    def _risk_phrases(self):
        """``{risk field: phrase}``: each signal as the banner words it."""
        return {
            "risk_stakeholder_change": self.env._(
                "a key stakeholder left or changed role"
            ),
            "risk_revenue_decline": self.env._("revenue is declining"),
            "risk_contact_overdue": self.env._("no contact within the cadence"),
            "risk_no_feedback": self.env._("no complaint nor feedback for a long time"),
        }

    def _search_is_at_risk(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        plans = self.search([("state", "in", ("active", "review"))])
        at_risk = [
            plan_id for plan_id, codes in plans._get_risk_signals().items() if codes
        ]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", at_risk)]

    def _get_risk_labels(self):
        self.ensure_one()
        return [
            self._fields[name].get_description(self.env)["string"]
            for name in self._risk_field_names()
            if self[name]
        ]

    @api.model
    def _report_section_names(self):
        return [
            "executive_summary",
            "customer_overview",
            "competitor_comparison",
            "strategy_overview",
            "tactics_overview",
            "situation_overview",
            "customer_goals",
            "customer_business_value",
            "resource_decisions",
        ]

    def _report_sections(self):
        """``[(translated title, html)]`` of the narrative sections, for the report."""
        self.ensure_one()
        return [
            (self._fields[name].get_description(self.env)["string"], self[name])
            for name in self._report_section_names()
            if not is_html_empty(self[name])
        ]

    @api.model
    def _risk_field_names(self):
        return [
            "risk_stakeholder_change",
            "risk_revenue_decline",
            "risk_contact_overdue",
            "risk_no_feedback",
        ]

    # -- onchanges
    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id.commercial_partner_id.with_company(
            self.company_id or self.env.company
        )
        if not partner:
            return
        if not self.name:
            self.name = self.env._("%(account)s account plan", account=partner.name)
        if not self.relationship_type:
            self.relationship_type = partner.kam_relationship_type
        if partner.kam_manager_id:
            self.user_id = partner.kam_manager_id

    # -- actions
    def action_activate(self):
        for plan in self:
            if plan.state not in ("draft", "review"):
                raise UserError(
                    self.env._(
                        "Only draft plans or plans under review can be activated."
                    )
                )
        self.write({"state": "active"})
        return True

    def action_start_review(self):
        if any(plan.state != "active" for plan in self):
            raise UserError(self.env._("Only active plans can be put under review."))
        self.write({"state": "review"})
        return True

    def action_mark_reviewed(self):
        """Record the review (the next one is due after the cadence), close its
        activity."""
        if any(plan.state not in ("active", "review") for plan in self):
            raise UserError(
                self.env._("Only active plans or plans under review can be reviewed.")
            )
        self.check_access("write")
        self._record_review()
        self.activity_feedback(
            ["kam_account_plan.mail_activity_type_plan_review"],
            feedback=self.env._("Plan reviewed."),
        )
        return True

    def _record_review(self):
        """The review is done, by the current user, today: the next one is due after
        the cadence, a plan under review is active again. Only for active plans and
        plans under review. The caller checked the user's right to record it."""
        plans = self.filtered(lambda plan: plan.state in ("active", "review"))
        if plans:
            plans.sudo().write(
                {
                    "state": "active",
                    "last_review_date": fields.Date.context_today(self),
                    "last_reviewer_id": self.env.uid,
                }
            )

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reset_to_draft(self):
        if any(plan.state != "closed" for plan in self):
            raise UserError(self.env._("Only closed plans can be reset to draft."))
        self.write({"state": "draft"})
        # The actions the closing cancelled are open again (activities come back on
        # activation); the ones cancelled on purpose stay cancelled.
        self.action_ids.filtered("cancelled_by_close").sudo().write(
            {"is_cancelled": False, "cancelled_by_close": False, "activity_id": False}
        )
        return True

    def _shift_line_commands(self, commands, field_names, months, days):
        """Move the dates of the lines to create: by ``months`` months for a
        month-aligned period (a day stays in its month), else by ``days`` days."""
        for command in commands:
            if command[0] == Command.CREATE:
                values = command[2]
                for field_name in field_names:
                    if values.get(field_name):
                        values[field_name] = logic.shift_date(
                            fields.Date.to_date(values[field_name]), months, days
                        )
        return commands

    def _prepare_next_period_values(self):
        self.ensure_one()
        date_start, date_end = logic.next_period(self.date_start, self.date_end)
        months = logic.whole_months(self.date_start, self.date_end)
        days = (date_start - self.date_start).days
        values = self.copy_data(
            {
                "date_start": date_start,
                "date_end": date_end,
                "name": self.name,
                "last_feedback_date": self.last_feedback_date,
            }
        )[0]
        for field_name, date_fields in DATED_LINES.items():
            if values.get(field_name):
                self._shift_line_commands(values[field_name], date_fields, months, days)
        # Stakeholders who left stay behind; the others start the new period with their
        # current job position (function_at_plan is computed on creation).
        values["stakeholder_ids"] = [
            Command.create(
                {
                    "partner_id": stakeholder.partner_id.id,
                    "role": stakeholder.role,
                    "attitude": stakeholder.attitude,
                    "access_level": stakeholder.access_level,
                    "is_key": stakeholder.is_key,
                    "last_contact_date": stakeholder.last_contact_date,
                    "note": stakeholder.note,
                    "sequence": stakeholder.sequence,
                }
            )
            for stakeholder in self.stakeholder_ids
            if stakeholder.status != logic.STAKEHOLDER_LEFT
        ]
        # Open actions are carried over, done or cancelled ones stay with the old plan.
        values["action_ids"] = [
            Command.create(
                {
                    "name": action.name,
                    "description": action.description,
                    "user_id": action.user_id.id,
                    "activity_type_id": action.activity_type_id.id,
                    "date_deadline": max(
                        logic.shift_date(action.date_deadline, months, days),
                        date_start,
                    ),
                    "sequence": action.sequence,
                }
            )
            for action in self.action_ids
            if action.status not in ("done", "cancelled")
        ]
        return values

    def action_copy_to_next_period(self):
        """Copy the plan into a new draft plan for the following period."""
        self.ensure_one()
        new_plan = self.create(self._prepare_next_period_values())
        # The link to the previous plan is the system's: set once the user created
        # the new plan with their own rights.
        new_plan.sudo().previous_plan_id = self
        self._copy_whitespace_competitors(new_plan)
        self.message_post(
            body=self.env._(
                "Copied to the next period as %(plan)s.", plan=new_plan.display_name
            ),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new_plan.id,
            "view_mode": "form",
            "target": "current",
        }

    def copy(self, default=None):
        new_plans = super().copy(default=default)
        for plan, new_plan in zip(self, new_plans, strict=True):
            plan._copy_whitespace_competitors(new_plan)
        return new_plans

    def _copy_whitespace_competitors(self, new_plan):
        """Point the whitespace cells of ``new_plan`` (a copy of this plan) to the
        copy's competitors: the line of the same competitor company, else of the same
        name, else at the same position."""
        self.ensure_one()
        cells = self.whitespace_ids.filtered("competitor_id")
        if not cells or not new_plan.competitor_ids:
            return
        new_competitors = new_plan.competitor_ids
        by_partner = {}
        by_name = {}
        for competitor in new_competitors:
            if competitor.competitor_partner_id:
                by_partner.setdefault(competitor.competitor_partner_id, competitor)
            by_name.setdefault(competitor.name, competitor)
        old_competitors = list(self.competitor_ids)
        new_cells = {
            (cell.unit_name, cell.product_categ_id): cell
            for cell in new_plan.whitespace_ids
        }
        for cell in cells:
            new_cell = new_cells.get((cell.unit_name, cell.product_categ_id))
            if not new_cell or new_cell.competitor_id:
                continue
            old = cell.competitor_id
            target = (
                old.competitor_partner_id and by_partner.get(old.competitor_partner_id)
            ) or by_name.get(old.name)
            if not target and old in old_competitors:
                position = old_competitors.index(old)
                if position < len(new_competitors):
                    target = new_competitors[position]
            if target:
                new_cell.competitor_id = target

    def action_refresh_figures(self):
        """Refresh the weighted pipeline and the actual to date now."""
        self._refresh_plan_figures()
        return True

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_account_plan.action_kam_account_plan_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    # -- review cron
    @api.model
    def _review_activity_type(self):
        return self.env.ref(
            "kam_account_plan.mail_activity_type_plan_review", raise_if_not_found=False
        )

    @api.model
    def _plans_needing_review_activity(self):
        """Plans whose review is due and that have no open review activity yet."""
        today = fields.Date.context_today(self)
        activity_type = self._review_activity_type()
        due = self.search(
            [("state", "in", ("active", "review")), ("next_review_date", "<=", today)]
        )
        if not due or not activity_type:
            return due
        open_activities = self.env["mail.activity"].search_fetch(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", due.ids),
                ("activity_type_id", "=", activity_type.id),
            ],
            ["res_id"],
        )
        reviewed = set(open_activities.mapped("res_id"))
        return due.filtered(lambda plan: plan.id not in reviewed)

    @api.model
    def _plans_with_stale_figures(self):
        """Open plans whose pipeline and actuals were not refreshed today."""
        today = fields.Date.context_today(self)
        return self.search(
            [
                ("state", "!=", "closed"),
                "|",
                ("figures_date", "=", False),
                ("figures_date", "!=", today),
            ],
            order="figures_date asc nulls first, id",
        )

    @api.model
    @api.model
    def _cron_schedule_reviews(self, batch_size=REVIEW_CRON_BATCH):
        """Raise a review activity for the reviewer of every plan whose review is due.

        Idempotent: a plan that already has an open review activity gets no second one.
        Exclusive: a second run while one is under way (another worker, "Run
        manually" while the scheduler runs it) does nothing.
        """
        if not try_job_lock(self.env.cr, REVIEW_CRON_LOCK):
            return
        # The daily cron also keeps the stored pipeline and actuals current, so that
        # the ranking by gap is at most a day old.
        stale = self._plans_with_stale_figures()
        refreshed = stale[:batch_size]
        refreshed._refresh_plan_figures()
        activity_type = self._review_activity_type()
        if not activity_type:
            self.env["ir.cron"]._notify_progress(
                done=len(refreshed), remaining=len(stale) - len(refreshed)
            )
            return
        todo = self._plans_needing_review_activity()
        batch = todo[:batch_size]
        # One create for the whole batch (activity_schedule() creates one by one).
        model_id = self.env["ir.model"]._get_id(self._name)
        summary = self.env._("Review the account plan")
        self.env["mail.activity"].create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "automated": True,
                    "date_deadline": plan.next_review_date,
                    "res_model_id": model_id,
                    "res_id": plan.id,
                    "user_id": (plan.reviewer_id or plan.user_id).id,
                }
                for plan in batch
            ]
        )
        self.env["ir.cron"]._notify_progress(
            done=len(batch) + len(refreshed),
            remaining=len(todo) - len(batch) + len(stale) - len(refreshed),
        )
