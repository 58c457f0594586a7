import datetime
from collections import defaultdict

from odoo import api, fields, models

# The plans that stand for an account today.
CURRENT_STATES = ("active", "review")
# How far ahead a plan review counts as due.
REVIEW_DUE_DAYS = 14


class KamCockpitPanels(models.AbstractModel):  # pylint: disable=consider-merging-classes-inherited
    """The account plans' panels of the director's cockpit: the plan figures of the
    revenue panel, plan coverage of the key accounts, win/loss per competitor."""

    _inherit = "kam.cockpit"

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
        plan and those without, the reviews due within two weeks and overdue. Two
        queries per company and one grouped query for the reviews."""
        plans = self.env["kam.account.plan"]
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
        counts = {}
        for key, extra in (("due", due), ("overdue", overdue)):
            counts[key] = dict(
                plans._read_group(
                    self._kam_cockpit_plan_domain(scope, extra),
                    ["company_id"],
                    ["__count"],
                )
            )
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
            for key, domain, name in (
                ("all", base, columns[0]),
                ("with", base + with_plan, columns[1]),
                ("without", base + ["!", *with_plan], columns[2]),
            ):
                count, link, ids = self._kam_partner_figure(
                    company, domain, name, with_ids=scope["group"]
                )
                cells.append(self._kam_cell(count, link=link))
                group[key] += count
                group_ids[key] += ids
            for key, extra, name in (
                ("due", due, columns[3]),
                ("overdue", overdue, columns[4]),
            ):
                count = counts[key].get(company, 0)
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
