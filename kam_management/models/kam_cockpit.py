import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..logic import cockpit

PERIODS = (30, 90, 180, 365)
# Ten years: the longest period the cockpit compares with the one before.
MAX_PERIOD_DAYS = 3660


class KamCockpit(models.AbstractModel):
    """The figures of the directors' cockpit (client action ``kam_cockpit``).

    Every figure comes with the domain of the records behind it, so that the cockpit
    opens the matching list on a click. Set-based: a fixed number of queries whatever
    the number of accounts (``_read_group`` and one SQL per figure). Other addons add
    risks by extending ``_kam_cockpit_risk_kinds`` (a domain per kind of risk) or
    ``_kam_cockpit_risks`` (any list of dicts), calling ``super()``.
    """

    _name = "kam.cockpit"
    _description = "Key Account Cockpit"

    # -- entry point
    @api.readonly
    @api.model
    def get_cockpit_data(
        self,
        period_days=90,
        team_id=False,
        key_only=True,
        manager_id=False,
        company_ids=None,
    ):
        """Every figure of the cockpit. Read-only (``@api.readonly``): an Odoo with
        a database replica serves it from the replica."""
        if not self.env.user.has_group("kam_management.group_kam_manager"):
            raise AccessError(self.env._("The cockpit is for KAM directors."))
        period_days, team_id = self._kam_cockpit_check_args(period_days, team_id)
        manager_id, company_ids = self._kam_cockpit_check_filters(
            manager_id, company_ids
        )
        if company_ids and len(company_ids) == 1:
            # One company: every panel in that company's figures.
            return self.with_company(company_ids[0])._kam_cockpit_data(
                period_days, team_id, key_only, manager_id, company_ids
            )
        return self._kam_cockpit_data(
            period_days, team_id, key_only, manager_id, company_ids
        )

    @api.model
    def _kam_cockpit_data(
        self, period_days, team_id, key_only, manager_id, company_ids
    ):
        today = fields.Date.context_today(self)
        start = today - datetime.timedelta(days=period_days - 1)
        prev_start = start - datetime.timedelta(days=period_days)
        accounts_domain = self._kam_cockpit_accounts_domain(team_id, manager_id)
        company = self.env.company
        # The kinds of risk once per call: some (relationship coverage, stakeholder
        # changes) take a dozen queries to find their accounts.
        risk_kinds = self._kam_cockpit_risk_kinds(accounts_domain)
        risks = self._kam_cockpit_risks(accounts_domain, limit=20, kinds=risk_kinds)
        scope = self._kam_cockpit_scope(
            period_days, team_id, manager_id, company_ids, accounts_domain, key_only
        )
        teams = self.env["crm.team"].search_fetch([], ["name"])
        compliance = self._kam_cockpit_compliance(team_id, start, prev_start, today)
        if manager_id:
            compliance["reps"] = [
                rep for rep in compliance["reps"] if rep["manager_id"] == manager_id
            ]
        return {
            "period": {
                "days": period_days,
                "start": fields.Date.to_string(start),
                "end": fields.Date.to_string(today),
                "previous_start": fields.Date.to_string(prev_start),
                "choices": list(PERIODS),
            },
            "team_id": team_id or False,
            "teams": [{"id": team.id, "name": team.name} for team in teams],
            "manager_id": manager_id or False,
            "managers": self._kam_cockpit_managers(),
            "company_ids": scope["companies"].ids,
            "companies": [
                {"id": c.id, "name": c.name, "currency": c.currency_id.name}
                for c in self.env.companies
            ],
            "company_id": company.id,
            "key_only": bool(key_only),
            "partner_list_view_id": self.env["ir.model.data"]._xmlid_to_res_id(
                "kam_management.view_partner_kam_list"
            ),
            "accounts_domain": accounts_domain,
            "heat_map": self._kam_cockpit_heat_map(accounts_domain, today, key_only),
            "risk_kinds": self._kam_cockpit_risk_counts(
                accounts_domain, kinds=risk_kinds
            ),
            "risks": sorted(
                risks, key=lambda r: (-len(r["reasons"]), r["tier"] or "z", r["name"])
            )[:20],
            "pyramid": self._kam_cockpit_pyramid(accounts_domain, start, company),
            "compliance": compliance,
            "panels": sorted(
                self._kam_cockpit_panels(scope), key=lambda p: p.get("sequence", 50)
            ),
        }

    @api.model
    def _kam_cockpit_check_args(self, period_days, team_id):
        """The period (whole days, at most ``MAX_PERIOD_DAYS``) and the team id, or a
        clear error: the client sends what the user picked, RPC anything."""
        if period_days is None or period_days is False:
            period_days = 90
        if (
            isinstance(period_days, bool)
            or not isinstance(period_days, int)
            or not 1 <= period_days <= MAX_PERIOD_DAYS
        ):
            raise ValidationError(
                self.env._(
                    "The cockpit's period is a whole number of days between 1 and "
                    "%(max)s.",
                    max=MAX_PERIOD_DAYS,
                )
            )
        if team_id is None or team_id is False:
            return period_days, False
        if isinstance(team_id, bool) or not isinstance(team_id, int):
            raise ValidationError(self.env._("The cockpit filters on one sales team."))
        return period_days, team_id

    @api.model
    def _kam_cockpit_check_filters(self, manager_id, company_ids):
        """The key account manager's id and the list of company ids, or a clear
        error; companies the user may not see are refused."""
        if manager_id in (None, False):
            manager_id = False
        elif isinstance(manager_id, bool) or not isinstance(manager_id, int):
            raise ValidationError(
                self.env._("The cockpit filters on one key account manager.")
            )
        if not company_ids:
            return manager_id, []
        if not isinstance(company_ids, list | tuple) or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in company_ids
        ):
            raise ValidationError(self.env._("The cockpit filters on company ids."))
        if set(company_ids) - set(self.env.user.company_ids.ids):
            raise AccessError(
                self.env._("The cockpit shows only the companies you may see.")
            )
        return manager_id, list(company_ids)

    @api.model
    def _kam_cockpit_managers(self):
        """The key account managers the manager filter offers: the users of the
        KAM user group. One query."""
        group_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "kam_management.group_kam_user"
        )
        users = self.env["res.users"].search_fetch(
            [("groups_id", "in", [group_id]), ("share", "=", False)], ["name"]
        )
        return [{"id": user.id, "name": user.name} for user in users]

    @api.model
    def _kam_cockpit_accounts_domain(self, team_id=False, manager_id=False):
        """The tiered accounts the cockpit looks at: of one sales team's key account
        managers when ``team_id`` is given, of one key account manager when
        ``manager_id`` is."""
        # ``kam_is_account`` is the one definition of an account
        # (res.partner._kam_account_domain) as a searchable field: the domain goes to
        # the web client for the drill-down and costs no query to build.
        domain = [
            ("kam_is_account", "=", True),
            ("kam_tier", "!=", False),
            ("is_company", "=", True),
        ]
        if team_id:
            domain += [("kam_manager_id.sale_team_id", "=", int(team_id))]
        if manager_id:
            domain += [("kam_manager_id", "=", int(manager_id))]
        return domain

    # -- heat map
    @api.model
    def _kam_cockpit_heat_map(self, accounts_domain, today, key_only=True):
        """Tier x temperature counts, with the overdue accounts of every cell: one
        grouped query (the overdue ones counted with a filter)."""
        partners = self.env["res.partner"]
        domain = list(accounts_domain)
        if key_only:
            domain += [("kam_is_key_account", "=", True)]
        overdue = partners._kam_overdue_domain(today)
        query = partners._search(domain)
        table = query.table
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT q.tier, q.temp, COUNT(*), COUNT(*) FILTER (WHERE q.id IN %s)
                  FROM (%s) q
              GROUP BY q.tier, q.temp
                """,
                partners._search(domain + overdue).subselect(),
                query.select(
                    SQL("%s AS id", SQL.identifier(table, "id")),
                    SQL("%s AS tier", partners._field_to_sql(table, "kam_tier", query)),
                    SQL(
                        "%s AS temp",
                        partners._field_to_sql(table, "kam_temperature", query),
                    ),
                ),
            )
        )
        counts, overdue_counts = {}, {}
        for tier, temp, count, overdue_count in self.env.cr.fetchall():
            key = (tier or False, temp or False)
            counts[key] = count
            overdue_counts[key] = overdue_count
        tiers = partners._fields["kam_tier"]._description_selection(self.env)
        temps = partners._fields["kam_temperature"]._description_selection(self.env)
        cells = []
        for tier, _label in tiers:
            for temp, _temp_label in temps:
                cell_domain = domain + [
                    ("kam_tier", "=", tier),
                    ("kam_temperature", "=", temp),
                ]
                cells.append(
                    {
                        "tier": tier,
                        "temperature": temp,
                        "count": counts.get((tier, temp), 0),
                        "overdue": overdue_counts.get((tier, temp), 0),
                        "domain": cell_domain,
                        "overdue_domain": cell_domain + overdue,
                    }
                )
        return {
            "tiers": [{"key": k, "label": v} for k, v in tiers],
            "temperatures": [{"key": k, "label": v} for k, v in temps],
            "cells": cells,
            "total": sum(counts.values()),
            "overdue": sum(overdue_counts.values()),
            "domain": domain,
            "overdue_domain": domain + overdue,
        }

    # -- risks
    @api.model
    def _kam_cockpit_risk_kinds(self, accounts_domain):
        """The kinds of risk the cockpit counts and lists: code, label, the domain of
        the accounts at risk (within ``accounts_domain``), the order that puts the
        worst first, and ``detail(partner)``, a short text on the account. Extend it
        with super() to add a kind that a domain expresses (kam_account_plan adds the
        stakeholder changes)."""
        company = self.env.company
        today = fields.Date.context_today(self)
        silent_before = fields.Date.to_string(
            today - datetime.timedelta(days=company.kam_silence_days)
        )
        # Relationship coverage (docs/METHOD.md#coverage): the key accounts that hang
        # on one thread, and those whose decision maker is silent.
        key_domain = accounts_domain + [("kam_is_key_account", "=", True)]
        single, silent = self.env["kam.coverage"]._kam_coverage_risks(
            self.env["res.partner"].search(key_domain)
        )
        return [
            {
                "code": "revenue_decline",
                "label": self.env._("Revenue decline"),
                "domain": accounts_domain + [("kam_revenue_declining", "=", True)],
                "order": "kam_revenue_trend asc, id",
                "detail": lambda p: self.env._(
                    "revenue %(trend)s%% on 12 months", trend=round(p.kam_revenue_trend)
                ),
            },
            {
                "code": "silence",
                "label": self.env._("Silence"),
                "domain": accounts_domain
                + [
                    ("kam_manager_id", "!=", False),
                    ("kam_next_contact_date", "<", silent_before),
                ],
                "order": "kam_next_contact_date asc, id",
                "detail": lambda p: self.env._(
                    "contact overdue by %(days)s days",
                    days=(today - p.kam_next_contact_date).days,
                ),
            },
            {
                "code": "single_threaded",
                "label": self.env._("Single-threaded"),
                "domain": key_domain + [("id", "in", list(single))],
                "order": "kam_tier asc, id",
                "detail": lambda p: single.get(p.id, ""),
            },
            {
                "code": "decision_maker_silent",
                "label": self.env._("Decision maker without contact"),
                "domain": key_domain + [("id", "in", list(silent))],
                "order": "kam_tier asc, id",
                "detail": lambda p: silent.get(p.id, ""),
            },
        ]

    @api.model
    def _kam_cockpit_risk_counts(self, accounts_domain, kinds=None):
        """Number of accounts of every kind of risk, with its domain: one query for
        all kinds (``kinds``: those of ``_kam_cockpit_risk_kinds``, computed when not
        given)."""
        if kinds is None:
            kinds = self._kam_cockpit_risk_kinds(accounts_domain)
        if not kinds:
            return []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("(SELECT COUNT(*) FROM (%s) q)", self._kam_risk_query(kind))
                    for kind in kinds
                ),
            )
        )
        counts = self.env.cr.fetchone()
        return [
            {
                "code": kind["code"],
                "label": kind["label"],
                "count": count,
                "domain": kind["domain"],
            }
            for kind, count in zip(kinds, counts, strict=True)
        ]

    @api.model
    def _kam_risk_query(self, kind, limit=None):
        """The SQL of the ids of the accounts of one kind of risk, the worst first
        (``kind['order']``), at most ``limit``: the ORM's query of its domain, so
        that record rules and the company's figures apply as in a search."""
        query = self.env["res.partner"]._search(
            kind["domain"], order=kind["order"] if limit else None, limit=limit
        )
        return query.select(SQL.identifier(query.table, "id"))

    @api.model
    def _kam_cockpit_risks(self, accounts_domain, limit=20, kinds=None):
        """The accounts at risk: a list of dicts (partner_id, name, tier,
        temperature, manager, reasons = [{code, label, detail}]), the worst ``limit``
        of every kind, one account once with all its reasons. One query for the
        accounts of all kinds, one read of their figures. Extend with super() and
        ``_kam_cockpit_add_risks`` to add reasons that no domain expresses."""
        if kinds is None:
            kinds = self._kam_cockpit_risk_kinds(accounts_domain)
        risks = []
        if not kinds:
            return risks
        self.env.flush_all()
        # One array per kind, in the order of its sorted subquery.
        self.env.cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL(
                        "ARRAY(SELECT r.id FROM (%s) r)",
                        self._kam_risk_query(kind, limit),
                    )
                    for kind in kinds
                ),
            )
        )
        found = dict(enumerate(self.env.cr.fetchone()))
        partners = self.env["res.partner"].browse(
            [pid for ids in found.values() for pid in ids]
        )
        # The figures the entries and the details show, for all the accounts at once.
        partners.fetch(
            [
                "kam_tier",
                "kam_temperature",
                "kam_manager_id",
                "kam_revenue_trend",
                "kam_next_contact_date",
                "complete_name",
            ]
        )
        partners.mapped("kam_manager_id.name")
        for index, kind in enumerate(kinds):
            self._kam_cockpit_add_risks(
                risks,
                partners.browse(found[index]),
                kind["code"],
                kind["label"],
                kind.get("detail"),
            )
        return risks

    @api.model
    def _kam_cockpit_add_risks(self, risks, partners, code, label, detail=None):
        """Add the reason ``code`` to ``partners`` in ``risks`` (in place): a new entry
        for an account not listed yet. ``detail`` is a function partner -> text."""
        by_partner = {risk["partner_id"]: risk for risk in risks}
        for partner in partners:
            risk = by_partner.get(partner.id)
            if not risk:
                risk = {
                    "partner_id": partner.id,
                    # The stored name with its company (display_name's own
                    # form), read with the figures above.
                    "name": partner.complete_name,
                    "tier": partner.kam_tier or False,
                    "temperature": partner.kam_temperature or False,
                    "manager": partner.kam_manager_id.name or "",
                    "reasons": [],
                }
                risks.append(risk)
                by_partner[partner.id] = risk
            risk["reasons"].append(
                {
                    "code": code,
                    "label": label,
                    "detail": detail(partner) if detail else "",
                }
            )
        return risks

    # -- pyramid
    @api.model
    def _kam_cockpit_pyramid(self, accounts_domain, start, company):
        """Key / ordinary / prospect accounts against the 10/30/60 guideline, and the
        time spent on them since ``start``: meeting hours with the account's people
        plus done activities (mail messages of an activity type) on the account, its
        contacts or their opportunities, at ``kam_activity_minutes`` each. One
        query."""
        partners = self.env["res.partner"]
        query = partners._search(accounts_domain)
        now = fields.Datetime.now()
        self.env.flush_all()
        # The current company's figures (company-dependent columns).
        accounts = query.select(
            SQL("%s AS id", SQL.identifier(query.table, "id")),
            SQL(
                "COALESCE(%s, FALSE) AS is_key",
                partners._field_to_sql(query.table, "kam_is_key_account", query),
            ),
            SQL(
                "COALESCE(%s, 0) > 0 AS bought",
                partners._field_to_sql(query.table, "kam_purchase_count_12m", query),
            ),
        )
        self.env.cr.execute(
            SQL(
                """
                WITH %(people)s, spent AS (
                    SELECT DISTINCT ON (pe.account_id, e.id) pe.account_id,
                           COALESCE(e.duration, 0) * 60 AS minutes
                      FROM calendar_event e
                      JOIN calendar_event_res_partner_rel r
                        ON r.calendar_event_id = e.id
                      JOIN people pe ON pe.id = r.res_partner_id
                     WHERE e.active AND e.start >= %(start)s AND e.start <= %(now)s
                    UNION ALL
                    SELECT pe.account_id, %(minutes)s
                      FROM mail_message m
                      JOIN people pe ON m.model = 'res.partner' AND m.res_id = pe.id
                     WHERE m.mail_activity_type_id IS NOT NULL
                       AND m.date >= %(start)s AND m.date <= %(now)s
                    UNION ALL
                    SELECT pe.account_id, %(minutes)s
                      FROM mail_message m
                      JOIN crm_lead l ON m.model = 'crm.lead' AND m.res_id = l.id
                      JOIN people pe ON pe.id = l.partner_id
                     WHERE m.mail_activity_type_id IS NOT NULL
                       AND m.date >= %(start)s AND m.date <= %(now)s
                ), per_account AS (
                    SELECT account_id, SUM(minutes) AS minutes
                      FROM spent GROUP BY account_id
                )
                SELECT a.is_key, a.bought, COUNT(*), COALESCE(SUM(t.minutes), 0)
                  FROM accounts a
             LEFT JOIN per_account t ON t.account_id = a.id
              GROUP BY a.is_key, a.bought
                """,
                people=self._kam_people_sql(accounts),
                start=datetime.datetime.combine(start, datetime.time.min),
                now=now,
                minutes=company.kam_activity_minutes,
            )
        )
        # SQL sums per (key account, bought) pair; the class of each pair comes from
        # the one rule, cockpit.pyramid_class.
        accounts, minutes = defaultdict(int), defaultdict(float)
        for is_key, bought, count, spent in self.env.cr.fetchall():
            klass = cockpit.pyramid_class(is_key, bought)
            accounts[klass] += count
            minutes[klass] += float(spent)
        labels = {
            "key": self.env._("Key accounts"),
            "ordinary": self.env._("Ordinary customers"),
            "prospect": self.env._("Prospects"),
        }
        class_domains = self._kam_cockpit_pyramid_domains()
        rows = cockpit.pyramid(accounts, minutes)
        for row in rows:
            row["label"] = labels[row["klass"]]
            row["hours"] = round(row["minutes"] / 60.0, 1)
            row["domain"] = accounts_domain + class_domains[row["klass"]]
        return rows

    @api.model
    def _kam_people_sql(self, accounts):
        """The head of a WITH clause: ``accounts`` (the given select, with an ``id``
        column) and ``people``, every partner of those accounts (the account and
        its contacts) with its ``account_id``. The time pyramid and the trips count
        what happened with an account's people."""
        return SQL(
            """accounts AS (%s), people AS (
                    SELECT pe.id, a.id AS account_id
                      FROM res_partner pe
                      JOIN accounts a ON a.id = pe.commercial_partner_id
                )""",
            accounts,
        )

    @api.model
    def _kam_cockpit_pyramid_domains(self):
        """The domain of the accounts of each pyramid class, made from the same rule
        (``cockpit.pyramid_class``) over the four (key account, bought) pairs."""
        pairs = defaultdict(list)
        for is_key in (True, False):
            for bought in (True, False):
                pairs[cockpit.pyramid_class(is_key, bought)].append(
                    [
                        ("kam_is_key_account", "=", is_key),
                        ("kam_purchase_count_12m", ">" if bought else "<=", 0),
                    ]
                )
        return {klass: expression.OR(domains) for klass, domains in pairs.items()}

    # -- cadence compliance
    @api.model
    def _kam_cockpit_compliance(self, team_id, start, prev_start, today):
        """Per key account manager and tier: share of the accounts contacted within
        their cadence over the period and over the one before (the trend), from the
        daily snapshots; the team totals; the weekly rates of the period; breaches
        recorded in the period and accounts overdue now.
        Four grouped queries and the trips."""
        snapshots = self.env["kam.cadence.snapshot"]
        history = self.env["kam.account.history"]
        partners = self.env["res.partner"]
        base = [("date", ">=", prev_start), ("date", "<=", today)]
        if team_id:
            base += [("team_id", "=", int(team_id))]
        aggregates = ["account_count:sum", "compliant_count:sum"]
        weekly = snapshots._read_group(
            base + [("date", ">=", start)], ["date:week"], aggregates
        )
        # Sums per (team, manager, tier) for both periods, then rolled up.
        sums = defaultdict(lambda: [0, 0, 0, 0])
        for (
            team,
            manager,
            tier,
            is_current,
            accounts,
            compliant,
        ) in self._kam_cockpit_snapshot_sums(base, start):
            index = 0 if is_current else 2
            for key in (
                (team, manager, tier),
                (team, manager, "all"),
                (team, False, tier),
                (team, False, "all"),
                (False, False, tier),
                (False, False, "all"),
            ):
                sums[key][index] += compliant or 0
                sums[key][index + 1] += accounts or 0
        period_start = fields.Datetime.to_string(
            datetime.datetime.combine(start, datetime.time.min)
        )
        breach_domain = [
            ("kind", "=", "cadence_breach"),
            ("date", ">=", period_start),
        ]
        if team_id:
            breach_domain += [("team_id", "=", int(team_id))]
        breaches = dict(history._read_group(breach_domain, ["manager_id"], ["__count"]))
        overdue_domain = self._kam_cockpit_accounts_domain(team_id) + [
            ("kam_manager_id", "!=", False),
            *partners._kam_overdue_domain(today),
        ]
        overdue_now = dict(
            partners._read_group(overdue_domain, ["kam_manager_id"], ["__count"])
        )
        tiers = ("a", "b", "c", "d", "all")
        trips = self._kam_cockpit_trips(start, today)

        def figures(team, manager):
            result = {}
            for tier in tiers:
                done, total, prev_done, prev_total = sums.get(
                    (team, manager, tier), (0, 0, 0, 0)
                )
                current_rate = cockpit.rate(done, total)
                previous_rate = cockpit.rate(prev_done, prev_total)
                result[tier] = {
                    "rate": current_rate,
                    "previous": previous_rate,
                    "trend": cockpit.trend(current_rate, previous_rate),
                    "account_days": total,
                }
            return result

        managers = sorted(
            {(team, manager) for team, manager, _tier in sums if manager},
            key=lambda tm: (tm[0].name or "", tm[1].name or ""),
        )
        reps = []
        for team, manager in managers:
            reps.append(
                {
                    "manager_id": manager.id,
                    "name": manager.name,
                    "team_id": team.id or False,
                    "team": team.name or "",
                    "tiers": figures(team, manager),
                    "breaches": breaches.get(manager, 0),
                    "breach_domain": breach_domain + [("manager_id", "=", manager.id)],
                    "overdue_now": overdue_now.get(manager, 0),
                    "overdue_domain": overdue_domain
                    + [("kam_manager_id", "=", manager.id)],
                    "trips": trips.get(manager.id, self._kam_trip_figures(0, 0)),
                }
            )
        # The rows of the managers without a team count in the overall figures only.
        teams = [
            {
                "team_id": team.id,
                "team": team.name,
                "tiers": figures(team, False),
                "breach_domain": breach_domain + [("team_id", "=", team.id)],
            }
            for team in sorted(
                {team for team, manager, _tier in sums if team and not manager},
                key=lambda t: t.name or "",
            )
        ]
        return {
            "reps": reps,
            "teams": teams,
            "overall": figures(False, False),
            "weekly": [
                {"week": fields.Date.to_string(week), "rate": value}
                for week, value in cockpit.weekly_rates(
                    [
                        (week.date() if hasattr(week, "date") else week, done, total)
                        for week, total, done in weekly
                    ]
                )
            ],
            "breaches": sum(breaches.values()),
            "breach_domain": breach_domain,
            "overdue_now": sum(overdue_now.values()),
            "overdue_domain": overdue_domain,
            "trips": self._kam_trip_figures(
                sum(trips.get(rep["manager_id"], {}).get("visits", 0) for rep in reps),
                sum(
                    trips.get(rep["manager_id"], {}).get("combined", 0) for rep in reps
                ),
            ),
        }

    @api.model
    def _kam_cockpit_snapshot_sums(self, domain, start):
        """``[(team, manager, tier, is_current, accounts, compliant)]``: the sums of
        the daily snapshots of ``domain`` per team, manager and tier, in the period
        from ``start`` (``is_current``) and before it. One grouped query (the ORM's
        query, so record rules apply)."""
        snapshots = self.env["kam.cadence.snapshot"]
        query = snapshots._search(domain)
        table = query.table

        def column(fname):
            return SQL.identifier(table, fname)

        query.groupby = SQL("1, 2, 3, 4")
        self.env.flush_all()
        self.env.cr.execute(
            query.select(
                column("team_id"),
                column("manager_id"),
                column("tier"),
                SQL("%s >= %s", column("date"), start),
                SQL("SUM(%s)", column("account_count")),
                SQL("SUM(%s)", column("compliant_count")),
            )
        )
        teams, managers = self.env["crm.team"], self.env["res.users"]
        rows = self.env.cr.fetchall()
        # Records, as _read_group gives them (one prefetch for their names).
        team_records = teams.browse({row[0] for row in rows if row[0]})
        manager_records = managers.browse({row[1] for row in rows if row[1]})
        return [
            (
                team_records.browse(team_id or ()),
                manager_records.browse(manager_id or ()),
                tier or False,
                is_current,
                accounts or 0,
                compliant or 0,
            )
            for team_id, manager_id, tier, is_current, accounts, compliant in rows
        ]

    # -- trips (docs/METHOD.md#territory)
    @api.model
    def _kam_trip_figures(self, visits, combined):
        return {
            "visits": visits,
            "combined": combined,
            "share": cockpit.rate(combined, visits),
        }

    @api.model
    def _kam_cockpit_trips(self, start, today):
        """Per rep, the share of their visits combined into trips since ``start``:
        a visit is a rep meeting an account on a day (a calendar event they organise
        with the account's people, or a meeting activity they marked done on the
        account or its opportunity); it is part of a trip when the rep meets another
        account near it the same day (kam.territory's rule of near,
        territory.trip_share in Python). One query. Returns {user id: {visits,
        combined, share}}."""
        partners = self.env["res.partner"]
        company = self.env.company
        territory = self.env["kam.territory"]
        query = partners._search(partners._kam_account_domain(company, in_sql=True))
        accounts = query.select(SQL("%s AS id", SQL.identifier(query.table, "id")))
        radius = company.kam_nearby_km
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH %(people)s, meetings AS (
                    SELECT e.user_id AS rep, e.start AS at, pe.account_id
                      FROM calendar_event e
                      JOIN calendar_event_res_partner_rel r
                        ON r.calendar_event_id = e.id
                      JOIN people pe ON pe.id = r.res_partner_id
                     WHERE e.active AND e.user_id IS NOT NULL
                       AND e.start >= %(start)s AND e.start < %(end)s
                    UNION ALL
                    SELECT u.id, m.date, pe.account_id
                      FROM mail_message m
                      JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                      JOIN res_users u ON u.partner_id = m.author_id
                      JOIN people pe ON m.model = 'res.partner' AND m.res_id = pe.id
                     WHERE t.category = 'meeting'
                       AND m.date >= %(start)s AND m.date < %(end)s
                    UNION ALL
                    SELECT u.id, m.date, pe.account_id
                      FROM mail_message m
                      JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                      JOIN res_users u ON u.partner_id = m.author_id
                      JOIN crm_lead l ON m.model = 'crm.lead' AND m.res_id = l.id
                      JOIN people pe ON pe.id = l.partner_id
                     WHERE t.category = 'meeting'
                       AND m.date >= %(start)s AND m.date < %(end)s
                ), visits AS (
                    -- One visit per rep, day (the rep's) and account.
                    SELECT DISTINCT mt.rep,
                           (mt.at AT TIME ZONE 'UTC'
                               AT TIME ZONE COALESCE(NULLIF(up.tz, ''), 'UTC'))::date
                               AS day,
                           mt.account_id
                      FROM meetings mt
                      JOIN res_users u ON u.id = mt.rep
                      JOIN res_partner up ON up.id = u.partner_id
                )
                SELECT v.rep, COUNT(*),
                       COUNT(*) FILTER (WHERE EXISTS (
                           SELECT 1 FROM visits w
                             JOIN res_partner b ON b.id = w.account_id
                            WHERE w.rep = v.rep AND w.day = v.day
                              AND w.account_id <> v.account_id AND %(near)s))
                  FROM visits v
                  JOIN res_partner a ON a.id = v.account_id
                 WHERE v.day >= %(first_day)s AND v.day <= %(today)s
              GROUP BY v.rep
                """,
                people=self._kam_people_sql(accounts),
                # A day's margin on both sides: the days are the reps', not UTC's.
                start=datetime.datetime.combine(
                    start - datetime.timedelta(days=1), datetime.time.min
                ),
                end=datetime.datetime.combine(
                    today + datetime.timedelta(days=2), datetime.time.min
                ),
                first_day=start,
                today=today,
                near=territory._kam_near_sql("a", "b", radius),
            )
        )
        return {
            rep: self._kam_trip_figures(visits, combined)
            for rep, visits, combined in self.env.cr.fetchall()
        }
