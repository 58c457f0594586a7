import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

# The plans that stand for an account today.
CURRENT_STATES = ("active", "review")
# How far ahead a plan review counts as due.
REVIEW_DUE_DAYS = 14


class KamCockpitPanels(models.AbstractModel):
    """The account plans' panels of the director's cockpit: the plan figures of the
    revenue panel, plan coverage of the key accounts, win/loss per competitor."""

    _inherit = "kam.cockpit"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _kam_cockpit_panels(self, scope):
        panels = super()._kam_cockpit_panels(scope)
        panels += [
            self._kam_cockpit_plan_coverage_panel(scope),
            self._kam_cockpit_plan_gap_panel(scope),
            self._kam_cockpit_win_loss_panel(scope),
        ]
        return panels

    @api.model
    def _kam_cockpit_plan_domain(self, scope, extra=None):
        domain = [
            ("state", "in", CURRENT_STATES),
            ("company_id", "in", scope["companies"].ids),
        ]
        if scope["team_id"]:
            domain += [("user_id.sale_team_id", "=", scope["team_id"])]
        if scope["manager_id"]:
            domain += [("user_id", "=", scope["manager_id"])]
        return domain + list(extra or [])

    # -- revenue against the plans
    @api.model
    def _kam_cockpit_revenue_plans(self, scope):
        """The revenue forecast lines of the current plans dated in the period, per
        company, in its currency: one grouped query."""
        lines = self.env["kam.account.plan.revenue.line"]
        domain = [
            ("plan_id", "any", self._kam_cockpit_plan_domain(scope)),
            ("period_date", ">=", fields.Date.to_string(scope["start"])),
            ("period_date", "<=", fields.Date.to_string(scope["today"])),
        ]
        sums = dict(lines._read_group(domain, ["company_id"], ["amount:sum"]))
        name = self.env._("Plan forecast")
        result = {
            company.id: (
                sums.get(company, 0.0),
                self._kam_link(
                    "kam.account.plan.revenue.line",
                    domain + [("company_id", "=", company.id)],
                    name,
                ),
            )
            for company in scope["companies"]
        }
        result["group_link"] = self._kam_link(
            "kam.account.plan.revenue.line", domain, name
        )
        return result

    # -- coverage
    @api.model
    def _kam_cockpit_plan_coverage_panel(self, scope):
        """Per company: the tier A or Key quadrant accounts, those with a current
        plan and those without, the reviews due within two weeks and overdue. One
        query per company and one for the reviews."""
        today = scope["today"]
        due_until = fields.Date.to_string(
            today + datetime.timedelta(days=REVIEW_DUE_DAYS)
        )
        today_s = fields.Date.to_string(today)
        current = [("date_start", "<=", today_s), ("date_end", ">=", today_s)]
        due = [
            ("next_review_date", ">=", today_s),
            ("next_review_date", "<=", due_until),
        ]
        overdue = [("next_review_date", "<", today_s)]
        counts = self._kam_cockpit_review_counts(scope, due, overdue)
        strategic = ["|", ("kam_tier", "=", "a"), ("kam_quadrant", "=", "key")]
        with_plan = [
            (
                "kam_account_plan_ids",
                "any",
                self._kam_cockpit_plan_domain(scope, current),
            )
        ]
        rows = []
        group = defaultdict(int)
        group_ids = defaultdict(list)
        columns = [
            self.env._("Tier A or Key"),
            self.env._("With a current plan"),
            self.env._("Without a plan"),
            self.env._("Reviews due"),
            self.env._("Reviews overdue"),
        ]
        for company in scope["companies"]:
            cells = []
            base = self._kam_cockpit_scope_accounts(scope, company, strategic)
            figures = self._kam_cockpit_coverage_counts(
                company, base, base + with_plan, scope["group"]
            )
            for key, domain, name in (
                ("all", base, columns[0]),
                ("with", base + with_plan, columns[1]),
                ("without", base + ["!", *with_plan], columns[2]),
            ):
                count, ids = figures[key]
                link = self._kam_link("res.partner", domain, name, company)
                cells.append(self._kam_cell(count, link=link))
                group[key] += count
                group_ids[key] += ids
            for key, extra, name in (
                ("due", due, columns[3]),
                ("overdue", overdue, columns[4]),
            ):
                count = counts.get((company.id, key), 0)
                domain = self._kam_cockpit_plan_domain(
                    scope, extra + [("company_id", "=", company.id)]
                )
                cells.append(
                    self._kam_cell(
                        count, link=self._kam_link("kam.account.plan", domain, name)
                    )
                )
                group[key] += count
            rows.append({"key": company.id, "label": company.name, "cells": cells})
        if scope["group"]:
            cells = [
                self._kam_cell(
                    group[key],
                    link=self._kam_link(
                        "res.partner", [("id", "in", group_ids[key])], name
                    ),
                )
                for key, name in zip(("all", "with", "without"), columns, strict=False)
            ]
            cells += [
                self._kam_cell(
                    group[key],
                    link=self._kam_link(
                        "kam.account.plan",
                        self._kam_cockpit_plan_domain(scope, extra),
                        name,
                    ),
                )
                for key, extra, name in (
                    ("due", due, columns[3]),
                    ("overdue", overdue, columns[4]),
                )
            ]
            rows.append({"key": "group", "label": self.env._("Group"), "cells": cells})
        return {
            "code": "plan_coverage",
            "sequence": 30,
            "title": self.env._("Plan coverage"),
            "subtitle": self.env._(
                "Tier A or Key quadrant accounts and their account plans"
            ),
            "columns": columns,
            "tables": [{"title": "", "rows": rows}],
        }

    @api.model
    def _kam_cockpit_coverage_counts(self, company, base, with_plan, with_ids):
        """``{all|with|without: (count, ids)}`` of the accounts of ``base`` and of
        those with a current plan, in ``company``: one query (the ids only for the
        group's row)."""
        partners = self.env["res.partner"].with_company(company)
        accounts = partners._search(base)
        planned = partners._search(with_plan)
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*), COUNT(*) FILTER (WHERE a.id IN %(planned)s),
                       %(ids)s, %(planned_ids)s
                  FROM (%(accounts)s) a
                """,
                planned=planned.subselect(),
                accounts=accounts.select(SQL.identifier(accounts.table, "id")),
                ids=SQL("array_agg(a.id)") if with_ids else SQL("NULL"),
                planned_ids=SQL(
                    "array_agg(a.id) FILTER (WHERE a.id IN %s)", planned.subselect()
                )
                if with_ids
                else SQL("NULL"),
            )
        )
        total, with_count, ids, planned_ids = self.env.cr.fetchone()
        ids, planned_ids = ids or [], planned_ids or []
        return {
            "all": (total, ids),
            "with": (with_count, planned_ids),
            "without": (total - with_count, sorted(set(ids) - set(planned_ids))),
        }

    @api.model
    def _kam_cockpit_review_counts(self, scope, due, overdue):
        """``{(company id, due|overdue): count}`` of the current plans' reviews: one
        query."""
        plans = self.env["kam.account.plan"]
        query = plans._search(self._kam_cockpit_plan_domain(scope))
        due_query = plans._search(self._kam_cockpit_plan_domain(scope, due))
        overdue_query = plans._search(self._kam_cockpit_plan_domain(scope, overdue))
        self.env.cr.execute(
            SQL(
                """
                SELECT p.company_id,
                       COUNT(*) FILTER (WHERE p.id IN %(due)s),
                       COUNT(*) FILTER (WHERE p.id IN %(overdue)s)
                  FROM kam_account_plan p
                 WHERE p.id IN %(plans)s
              GROUP BY p.company_id
                """,
                due=due_query.subselect(),
                overdue=overdue_query.subselect(),
                plans=query.subselect(),
            )
        )
        counts = {}
        for company_id, due_count, overdue_count in self.env.cr.fetchall():
            counts[company_id, "due"] = due_count
            counts[company_id, "overdue"] = overdue_count
        return counts

    @api.model
    def _kam_cockpit_plan_gap_panel(self, scope, limit=5):
        """The current plans furthest from their target (gap to plan), widest
        first: one query."""
        plans = self.env["kam.account.plan"].search(
            self._kam_cockpit_plan_domain(scope, [("gap_to_plan", ">", 0)]),
            order="gap_to_plan desc, id",
            limit=limit,
        )
        rows = []
        for plan in plans:
            link = self._kam_link(
                "kam.account.plan", [("id", "=", plan.id)], plan.display_name
            )
            rows.append(
                {
                    "key": plan.id,
                    "label": plan.partner_id.display_name,
                    "cells": [
                        self._kam_cell(plan.name, link=link),
                        self._kam_cell(plan.company_id.name),
                        self._kam_amount_cell(plan.forecast_total, plan.currency_id),
                        self._kam_amount_cell(
                            plan.gap_to_plan, plan.currency_id, link=link
                        ),
                    ],
                }
            )
        return {
            "code": "plan_gap",
            "sequence": 35,
            "title": self.env._("Widest gaps to plan"),
            "subtitle": self.env._("Plan minus actual to date minus weighted pipeline"),
            "columns": [
                self.env._("Plan"),
                self.env._("Company"),
                self.env._("Target"),
                self.env._("Gap to plan"),
            ],
            "tables": [{"title": "", "rows": rows}],
            "empty": self.env._("No current plan short of its target."),
        }

    # -- win/loss
    @api.model
    def _kam_cockpit_win_loss_panel(self, scope):
        """Deals won against and lost to each competitor, closed in the period, in
        the companies of the scope: two grouped queries."""
        leads = self.env["crm.lead"].with_context(active_test=False)
        period = [
            ("date_closed", ">=", fields.Datetime.to_string(scope["start"])),
            ("company_id", "in", [*scope["companies"].ids, False]),
        ]
        if scope["team_id"]:
            period += [("team_id", "=", scope["team_id"])]
        if scope["manager_id"]:
            period += [("user_id", "=", scope["manager_id"])]
        won_domain = period + [
            ("type", "=", "opportunity"),
            ("stage_id.is_won", "=", True),
        ]
        lost_domain = period + [
            ("type", "=", "opportunity"),
            ("active", "=", False),
            ("probability", "=", 0),
        ]
        won = dict(
            leads._read_group(
                won_domain + [("kam_competitor_ids", "!=", False)],
                ["kam_competitor_ids"],
                ["__count"],
            )
        )
        lost = dict(
            leads._read_group(
                lost_domain + [("kam_lost_to_id", "!=", False)],
                ["kam_lost_to_id"],
                ["__count"],
            )
        )
        rows = []
        for partner in sorted(
            set(won) | set(lost), key=lambda p: (-lost.get(p, 0), p.display_name)
        ):
            won_count, lost_count = won.get(partner, 0), lost.get(partner, 0)
            rate = round(100.0 * won_count / (won_count + lost_count), 1)
            rows.append(
                {
                    "key": partner.id,
                    "label": partner.display_name,
                    "cells": [
                        self._kam_cell(
                            won_count,
                            link=self._kam_link(
                                "crm.lead",
                                won_domain
                                + [("kam_competitor_ids", "in", partner.ids)],
                                self.env._("Won against %(name)s", name=partner.name),
                            ),
                        ),
                        self._kam_cell(
                            lost_count,
                            link=self._kam_link(
                                "crm.lead",
                                lost_domain + [("kam_lost_to_id", "=", partner.id)],
                                self.env._("Lost to %(name)s", name=partner.name),
                                context={"active_test": False},
                            ),
                        ),
                        self._kam_cell(rate, f"{rate:.1f}%"),
                    ],
                }
            )
        return {
            "code": "win_loss",
            "sequence": 40,
            "title": self.env._("Win/loss against competitors"),
            "subtitle": self.env._(
                "Deals closed since %(start)s",
                start=fields.Date.to_string(scope["start"]),
            ),
            "columns": [
                self.env._("Won against"),
                self.env._("Lost to"),
                self.env._("Win rate"),
            ],
            "tables": [{"title": "", "rows": rows}],
            "empty": self.env._("No deal closed against a competitor in the period."),
        }
