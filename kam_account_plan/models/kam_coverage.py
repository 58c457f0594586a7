from collections import defaultdict

from odoo import api, fields, models

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
        stakeholders = (
            self.env["kam.account.plan.stakeholder"]
            .sudo()
            .search_fetch(
                [
                    ("plan_id", "any", self._kam_coverage_plan_domain(accounts)),
                    ("status", "!=", logic.STAKEHOLDER_LEFT),
                ],
                ["plan_id", "partner_id", "role"],
                order="is_key desc, sequence, id",
            )
        )
        result = defaultdict(dict, roles)
        for stakeholder in stakeholders:
            account = stakeholder.plan_id.partner_id.id
            result[account].setdefault(stakeholder.partner_id.id, stakeholder.role)
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
    def _kam_coverage_team(self, accounts):
        team = super()._kam_coverage_team(accounts)
        if not accounts:
            return team
        plans = (
            self.env["kam.account.plan"]
            .sudo()
            .search_fetch(
                self._kam_coverage_plan_domain(accounts),
                ["partner_id", "user_id", "team_user_ids"],
            )
        )
        for plan in plans:
            users = team.setdefault(plan.partner_id.id, set())
            users |= set((plan.user_id | plan.team_user_ids).ids)
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
