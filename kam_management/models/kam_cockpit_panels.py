import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount, formatLang

from ..logic import cockpit


class KamCockpitPanels(models.AbstractModel):
    """The panels of the director's cockpit beyond the heat map, the risks, the
    pyramid and the compliance table: key account revenue, movement of tiers and
    quadrants, the heat map a quarter ago; the other KAM addons add theirs
    (pipeline, plan coverage, win/loss) by extending ``_kam_cockpit_panels``.

    A panel is a dict: ``code``, ``title``, ``columns`` (labels), ``tables`` (a
    title and rows; a row has a label and one cell per column). A cell holds the
    figure (``value``, ``display``) and, where there are records behind it, the
    ``link`` that opens them (model, domain, context). Every figure is read per
    company with ``with_company`` (the KAM fields of a partner are per company);
    when the cockpit looks at several companies, a last row or table gives the
    group, amounts converted into the current company's currency at today's rate.
    """

    _inherit = "kam.cockpit"

    # -- scope
    @api.model
    def _kam_cockpit_scope(
        self,
        period_days,
        team_id,
        manager_id,
        company_ids,
        accounts_domain=None,
        key_only=False,
    ):
        """The filters of one cockpit call as a dict: the dates, the team, the key
        account manager, the companies (those asked for among the user's allowed
        ones; all of them by default) and the current one (the group's currency)."""
        today = fields.Date.context_today(self)
        start = today - datetime.timedelta(days=period_days - 1)
        allowed = self.env.companies
        companies = allowed
        if company_ids:
            companies = allowed.filtered(lambda c: c.id in set(company_ids))
        if not companies:
            companies = self.env.company
        quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return {
            "today": today,
            "start": start,
            "prev_start": start - datetime.timedelta(days=period_days),
            "quarter_start": quarter_start,
            "team_id": team_id or False,
            "manager_id": manager_id or False,
            "companies": companies,
            "company": self.env.company,
            "group": len(companies) > 1,
            "key_only": bool(key_only),
            # {company id: domain of its accounts}, the current company's given.
            "accounts": {self.env.company.id: accounts_domain}
            if accounts_domain is not None
            else {},
        }

    @api.model
    def _kam_cockpit_scope_accounts(self, scope, company, extra=None):
        """The domain of the tiered accounts of ``company`` in the scope (team,
        manager), to be evaluated with ``with_company(company)``."""
        domains = scope.setdefault("accounts", {})
        if company.id not in domains:
            domains[company.id] = self.with_company(
                company
            )._kam_cockpit_accounts_domain(scope["team_id"], scope["manager_id"])
        return domains[company.id] + list(extra or [])

    # -- panel building blocks
    @api.model
    def _kam_cell(self, value, display=None, link=None, note=""):
        return {
            "value": value,
            "display": display if display is not None else str(value),
            "link": link or False,
            "note": note,
        }

    @api.model
    def _kam_amount_cell(self, amount, currency, link=None, note=""):
        return self._kam_cell(
            round(amount, 2), format_amount(self.env, amount, currency), link, note
        )

    @api.model
    def _kam_percent_cell(self, percent):
        """A change in percent, signed, one decimal, in the user's language (its
        decimal point: "+12,5%" in Russian)."""
        if percent is None:
            return self._kam_cell(None, "–")
        sign = "+" if percent > 0 else "-" if percent < 0 else ""
        return self._kam_cell(
            percent, f"{sign}{formatLang(self.env, abs(percent), digits=1)}%"
        )

    @api.model
    def _kam_link(self, model, domain, name, company=None, context=None):
        """The act_window the cockpit opens on a figure: ``domain`` on ``model``,
        read in ``company`` (first of the allowed companies in the context) where
        the figure is one company's."""
        context = {"create": False, **(context or {})}
        if company:
            others = [c for c in self.env.companies.ids if c != company.id]
            context["allowed_company_ids"] = [company.id, *others]
        return {"model": model, "domain": domain, "name": name, "context": context}

    @api.model
    def _kam_partner_figure(self, company, domain, name, with_ids=False):
        """(count, link, ids) of the accounts of ``domain`` in ``company``: one
        query. ``ids`` (for the group's row, whose accounts no single domain
        describes since the KAM fields are per company) only when asked for."""
        partners = self.env["res.partner"].with_company(company)
        query = partners._search(domain)
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*), %s FROM (%s) q",
                SQL("array_agg(q.id)") if with_ids else SQL("NULL"),
                query.select(SQL.identifier(query.table, "id")),
            )
        )
        count, ids = self.env.cr.fetchone()
        return count, self._kam_link("res.partner", domain, name, company), ids or []

    @api.model
    def _kam_group_label(self, scope):
        return self.env._(
            "Group (%(currency)s)", currency=scope["company"].currency_id.name
        )

    @api.model
    def _kam_to_group_currency(self, scope, company, amount):
        """``amount`` in ``company``'s currency converted into the current
        company's at today's rate (res.currency._convert)."""
        target = scope["company"]
        return company.currency_id._convert(
            amount or 0.0, target.currency_id, target, scope["today"]
        )

    # -- panels
    @api.model
    def _kam_cockpit_panels(self, scope):
        """The list of panels; extend with super() to add one (the other KAM
        addons' hooks: ``_kam_cockpit_revenue_plans`` for the plan figures of the
        revenue panel)."""
        return [
            self._kam_cockpit_revenue_panel(scope),
            self._kam_cockpit_movement_panel(scope),
            self._kam_cockpit_heat_map_then_panel(scope),
        ]

    # -- revenue
    @api.model
    def _kam_cockpit_revenue_plans(self, scope):
        """``{company id: (amount, link)}``: what the account plans forecast for the
        period in each company's currency. None without plans: kam_account_plan
        extends it."""
        return None

    @api.model
    def _kam_cockpit_revenue_panel(self, scope):
        """Revenue of the key accounts in the period against the period before and
        against the plans, per company: one query per company."""
        plans = self._kam_cockpit_revenue_plans(scope)
        columns = [
            self.env._("Key accounts"),
            self.env._("This period"),
            self.env._("Previous period"),
            self.env._("Change"),
        ]
        if plans is not None:
            columns += [self.env._("Plan"), self.env._("Against plan")]
        rows = []
        group = defaultdict(float)
        group_ids = []
        for company in scope["companies"]:
            domain = self._kam_cockpit_scope_accounts(
                scope, company, [("kam_is_key_account", "=", True)]
            )
            current, previous, count, ids = self._kam_cockpit_key_revenue(
                scope, company, domain
            )
            link = self._kam_link(
                "res.partner", domain, self.env._("Key accounts"), company
            )
            cells = [
                self._kam_cell(count, link=link),
                self._kam_amount_cell(current, company.currency_id, link),
                self._kam_amount_cell(previous, company.currency_id, link),
                self._kam_percent_cell(cockpit.change_percent(current, previous)),
            ]
            group["count"] += count
            group["current"] += self._kam_to_group_currency(scope, company, current)
            group["previous"] += self._kam_to_group_currency(scope, company, previous)
            group_ids += ids
            if plans is not None:
                planned, plan_link = plans.get(company.id, (0.0, False))
                cells += [
                    self._kam_amount_cell(planned, company.currency_id, plan_link),
                    self._kam_percent_cell(cockpit.change_percent(current, planned)),
                ]
                group["plan"] += self._kam_to_group_currency(scope, company, planned)
            rows.append({"key": company.id, "label": company.name, "cells": cells})
        if scope["group"]:
            currency = scope["company"].currency_id
            link = self._kam_link(
                "res.partner", [("id", "in", group_ids)], self.env._("Key accounts")
            )
            cells = [
                self._kam_cell(int(group["count"]), link=link),
                self._kam_amount_cell(group["current"], currency, link),
                self._kam_amount_cell(group["previous"], currency, link),
                self._kam_percent_cell(
                    cockpit.change_percent(group["current"], group["previous"])
                ),
            ]
            if plans is not None:
                plan_link = plans.get("group_link")
                cells += [
                    self._kam_amount_cell(group["plan"], currency, plan_link),
                    self._kam_percent_cell(
                        cockpit.change_percent(group["current"], group["plan"])
                    ),
                ]
            rows.append(
                {"key": "group", "label": self._kam_group_label(scope), "cells": cells}
            )
        return {
            "code": "revenue",
            "sequence": 10,
            "title": self.env._("Key account revenue"),
            "subtitle": self.env._(
                "%(start)s – %(end)s against the period before",
                start=fields.Date.to_string(scope["start"]),
                end=fields.Date.to_string(scope["today"]),
            ),
            "columns": columns,
            "tables": [{"title": "", "rows": rows}],
        }

    @api.model
    def _kam_cockpit_key_revenue(self, scope, company, domain):
        """(revenue of the period, of the period before, number of key accounts,
        their ids when the group is shown) of ``company``'s key accounts of
        ``domain``, in its currency (kam.revenue: the company's revenue source, each
        document converted at its date). One query."""
        partners = self.env["res.partner"].with_company(company)
        query = partners._search(domain)
        accounts = query.select(SQL.identifier(query.table, "id"))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH accounts AS (%(accounts)s), rows AS (
                    SELECT r.day, r.amount FROM (%(rows)s) r
                     WHERE r.partner_id IN (SELECT id FROM accounts)
                )
                SELECT (SELECT COALESCE(SUM(amount), 0) FROM rows
                         WHERE day >= %(start)s),
                       (SELECT COALESCE(SUM(amount), 0) FROM rows
                         WHERE day < %(start)s),
                       (SELECT COUNT(*) FROM accounts),
                       %(ids)s
                """,
                accounts=accounts,
                rows=self.env["kam.revenue"]._kam_rows(
                    company, scope["prev_start"], scope["today"]
                ),
                start=scope["start"],
                ids=SQL("(SELECT array_agg(id) FROM accounts)")
                if scope["group"]
                else SQL("NULL"),
            )
        )
        current, previous, count, ids = self.env.cr.fetchone()
        return float(current), float(previous), count, ids or []

    # -- movement
    @api.model
    def _kam_cockpit_movement_panel(self, scope):
        """The accounts that moved up or down a tier or a quadrant since the start
        of the quarter, per company, from kam.account.history: one grouped query
        for all companies. Up and down follow cockpit.movement_direction."""
        history = self.env["kam.account.history"]
        since = fields.Datetime.to_string(
            datetime.datetime.combine(scope["quarter_start"], datetime.time.min)
        )
        base = [
            ("kind", "in", ("tier", "quadrant")),
            ("date", ">=", since),
            ("company_id", "in", scope["companies"].ids),
        ]
        if scope["team_id"]:
            base += [("team_id", "=", scope["team_id"])]
        if scope["manager_id"]:
            base += [("manager_id", "=", scope["manager_id"])]
        groups = history._read_group(
            base,
            ["company_id", "kind", "old_value", "new_value"],
            ["partner_id:array_agg"],
        )
        # {(company id, kind, direction): [{(company id, account id)}, {(old, new)}]}:
        # an account that moved up twice in the quarter (C to B, then B to A) is one
        # account up; the group adds up its companies (a shared customer that moved
        # in two companies counts in each, as in the other panels).
        moves = defaultdict(lambda: [set(), set()])
        for company, kind, old, new, partner_ids in groups:
            direction = cockpit.movement_direction(kind, old, new)
            if direction:
                for key in ((company.id, kind, direction), ("group", kind, direction)):
                    moves[key][0].update((company.id, pid) for pid in partner_ids)
                    moves[key][1].add((old, new))
        titles = {
            ("tier", "up"): self.env._("Tier up"),
            ("tier", "down"): self.env._("Tier down"),
            ("quadrant", "up"): self.env._("Quadrant up"),
            ("quadrant", "down"): self.env._("Quadrant down"),
        }

        def row(key, label, company_domain):
            cells = []
            for (kind, direction), title in titles.items():
                accounts, pairs = moves.get((key, kind, direction), (set(), set()))
                count = len(accounts)
                domain = [*base, *company_domain, ("kind", "=", kind)]
                pair_domains = [
                    ["&", ("old_value", "=", old), ("new_value", "=", new)]
                    for old, new in sorted(pairs)
                ]
                if pair_domains:
                    domain += ["|"] * (len(pair_domains) - 1) + [
                        term for pair in pair_domains for term in pair
                    ]
                else:
                    domain += [("id", "=", 0)]
                cells.append(
                    self._kam_cell(
                        count, link=self._kam_link("kam.account.history", domain, title)
                    )
                )
            return {"key": key, "label": label, "cells": cells}

        rows = [
            row(company.id, company.name, [("company_id", "=", company.id)])
            for company in scope["companies"]
        ]
        if scope["group"]:
            rows.append(row("group", self.env._("Group"), []))
        return {
            "code": "movement",
            "sequence": 60,
            "title": self.env._("Movement this quarter"),
            "subtitle": self.env._(
                "Accounts that changed tier or quadrant since %(start)s",
                start=fields.Date.to_string(scope["quarter_start"]),
            ),
            "columns": list(titles.values()),
            "tables": [{"title": "", "rows": rows}],
        }

    # -- heat map a quarter ago
    @api.model
    def _kam_cockpit_heat_map_then_panel(self, scope):
        """Tier x temperature of the accounts a quarter ago against today, for the
        current company: each account's tier and temperature then are the old
        value of its first move after that day (kam.account.history), else today's.
        One query."""
        company = scope["company"]
        today = scope["today"]
        then = today - datetime.timedelta(days=91)
        partners = self.env["res.partner"].with_company(company)
        domain = self._kam_cockpit_scope_accounts(scope, company)
        if scope.get("key_only"):
            domain = domain + [("kam_is_key_account", "=", True)]
        # The accounts of the scope tiered today (one not tiered any more is left
        # out); the key accounts only when the cockpit shows those.
        query = partners._search(domain)
        accounts = query.select(
            SQL("%s AS id", SQL.identifier(query.table, "id")),
            SQL("%s AS tier", partners._field_to_sql(query.table, "kam_tier", query)),
            SQL(
                "%s AS temp",
                partners._field_to_sql(query.table, "kam_temperature", query),
            ),
        )
        self.env.flush_all()
        # Each account's cell today and a quarter ago, grouped, in one query: its
        # tier and temperature then are the old value of its first move of each kind
        # since that day, else today's.
        self.env.cr.execute(
            SQL(
                """
                WITH accounts AS (%(accounts)s), moves AS (
                    SELECT DISTINCT ON (h.partner_id, h.kind)
                           h.partner_id, h.kind, h.old_value
                      FROM kam_account_history h
                      JOIN accounts a ON a.id = h.partner_id
                     WHERE h.company_id = %(company)s
                       AND h.kind IN ('tier', 'temperature')
                       AND h.date >= %(then)s
                  ORDER BY h.partner_id, h.kind, h.date, h.id
                )
                SELECT a.tier, COALESCE(a.temp, 'none'),
                       CASE WHEN mt.partner_id IS NULL THEN a.tier
                            ELSE mt.old_value END,
                       CASE WHEN mp.partner_id IS NULL THEN COALESCE(a.temp, 'none')
                            ELSE COALESCE(mp.old_value, 'none') END,
                       array_agg(a.id)
                  FROM accounts a
             LEFT JOIN moves mt ON mt.partner_id = a.id AND mt.kind = 'tier'
             LEFT JOIN moves mp ON mp.partner_id = a.id AND mp.kind = 'temperature'
              GROUP BY 1, 2, 3, 4
                """,
                accounts=accounts,
                company=company.id,
                then=datetime.datetime.combine(then, datetime.time.min),
            )
        )
        now_counts = defaultdict(int)
        then_ids = defaultdict(list)
        for tier, temp, then_tier, then_temp, ids in self.env.cr.fetchall():
            now_counts[tier, temp] += len(ids)
            if then_tier:
                then_ids[then_tier, then_temp] += ids
        tiers = partners._fields["kam_tier"]._description_selection(self.env)
        temps = partners._fields["kam_temperature"]._description_selection(self.env)
        rows = []
        for tier, tier_label in tiers:
            cells = []
            for temp, _label in temps:
                ids = then_ids.get((tier, temp), [])
                delta = now_counts.get((tier, temp), 0) - len(ids)
                cells.append(
                    self._kam_cell(
                        len(ids),
                        link=self._kam_link(
                            "res.partner",
                            [("id", "in", ids)],
                            self.env._("Accounts a quarter ago"),
                            company,
                        )
                        if ids
                        else False,
                        note=f"{delta:+d}" if delta else "",
                    )
                )
            rows.append({"key": tier, "label": tier_label, "cells": cells})
        return {
            "code": "heat_map_then",
            "sequence": 70,
            "title": self.env._("Heat map a quarter ago"),
            "subtitle": self.env._(
                "%(company)s on %(date)s; the small figure is the change to today",
                company=company.name,
                date=fields.Date.to_string(then),
            ),
            "columns": [label for _key, label in temps],
            "tables": [{"title": "", "rows": rows}],
        }
