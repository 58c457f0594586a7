import datetime

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

from ..logic import cadence, coverage
from .res_partner import TIERS

COVERAGE_CLASSES = [
    (coverage.COVERAGE_NONE, "No contact"),
    (coverage.COVERAGE_SINGLE, "Single-threaded"),
    (coverage.COVERAGE_DEVELOPING, "Developing"),
    (coverage.COVERAGE_MULTI, "Multi-threaded"),
]
LEVELS = [
    (coverage.LEVEL_EXECUTIVE, "Executive"),
    (coverage.LEVEL_MANAGEMENT, "Management"),
    (coverage.LEVEL_OPERATIONAL, "Operational"),
    (coverage.LEVEL_UNKNOWN, "Unknown"),
]
RECENCIES = [
    (coverage.RECENCY_FRESH, "Within the cadence"),
    (coverage.RECENCY_FADING, "Fading"),
    (coverage.RECENCY_STALE, "Stale"),
    (coverage.RECENCY_NONE, "No contact"),
]
# Kanban colour index and Bootstrap class of each recency.
RECENCY_COLORS = {"fresh": 10, "fading": 2, "stale": 1, "none": 0}
RECENCY_CLASSES = {
    "fresh": "text-bg-success",
    "fading": "text-bg-warning",
    "stale": "text-bg-danger",
    "none": "text-bg-light",
}
KINDS = ("meeting", "call", "activity", "sent", "received")
MAX_PERIOD_DAYS = 3660


class KamCoverage(models.AbstractModel):
    """Who talks to whom at each account (docs/METHOD.md#coverage).

    Our people (the company's internal users) against theirs (the account's
    contacts), from the evidence Odoo holds: meetings both attend, done activities
    and logged calls, messages sent and received on the account, its contacts and
    its deals. Set-based: a fixed number of queries for any list of accounts.
    kam_account_plan adds the stakeholder roles and the account team through
    ``_kam_coverage_roles`` and ``_kam_coverage_team``.
    """

    _name = "kam.coverage"
    _description = "Key account relationship coverage"

    # -- hooks
    @api.model
    def _kam_coverage_roles(self, accounts):
        """``{account id: {contact id: role}}``: the buying roles known of the
        accounts' contacts (``coverage.ROLE_LEVELS`` keys). None here."""
        return {}

    @api.model
    def _kam_coverage_role_labels(self):
        """``{role: label}`` of the roles ``_kam_coverage_roles`` gives."""
        return {}

    @api.model
    def _kam_coverage_team(self, accounts, values=None):
        """``{account id: set of user ids}``: our people who belong on the map even
        without an interaction: the account's manager here. ``values``: the
        accounts' figures with ``kam_manager_id`` when the caller has read them
        (``_kam_coverage_account_values``)."""
        if values is None:
            values = self._kam_coverage_account_values(accounts, ["kam_manager_id"])
        return {
            account_id: {row["kam_manager_id"]}
            for account_id, row in values.items()
            if row["kam_manager_id"]
        }

    @api.model
    def _kam_coverage_account_values(self, accounts, fnames):
        """``{account id: {field: value}}`` of the current company's KAM figures
        (company-dependent columns) of ``accounts``: one query."""
        if not accounts:
            return {}
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        partners.flush_model(fnames)
        query = partners._search([("id", "in", accounts.ids)])
        self.env.cr.execute(
            query.select(
                SQL.identifier(query.table, "id"),
                *(partners._field_to_sql(query.table, f, query) for f in fnames),
            )
        )
        return {
            row[0]: dict(zip(fnames, row[1:], strict=True))
            for row in self.env.cr.fetchall()
        }

    # -- evidence
    @api.model
    def _kam_coverage_check_period(self, date_from, date_to):
        if not date_from or not date_to or date_from > date_to:
            raise ValidationError(
                self.env._("A coverage period starts before it ends.")
            )
        if (date_to - date_from).days >= MAX_PERIOD_DAYS:
            raise ValidationError(
                self.env._(
                    "A coverage period is at most %(days)s days.", days=MAX_PERIOD_DAYS
                )
            )

    @api.model
    def _kam_coverage_interactions(self, accounts, date_from, date_to):
        """``[(account id, our partner id, their partner id, counts by kind, last
        interaction)]`` of the current company between ``date_from`` and
        ``date_to`` (dates, inclusive; nothing after now). One query.

        - meeting: an active calendar event both attend;
        - call / activity: a done activity (a message with an activity type) that
          our person did on their contact, the account or one of its deals, with the
          message's recipients of their side, else the record's person;
        - sent / received: a message (not a note) from our person to theirs, or
          from theirs to ours (the recipients, else the deal's salesperson, else
          the account's manager).
        """
        self._kam_coverage_check_period(date_from, date_to)
        if not accounts:
            return []
        company = self.env.company
        partners = self.env["res.partner"]
        start = datetime.datetime.combine(date_from, datetime.time.min)
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min
        )
        self.env.flush_all()
        query = (
            partners.sudo()
            .with_context(active_test=False)
            ._search([("id", "in", accounts.ids)])
        )
        account_rows = query.select(
            SQL("%s AS id", SQL.identifier(query.table, "id")),
            SQL(
                "%s AS manager_id",
                partners._field_to_sql(query.table, "kam_manager_id", query),
            ),
        )
        self.env.cr.execute(
            SQL(
                """
                WITH accounts AS (%(accounts)s), people AS (
                    SELECT p.id, a.id AS account_id, a.manager_id
                      FROM res_partner p
                      JOIN accounts a ON a.id = p.commercial_partner_id
                ), ours AS (
                    SELECT DISTINCT u.partner_id, u.id AS user_id
                      FROM res_users u
                      JOIN res_company_users_rel cu
                        ON cu.user_id = u.id AND cu.cid = %(company)s
                     WHERE NOT u.share AND u.active
                ), deals AS (
                    SELECT l.id, pe.account_id, l.partner_id, l.user_id
                      FROM crm_lead l
                      JOIN people pe ON pe.id = l.partner_id
                     WHERE (l.company_id = %(company)s OR l.company_id IS NULL)
                ), msgs AS (
                    SELECT m.id, m.author_id, m.date, m.mail_activity_type_id,
                           pe.account_id, pe.id AS record_partner,
                           NULL::int AS deal_user, pe.manager_id
                      FROM mail_message m
                      JOIN people pe ON m.model = 'res.partner' AND m.res_id = pe.id
                     WHERE m.date >= %(start)s AND m.date < %(end)s
                       AND m.date <= %(now)s
                       AND (m.mail_activity_type_id IS NOT NULL
                            OR m.subtype_id = %(comment)s)
                    UNION ALL
                    SELECT m.id, m.author_id, m.date, m.mail_activity_type_id,
                           d.account_id, d.partner_id, d.user_id, pe.manager_id
                      FROM mail_message m
                      JOIN deals d ON m.model = 'crm.lead' AND m.res_id = d.id
                      JOIN people pe ON pe.id = d.partner_id
                     WHERE m.date >= %(start)s AND m.date < %(end)s
                       AND m.date <= %(now)s
                       AND (m.mail_activity_type_id IS NOT NULL
                            OR m.subtype_id = %(comment)s)
                ), recipients AS (
                    SELECT r.mail_message_id, r.res_partner_id
                      FROM mail_message_res_partner_rel r
                      JOIN msgs ms ON ms.id = r.mail_message_id
                ), received AS (
                    -- From their people (the account's own), to ours.
                    SELECT ms.id, ms.account_id, ms.author_id, ms.date, ms.deal_user,
                           ms.manager_id
                      FROM msgs ms
                      JOIN people au
                        ON au.id = ms.author_id AND au.account_id = ms.account_id
                     WHERE ms.mail_activity_type_id IS NULL
                ), our_recipients AS (
                    SELECT DISTINCT rc.mail_message_id, rc.res_partner_id AS partner_id
                      FROM recipients rc
                     WHERE rc.res_partner_id IN (SELECT partner_id FROM ours)
                ), evidence AS (
                    SELECT pe.account_id, o.partner_id AS our_id, pe.id AS their_id,
                           'meeting' AS kind, e.start AS date
                      FROM calendar_event e
                      JOIN calendar_event_res_partner_rel rt
                        ON rt.calendar_event_id = e.id
                      JOIN people pe ON pe.id = rt.res_partner_id
                      JOIN calendar_event_res_partner_rel ro
                        ON ro.calendar_event_id = e.id
                      JOIN (SELECT DISTINCT partner_id FROM ours) o
                        ON o.partner_id = ro.res_partner_id
                     WHERE e.active AND e.start >= %(start)s AND e.start < %(end)s
                       AND e.start <= %(now)s
                    UNION ALL
                    SELECT ms.account_id, ms.author_id,
                           COALESCE(th.id, ms.record_partner),
                           CASE WHEN ms.mail_activity_type_id IS NULL THEN 'sent'
                                WHEN t.category = 'phonecall' THEN 'call'
                                ELSE 'activity' END,
                           ms.date
                      FROM msgs ms
                      JOIN (SELECT DISTINCT partner_id FROM ours) o
                        ON o.partner_id = ms.author_id
                 LEFT JOIN mail_activity_type t ON t.id = ms.mail_activity_type_id
                 LEFT JOIN (SELECT rc.mail_message_id, pe.id, pe.account_id
                              FROM recipients rc
                              JOIN people pe ON pe.id = rc.res_partner_id) th
                        ON th.mail_message_id = ms.id
                       AND th.account_id = ms.account_id
                    UNION ALL
                    SELECT rv.account_id, orc.partner_id, rv.author_id, 'received',
                           rv.date
                      FROM received rv
                      JOIN our_recipients orc ON orc.mail_message_id = rv.id
                    UNION ALL
                    SELECT rv.account_id, COALESCE(du.partner_id, mu.partner_id),
                           rv.author_id, 'received', rv.date
                      FROM received rv
                 LEFT JOIN ours du ON du.user_id = rv.deal_user
                 LEFT JOIN ours mu ON mu.user_id = rv.manager_id
                     WHERE NOT EXISTS (SELECT 1 FROM our_recipients orc
                                        WHERE orc.mail_message_id = rv.id)
                )
                SELECT account_id, our_id, their_id,
                       COUNT(*) FILTER (WHERE kind = 'meeting'),
                       COUNT(*) FILTER (WHERE kind = 'call'),
                       COUNT(*) FILTER (WHERE kind = 'activity'),
                       COUNT(*) FILTER (WHERE kind = 'sent'),
                       COUNT(*) FILTER (WHERE kind = 'received'),
                       MAX(date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                  FROM evidence
                 WHERE our_id IS NOT NULL AND their_id IS NOT NULL
              GROUP BY account_id, our_id, their_id
                """,
                accounts=account_rows,
                company=company.id,
                start=start,
                end=end,
                now=fields.Datetime.now(),
                tz=self.env["kam.contact.evidence"]._kam_tz(),
                comment=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            )
        )
        return [
            (
                account_id,
                our_id,
                their_id,
                dict(zip(KINDS, counts, strict=True)),
                last,
            )
            for account_id, our_id, their_id, *counts, last in self.env.cr.fetchall()
        ]

    # -- the map
    @api.model
    def _kam_coverage(self, accounts, date_from=None, date_to=None):
        """``{account id: summary}`` of the current company's coverage of
        ``accounts`` over the period (default: the ``coverage.DEFAULT_PERIOD_DAYS``
        days to today). A summary: ``klass``, ``pairs`` ``{(our partner, their
        partner): {kinds..., "count", "last"}}``, ``their`` ``{contact: {name,
        function, role, level, last}}``, ``ours`` ``{partner: user}``,
        ``level_shares``, ``silent`` (watched stakeholders without contact within
        the cadence), ``silent_dm`` (the decision makers among them), ``cadence``,
        ``names`` ``{partner: name}`` of the people on the maps (one dict shared
        by the summaries of a call).
        A fixed number of queries."""
        today = fields.Date.context_today(self)
        date_to = date_to or today
        date_from = date_from or coverage.period_start(
            date_to, coverage.DEFAULT_PERIOD_DAYS
        )
        accounts = accounts.with_company(self.env.company)
        cadences = self._kam_coverage_account_values(
            accounts, ["kam_cadence_days", "kam_manager_id"]
        )
        rows = self._kam_coverage_interactions(accounts, date_from, date_to)
        roles = self._kam_coverage_roles(accounts)
        team = self._kam_coverage_team(accounts, values=cadences)
        users = self.env["res.users"].sudo().with_context(active_test=False)
        team_user_ids = {uid for ids in team.values() for uid in ids}
        # Our people in one query: the team's users and the users behind the
        # interactions' partners.
        our_users = users.search_fetch(
            [
                "|",
                ("id", "in", list(team_user_ids)),
                "&",
                ("partner_id", "in", list({row[1] for row in rows})),
                ("share", "=", False),
            ],
            ["partner_id", "share"],
        )
        team_users = our_users.filtered(lambda u: u.id in team_user_ids)
        user_of = {}
        for user in our_users.filtered(lambda u: not u.share):
            user_of.setdefault(user.partner_id.id, user)
        # Their people: the accounts' active contacts, and whoever else the evidence
        # or the roles name (the account itself, an archived contact); and the names
        # of our people. Plain columns, one query: the ORM's per-record reads would
        # cost more than the map.
        their_ids = {row[2] for row in rows} | {c for by in roles.values() for c in by}
        self.env["res.partner"].flush_model(["name", "function", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, name, function, commercial_partner_id,
                       (commercial_partner_id = ANY(%(ids)s) AND id != ALL(%(ids)s)
                        AND active) OR id = ANY(%(others)s)
                  FROM res_partner
                 WHERE (commercial_partner_id = ANY(%(ids)s) AND id != ALL(%(ids)s)
                        AND active)
                    OR id = ANY(%(others)s) OR id = ANY(%(ours)s)
              ORDER BY name, id
                """,
                ids=accounts.ids,
                others=list(their_ids),
                ours=our_users.partner_id.ids,
            )
        )
        contacts = []
        our_names = {}
        for contact_id, name, function, account_id, theirs in self.env.cr.fetchall():
            if theirs:
                contacts.append((contact_id, name, function, account_id))
            our_names[contact_id] = name or ""
        result = {}
        for account_id in accounts.ids:
            cadence_days = (
                cadences.get(account_id, {}).get("kam_cadence_days")
                or cadence.DEFAULT_CADENCE["d"]
            )
            result[account_id] = {
                "klass": coverage.COVERAGE_NONE,
                "pairs": {},
                "their": {},
                "ours": {},
                "names": our_names,
                "level_shares": {},
                "silent": [],
                "silent_dm": [],
                "cadence": cadence_days,
                "date_from": date_from,
                "date_to": date_to,
            }
        for contact_id, name, function, account_id in contacts:
            summary = result.get(account_id)
            if summary is None:
                continue
            role = roles.get(account_id, {}).get(contact_id)
            summary["their"][contact_id] = {
                "name": name or "",
                "function": function or "",
                "role": role or False,
                "level": coverage.contact_level(role, function),
                "last": None,
            }
        team_partner = {user.id: (user.partner_id.id, user) for user in team_users}
        for account_id, user_ids in team.items():
            if account_id in result:
                for user_id in user_ids:
                    partner_id, user = team_partner[user_id]
                    result[account_id]["ours"][partner_id] = user
        for account_id, our_id, their_id, counts, last in rows:
            summary = result[account_id]
            pair = dict(counts, count=sum(counts.values()), last=last)
            summary["pairs"][(our_id, their_id)] = pair
            summary["ours"].setdefault(our_id, user_of.get(our_id, users))
            their = summary["their"].get(their_id)
            if their and (not their["last"] or last > their["last"]):
                their["last"] = last
        for account_id, summary in result.items():
            levels = {c: v["level"] for c, v in summary["their"].items()}
            counts = {pair: v["count"] for pair, v in summary["pairs"].items()}
            summary["klass"] = coverage.classify(counts, levels)
            reached = {their for _our, their in counts}
            summary["level_shares"] = coverage.level_shares(
                levels[c] for c in reached if c in levels
            )
            last = {c: v["last"] for c, v in summary["their"].items()}
            account_roles = roles.get(account_id, {})
            summary["silent"] = coverage.silent_stakeholders(
                account_roles, last, date_to, summary["cadence"]
            )
            summary["silent_dm"] = [
                c
                for c in summary["silent"]
                if account_roles.get(c) == coverage.ROLE_DECISION_MAKER
            ]
        return result

    @api.model
    def _kam_coverage_lines(self, summaries, today=None):
        """The map's lines as values of ``kam.coverage.line``: one per pair with
        interactions, and one per contact or team member nobody reached."""
        today = today or fields.Date.context_today(self)
        labels = self._kam_coverage_role_labels()
        users = self.env["res.users"]
        values = []
        for account_id, summary in summaries.items():
            reached_ours = {our for our, _their in summary["pairs"]}
            reached_theirs = {their for _our, their in summary["pairs"]}
            common = {
                "account_id": account_id,
                "date_from": summary["date_from"],
                "date_to": summary["date_to"],
                "coverage_class": summary["klass"],
            }
            for (our, their), pair in summary["pairs"].items():
                values.append(
                    dict(
                        common,
                        **self._kam_coverage_their_values(summary, their, labels),
                        our_partner_id=our,
                        our_user_id=summary["ours"].get(our, users).id or False,
                        interaction_count=pair["count"],
                        meeting_count=pair["meeting"],
                        call_count=pair["call"],
                        activity_count=pair["activity"],
                        sent_count=pair["sent"],
                        received_count=pair["received"],
                        last_date=pair["last"],
                        recency=coverage.recency(
                            pair["last"], today, summary["cadence"]
                        ),
                    )
                )
            for their in summary["their"]:
                if their not in reached_theirs:
                    values.append(
                        dict(
                            common,
                            **self._kam_coverage_their_values(summary, their, labels),
                            recency=coverage.RECENCY_NONE,
                        )
                    )
            for our, user in summary["ours"].items():
                if our not in reached_ours:
                    values.append(
                        dict(
                            common,
                            our_partner_id=our,
                            our_user_id=user.id or False,
                            recency=coverage.RECENCY_NONE,
                        )
                    )
        return values

    @api.model
    def _kam_coverage_their_values(self, summary, their, labels):
        info = summary["their"].get(their)
        if not info:
            return {"their_partner_id": their}
        return {
            "their_partner_id": their,
            "their_role": labels.get(info["role"], "") if info["role"] else False,
            "their_level": info["level"],
            "is_watched": info["role"] in coverage.WATCHED_ROLES,
        }

    @api.model
    def _kam_coverage_names(self, summaries, partner_ids):
        """``{partner id: name}`` of ``partner_ids``: the names ``summaries`` hold
        (one dict shared by the summaries of a call, merged once), a read only for
        those they lack."""
        names = {}
        merged = set()
        for summary in summaries:
            if id(summary["names"]) not in merged:
                merged.add(id(summary["names"]))
                names.update(summary["names"])
        missing = self.env["res.partner"].sudo().browse(set(partner_ids) - set(names))
        for partner in missing:
            names[partner.id] = partner.name or ""
        return names

    # -- the matrix
    @api.model
    def _kam_coverage_html(self, summary):
        """The map of one account as HTML: a matrix (our people in rows, theirs in
        columns, each cell coloured by recency) on a screen, a card per pair on a
        phone."""
        today = fields.Date.context_today(self)
        names = self._kam_coverage_names(
            [summary], {our for our, _their in summary["pairs"]} | set(summary["ours"])
        )
        theirs = sorted(
            summary["their"].items(),
            key=lambda item: (
                coverage.SENIORITY.get(item[1]["level"], 3),
                item[1]["name"] or "",
            ),
        )
        ours = sorted(summary["ours"], key=lambda p: names.get(p) or "")
        labels = self._kam_coverage_role_labels()
        levels = dict(
            self.env["kam.coverage.line"]
            ._fields["their_level"]
            ._description_selection(self.env)
        )
        recencies = dict(
            self.env["kam.coverage.line"]
            ._fields["recency"]
            ._description_selection(self.env)
        )
        if not theirs or not ours:
            return Markup('<p class="text-muted">%s</p>') % self.env._(
                "No contact of the account, or nobody of ours, to map yet."
            )

        def their_head(info):
            extra = labels.get(info["role"]) or levels.get(info["level"], "")
            return Markup("%s<br/><small class='text-muted'>%s</small>") % (
                info["name"],
                extra,
            )

        def cell(our, their):
            pair = summary["pairs"].get((our, their))
            if not pair:
                return Markup('<td class="text-center text-muted">-</td>')
            colour = RECENCY_CLASSES[
                coverage.recency(pair["last"], today, summary["cadence"])
            ]
            last = format_date(self.env, pair["last"]) if pair["last"] else ""
            return Markup(
                '<td class="text-center"><span class="badge %s" title="%s">%s</span>'
                "<br/><small>%s</small></td>"
            ) % (colour, last, pair["count"], last)

        head = Markup("").join(
            Markup('<th class="text-center">%s</th>') % their_head(info)
            for _their, info in theirs
        )
        body = Markup("").join(
            Markup("<tr><th>%s</th>%s</tr>")
            % (
                names.get(our, ""),
                Markup("").join(cell(our, their) for their, _info in theirs),
            )
            for our in ours
        )
        matrix = Markup(
            '<div class="d-none d-md-block o_kam_coverage_matrix table-responsive">'
            '<table class="table table-sm table-bordered align-middle">'
            "<thead><tr><th>%s</th>%s</tr></thead><tbody>%s</tbody></table></div>"
        ) % (self.env._("Our people / theirs"), head, body)
        cards = []
        for our in ours:
            for their, info in theirs:
                pair = summary["pairs"].get((our, their))
                if not pair:
                    continue
                key = coverage.recency(pair["last"], today, summary["cadence"])
                cards.append(
                    Markup(
                        '<li class="list-group-item d-flex justify-content-between '
                        'align-items-center gap-2"><span>%s &#8596; %s</span>'
                        '<span class="badge %s text-wrap text-end">%s &#183; %s</span>'
                        "</li>"
                    )
                    % (
                        names.get(our, ""),
                        their_head(info),
                        RECENCY_CLASSES[key],
                        pair["count"],
                        recencies[key],
                    )
                )
        unreached = [info for their, info in theirs if info["last"] is None]
        for info in unreached:
            cards.append(
                Markup(
                    '<li class="list-group-item d-flex justify-content-between '
                    'align-items-center gap-2"><span>%s</span>'
                    '<span class="badge text-bg-light text-wrap">%s</span></li>'
                )
                % (their_head(info), recencies[coverage.RECENCY_NONE])
            )
        phone = Markup(
            '<ul class="d-md-none list-group o_kam_coverage_cards">%s</ul>'
        ) % Markup("").join(cards)
        return matrix + phone

    # -- risks
    @api.model
    def _kam_coverage_risks(self, accounts):
        """``(single, silent)``: ``{account id: text}`` of the accounts whose
        relationship hangs on one thread (or none) and of those whose decision maker
        had no contact within the cadence, with the words the cockpit shows."""
        summaries = self._kam_coverage(accounts)
        single, silent = {}, {}
        partner_ids = set()
        for summary in summaries.values():
            partner_ids |= set(summary["ours"]) | {t for _o, t in summary["pairs"]}
        names = self._kam_coverage_names(summaries.values(), partner_ids)
        for account_id, summary in summaries.items():
            if summary["klass"] in coverage.AT_RISK_CLASSES:
                if summary["pairs"]:
                    ours = sorted({names.get(o, "") for o, _t in summary["pairs"]})
                    theirs = sorted({names.get(t, "") for _o, t in summary["pairs"]})
                    single[account_id] = self.env._(
                        "%(ours)s with %(theirs)s only",
                        ours=", ".join(ours),
                        theirs=", ".join(theirs),
                    )
                else:
                    single[account_id] = self.env._(
                        "nobody reached in %(days)s days",
                        days=(summary["date_to"] - summary["date_from"]).days + 1,
                    )
            if summary["silent_dm"]:
                silent[account_id] = self.env._(
                    "%(people)s: no contact within %(days)s days",
                    people=", ".join(names.get(c, "") for c in summary["silent_dm"]),
                    days=summary["cadence"],
                )
        return single, silent


class KamCoverageLine(models.TransientModel):
    """A line of the coverage map: one of our people and one of theirs, with the
    interactions between them over the period. Built on request for the accounts
    the user may read (``action_kam_coverage_map``), visible to its builder only."""

    _name = "kam.coverage.line"
    _description = "Key account coverage map line"
    _order = "account_id, interaction_count desc, last_date desc, id"
    _transient_max_hours = 2.0

    account_id = fields.Many2one(
        "res.partner", "Key Account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True)
    our_partner_id = fields.Many2one("res.partner", "Our Person", ondelete="cascade")
    our_user_id = fields.Many2one("res.users", "Our User", ondelete="cascade")
    their_partner_id = fields.Many2one(
        "res.partner", "Their Person", ondelete="cascade"
    )
    their_function = fields.Char(related="their_partner_id.function")
    their_role = fields.Char("Stakeholder Role")
    their_level = fields.Selection(LEVELS, "Level", default=coverage.LEVEL_UNKNOWN)
    is_watched = fields.Boolean(
        "Decision Maker or Influencer",
        help="A decision maker or an influencer of the account plan.",
    )
    coverage_class = fields.Selection(COVERAGE_CLASSES, "Account Coverage")
    interaction_count = fields.Integer("Interactions")
    meeting_count = fields.Integer("Meetings")
    call_count = fields.Integer("Calls")
    activity_count = fields.Integer("Activities")
    sent_count = fields.Integer("Messages Sent")
    received_count = fields.Integer("Messages Received")
    last_date = fields.Date("Last Interaction")
    recency = fields.Selection(RECENCIES, default=coverage.RECENCY_NONE)
    color = fields.Integer(compute="_compute_color")
    tier = fields.Selection(related="account_id.kam_tier", string="Tier", readonly=True)
    manager_id = fields.Many2one(
        related="account_id.kam_manager_id", string="Account Manager", readonly=True
    )

    @api.depends("recency")
    def _compute_color(self):
        for line in self:
            line.color = RECENCY_COLORS.get(line.recency, 0)


class KamCoverageAccount(models.TransientModel):
    """An account's coverage figures, for the pivot over all key accounts (coverage
    by tier, by manager). Built on request, visible to its builder only."""

    _name = "kam.coverage.account"
    _description = "Key account coverage figures"
    _order = "coverage_class, account_id"
    _transient_max_hours = 2.0

    account_id = fields.Many2one(
        "res.partner", "Key Account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    tier = fields.Selection(TIERS, readonly=True)
    manager_id = fields.Many2one("res.users", "Account Manager", readonly=True)
    coverage_class = fields.Selection(COVERAGE_CLASSES, "Coverage", readonly=True)
    our_count = fields.Integer("Our People in Contact", readonly=True)
    their_count = fields.Integer("Their People in Contact", readonly=True)
    contact_count = fields.Integer("Their Contacts", readonly=True)
    interaction_count = fields.Integer("Interactions", readonly=True)
    executive_share = fields.Float(
        "Executives Reached (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    management_share = fields.Float(
        "Management Reached (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    operational_share = fields.Float(
        "Operational Reached (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    silent_count = fields.Integer(
        "Silent Decision Makers and Influencers", readonly=True
    )
    decision_maker_silent = fields.Boolean(
        "Decision Maker Without Contact", readonly=True
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_coverage_class = fields.Selection(
        COVERAGE_CLASSES,
        "Relationship Coverage",
        compute="_compute_kam_coverage",
        help="Over the last 180 days: single-threaded when one person on either "
        "side carries the relationship, multi-threaded when several people on both "
        "sides reach several levels of the customer.",
    )
    kam_coverage_dm_silent = fields.Boolean(
        "Decision Maker Without Contact",
        compute="_compute_kam_coverage",
        help="A decision maker of the account plan had no contact within the "
        "account's cadence.",
    )
    kam_coverage_summary = fields.Char(
        "Coverage Summary", compute="_compute_kam_coverage"
    )
    kam_coverage_html = fields.Html(
        "Coverage Map", compute="_compute_kam_coverage", sanitize=False
    )

    @api.depends_context("company", "lang")
    def _compute_kam_coverage(self):
        accounts = self.filtered(lambda p: isinstance(p.id, int) and not p.parent_id)
        summaries = self.env["kam.coverage"]._kam_coverage(accounts) if accounts else {}
        coverage_model = self.env["kam.coverage"]
        for partner in self:
            summary = summaries.get(partner.id)
            if not summary:
                partner.kam_coverage_class = False
                partner.kam_coverage_dm_silent = False
                partner.kam_coverage_summary = False
                partner.kam_coverage_html = False
                continue
            partner.kam_coverage_class = summary["klass"]
            partner.kam_coverage_dm_silent = bool(summary["silent_dm"])
            shares = summary["level_shares"]
            partner.kam_coverage_summary = self.env._(
                "%(ours)s of ours, %(theirs)s of theirs in contact over %(days)s days; "
                "executives %(executive)s%%, management %(management)s%%, "
                "operational %(operational)s%%",
                ours=len({our for our, _their in summary["pairs"]}),
                theirs=len({their for _our, their in summary["pairs"]}),
                days=(summary["date_to"] - summary["date_from"]).days + 1,
                executive=round(shares.get(coverage.LEVEL_EXECUTIVE, 0)),
                management=round(shares.get(coverage.LEVEL_MANAGEMENT, 0)),
                operational=round(shares.get(coverage.LEVEL_OPERATIONAL, 0)),
            )
            partner.kam_coverage_html = coverage_model._kam_coverage_html(summary)

    # -- actions
    def _kam_coverage_period(self):
        days = self.env.context.get("kam_coverage_days") or coverage.DEFAULT_PERIOD_DAYS
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ValidationError(
                self.env._("A coverage period is a whole number of days.")
            )
        today = fields.Date.context_today(self)
        return coverage.period_start(today, days), today

    def action_kam_coverage_map(self):
        """Build the coverage map of these accounts (for the current user, over the
        period of the context's ``kam_coverage_days``) and open it."""
        self.check_access("read")
        accounts = self.commercial_partner_id
        date_from, date_to = self._kam_coverage_period()
        engine = self.env["kam.coverage"]
        summaries = engine._kam_coverage(accounts, date_from, date_to)
        # Written by the system for the user (read-only to them), who sees only the
        # lines they built.
        Line = self.env["kam.coverage.line"].sudo()
        Line.search(
            [("account_id", "in", accounts.ids), ("create_uid", "=", self.env.uid)]
        ).unlink()
        Line.create(engine._kam_coverage_lines(summaries))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Coverage Map"),
            "res_model": "kam.coverage.line",
            "view_mode": "list,kanban,pivot",
            "views": [
                (self.env.ref("kam_management.view_kam_coverage_line_list").id, "list"),
                (
                    self.env.ref("kam_management.view_kam_coverage_line_kanban").id,
                    "kanban",
                ),
                (
                    self.env.ref("kam_management.view_kam_coverage_line_pivot").id,
                    "pivot",
                ),
            ],
            "domain": [("account_id", "in", accounts.ids)],
            "context": {"search_default_group_account": len(accounts) > 1},
        }

    @api.model
    def action_kam_coverage_overview(self):
        """The coverage figures of every key account the user may see, for the pivot
        (coverage by tier, by manager)."""
        accounts = self.search(
            [("kam_is_account", "=", True), ("kam_is_key_account", "=", True)]
        )
        date_from, date_to = self._kam_coverage_period()
        summaries = self.env["kam.coverage"]._kam_coverage(accounts, date_from, date_to)
        Figures = self.env["kam.coverage.account"].sudo()
        Figures.search([("create_uid", "=", self.env.uid)]).unlink()
        values = []
        for account in accounts.with_company(self.env.company):
            summary = summaries[account.id]
            shares = summary["level_shares"]
            values.append(
                {
                    "account_id": account.id,
                    "tier": account.kam_tier or False,
                    "manager_id": account.kam_manager_id.id,
                    "coverage_class": summary["klass"],
                    "our_count": len({o for o, _t in summary["pairs"]}),
                    "their_count": len({t for _o, t in summary["pairs"]}),
                    "contact_count": len(summary["their"]),
                    "interaction_count": sum(
                        p["count"] for p in summary["pairs"].values()
                    ),
                    "executive_share": shares.get(coverage.LEVEL_EXECUTIVE, 0.0),
                    "management_share": shares.get(coverage.LEVEL_MANAGEMENT, 0.0),
                    "operational_share": shares.get(coverage.LEVEL_OPERATIONAL, 0.0),
                    "silent_count": len(summary["silent"]),
                    "decision_maker_silent": bool(summary["silent_dm"]),
                }
            )
        Figures.create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Relationship Coverage"),
            "res_model": "kam.coverage.account",
            "view_mode": "pivot,list",
            "views": [
                (
                    self.env.ref("kam_management.view_kam_coverage_account_pivot").id,
                    "pivot",
                ),
                (
                    self.env.ref("kam_management.view_kam_coverage_account_list").id,
                    "list",
                ),
            ],
        }

    def action_kam_coverage_rating(self):
        """Propose the ratings of access to key people and of contacts in the
        customer's company from the map; the manager applies them or not."""
        self.ensure_one()
        return self.env["kam.coverage.rating"]._kam_open(self.commercial_partner_id)

    def action_kam_coverage_suggest(self):
        """Plan the meetings that would thicken a single-threaded relationship: our
        senior person (the manager's team leader, else the manager) for their
        decision makers and executives, the account's manager for the others. One
        planned activity per suggestion, none twice."""
        self.ensure_one()
        self.check_access("write")
        account = self.commercial_partner_id.with_company(self.env.company)
        summary = self.env["kam.coverage"]._kam_coverage(account)[account.id]
        manager = account.kam_manager_id or self.env.user
        senior = manager.sale_team_id.user_id or manager
        reached = {their for _our, their in summary["pairs"]}
        people = [
            (contact, info["level"], info["role"])
            for contact, info in summary["their"].items()
            if contact != account.id
        ]
        suggestions = coverage.suggest_contacts(people, reached, senior, manager)
        activity_type = self.env.ref("kam_management.mail_activity_type_kam_visit")
        names = {
            p.id: p.name for p in self.env["res.partner"].browse(list(summary["their"]))
        }
        open_summaries = {
            (activity.user_id, activity.summary)
            for activity in account.activity_search(
                ["kam_management.mail_activity_type_kam_visit"]
            )
        }
        created = 0
        for user, contact in suggestions:
            text = self.env._("Meet %(contact)s", contact=names.get(contact, ""))
            if (user, text) in open_summaries:
                continue
            account.activity_schedule(
                activity_type_id=activity_type.id,
                summary=text,
                user_id=user.id,
                note=self.env._(
                    "The relationship hangs on one thread: meet another person of "
                    "the customer."
                ),
            )
            open_summaries.add((user, text))
            created += 1
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "info",
                "message": self.env._("%(count)s meetings planned.", count=created)
                if created
                else self.env._("Nothing new to plan: the meetings are planned."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
