from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .. import logic

OPEN_STATES = ("draft", "active", "review")


class KamCoverage(models.AbstractModel):
    """The coverage map knows the stakeholder roles of the account plans and their
    account teams (docs/METHOD.md#coverage)."""

    _inherit = "kam.coverage"

    @api.model
    def _kam_coverage_plan_domain(self, accounts):
        return [
            ("partner_id", "in", accounts.ids),
            ("state", "in", OPEN_STATES),
            ("company_id", "=", self.env.company.id),
        ]

    @api.model
    def _kam_coverage_roles(self, accounts):
        roles = super()._kam_coverage_roles(accounts)
        if not accounts:
            return roles
        # One query: the stakeholders with their plan's account (the ORM's query
        # chooses them, the join brings the account).
        stakeholders = self.env["kam.account.plan.stakeholder"].sudo()
        query = stakeholders._search(
            [
                ("plan_id", "any", self._kam_coverage_plan_domain(accounts)),
                ("status", "!=", logic.STAKEHOLDER_LEFT),
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.partner_id, s.partner_id, s.role
                  FROM kam_account_plan_stakeholder s
                  JOIN kam_account_plan p ON p.id = s.plan_id
                 WHERE s.id IN %s
              ORDER BY COALESCE(s.is_key, FALSE) DESC, s.sequence, s.id
                """,
                query.subselect(),
            )
        )
        result = defaultdict(dict, roles)
        for account, contact, role in self.env.cr.fetchall():
            result[account].setdefault(contact, role)
        return dict(result)

    @api.model
    def _kam_coverage_role_labels(self):
        labels = super()._kam_coverage_role_labels()
        stakeholders = self.env["kam.account.plan.stakeholder"]
        return dict(
            labels,
            **dict(stakeholders._fields["role"]._description_selection(self.env)),
        )

    @api.model
    def _kam_coverage_team(self, accounts, values=None):
        team = super()._kam_coverage_team(accounts, values=values)
        if not accounts:
            return team
        # One query: each open plan's account, owner and account team (archived
        # users too, as the interactions' users are read).
        plans = self.env["kam.account.plan"].sudo()
        query = plans._search(self._kam_coverage_plan_domain(accounts))
        field = plans._fields["team_user_ids"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.partner_id, p.user_id,
                       ARRAY(SELECT r.%(user)s FROM %(rel)s r
                              WHERE r.%(plan)s = p.id)
                  FROM kam_account_plan p
                 WHERE p.id IN %(plans)s
                """,
                user=SQL.identifier(field.column2),
                rel=SQL.identifier(field.relation),
                plan=SQL.identifier(field.column1),
                plans=query.subselect(),
            )
        )
        for account, owner, members in self.env.cr.fetchall():
            users = team.setdefault(account, set())
            users |= {uid for uid in [owner, *members] if uid}
        return team


class KamAccountPlan(models.Model):
    _inherit = "kam.account.plan"

    coverage_class = fields.Selection(
        related="partner_id.kam_coverage_class", string="Relationship Coverage"
    )
    coverage_dm_silent = fields.Boolean(
        related="partner_id.kam_coverage_dm_silent",
        string="Decision Maker Without Contact",
    )
    coverage_html = fields.Html(
        "Coverage Map", compute="_compute_coverage_html", sanitize=False
    )
    coverage_summary = fields.Char(compute="_compute_coverage_html")

    @api.depends("partner_id", "company_id", "stakeholder_ids.role")
    @api.depends_context("lang")
    def _compute_coverage_html(self):
        for plan in self:
            account = plan.partner_id.commercial_partner_id.with_company(
                plan.company_id or self.env.company
            )
            plan.coverage_html = account.kam_coverage_html if account else False
            plan.coverage_summary = account.kam_coverage_summary if account else False

    def action_coverage_map(self):
        self.ensure_one()
        return self.partner_id.with_company(
            self.company_id or self.env.company
        ).action_kam_coverage_map()
