import datetime
import json
from collections import Counter, defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..jobs import try_job_lock
from ..logic import cadence, cockpit, revenue, scoring, tiering
from .res_partner import KAM_HISTORY_FIELDS as HISTORY_FIELDS

# The advisory lock of the daily job: one worker at a time.
DAILY_JOB_LOCK = "kam_management.daily_refresh"
# Kanban highlight colours (web's palette) of each temperature.
TEMPERATURE_COLORS = {"hot": 1, "warm": 2, "mild": 3, "cool": 4, "cold": 8, "none": 0}
# What the refresh measures from the database, per account and company.
MEASURED_FIELDS = (
    "kam_revenue_12m",
    "kam_revenue_prev_12m",
    "kam_purchase_count_12m",
    "kam_has_prospects",
    "kam_last_contact_date",
    "kam_tier_computed",
    "kam_lookalike_score",
    "kam_is_lookalike",
    "kam_overdue_since",
    "kam_refresh_date",
)
# What follows from the measures, the inputs (override, ratings) and the company's
# settings (_kam_derive).
DERIVED_FIELDS = (
    "kam_tier",
    "kam_is_key_account",
    "kam_revenue_trend",
    "kam_revenue_declining",
    "kam_lifetime_value",
    "kam_attractiveness_score",
    "kam_potential_score",
    "kam_relationship_score",
    "kam_quadrant",
    "kam_cadence_days",
    "kam_next_contact_date",
    "kam_temperature_ratio",
    "kam_temperature",
    "kam_temperature_color",
)
# The inputs people give, read by the derivation.
INPUT_FIELDS = ("kam_manager_id", "kam_tier_override")
# What an account's look-alike profile is made of (tiering.profile).
PROFILE_FIELDS = ("industry_id", "country_id", "state_id", "kam_company_size")
REFRESH_FIELDS = MEASURED_FIELDS + DERIVED_FIELDS


class KamRefresh(models.AbstractModel):
    """The daily refresh of the key accounts, one company at a time: each company's
    figures come from its own sales and contacts, in its currency, against its own
    benchmark and settings, whichever company runs the job and in whatever order.

    A batch of accounts goes through small steps, each overridable and each a fixed
    number of queries whatever the batch size: revenue (kam.revenue), contact
    evidence (kam.contact.evidence), tiers, derived figures, look-alikes, cadence
    breaches, one write, the history, reminders and feedback requests."""

    _name = "kam.refresh"
    _description = "Key account refresh engine"

    # -- the job
    @api.model
    def _kam_companies(self):
        return self.env["res.company"].sudo().search([], order="id")

    @api.model
    def _kam_pending_domain(self, company, today):
        """The accounts of ``company`` not refreshed on ``today`` (read in the
        company's context)."""
        return self.env["res.partner"]._kam_account_domain(company, in_sql=True) + [
            "|",
            ("kam_refresh_date", "=", False),
            ("kam_refresh_date", "<", today),
        ]

    @api.model
    def _kam_cron_daily(self, batch_size=None):
        """Refresh one batch of accounts not yet refreshed today, company after
        company; the cron runner calls it again while accounts remain. Running it
        twice, or again after a crash, only picks up the accounts that were not
        refreshed: every batch is complete or absent, and so is the company's
        position it moves (``res.company.kam_refresh_cursor``, in the same
        transaction)."""
        if not try_job_lock(self.env.cr, DAILY_JOB_LOCK):
            # Another worker (the cron, a manual run) is on it: it would write the
            # same batch and raise the same reminders.
            return 0
        today = fields.Date.context_today(self)
        if batch_size is None:
            batch_size = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("kam_management.refresh_batch_size", 1000)
            )
        companies = self._kam_companies()
        companies._kam_refresh_benchmarks(today)
        # Once a day, not for every batch: who stopped being an account since
        # yesterday leaves the lists.
        if companies.filtered(lambda c: c.kam_accounts_checked_date != today):
            self._kam_forget_non_accounts()
            companies.sudo()._kam_mark_accounts_checked(today)
        done = ahead = 0
        # First the accounts after each company's position (an index range: a batch
        # does not scan again the accounts refreshed before it); when those run
        # out, a sweep of those left below it (queued again since, or new accounts
        # of an old partner). The search reads a batch further than it takes: what
        # it sees beyond is the progress the cron reports.
        for sweep in (False, True):
            for company in companies:
                need = batch_size - done
                if need <= 0:
                    break
                position = company._kam_refresh_position(today)
                if sweep and not position:
                    continue
                partners = self.env["res.partner"].sudo().with_company(company)
                found = partners.search(
                    self._kam_pending_domain(company, today)
                    + [("id", "<=" if sweep else ">", position)],
                    limit=need + batch_size,
                    order="id",
                )
                accounts = found[:need]
                ahead += len(found) - len(accounts)
                if not accounts:
                    continue
                self.sudo().with_company(company)._kam_refresh_accounts(accounts, today)
                done += len(accounts)
                if not sweep:
                    company._kam_move_refresh_position(today, accounts[-1].id)
            if done >= batch_size:
                break
        # After a full batch: the accounts seen beyond it (up to a batch), and at
        # least one, so that the cron runner calls the job again and the sweep
        # finds any account left below a position. An exact count would scan every
        # account after every batch.
        remaining = max(ahead, 1) if done >= batch_size else 0
        if not remaining:
            # Every account is refreshed: the day's compliance figures are final.
            self.env["kam.cadence.snapshot"]._kam_take_snapshot(today, companies)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    # -- one batch of one company (self.env.company)
    def _kam_refresh_accounts(self, partners, today):
        """Refresh ``partners`` (accounts) for the current company."""
        if not partners:
            return
        company = self.env.company
        settings = company._kam_settings()
        partners = partners.with_company(company)
        # The queries below read the database: pending ORM writes go first.
        self.env.flush_all()
        current = self._kam_read(partners)
        values = {pid: dict(vals) for pid, vals in current.items()}
        self._kam_refresh_revenue(partners, company, today, values)
        self._kam_refresh_contacts(partners, company, values)
        self._kam_refresh_tiers(partners, settings, values)
        self._kam_derive(partners, settings, values)
        self._kam_refresh_lookalikes(partners, company, settings, values, current)
        breaches = self._kam_refresh_breaches(partners, today, values)
        for vals in values.values():
            vals["kam_refresh_date"] = today
        self._kam_store(partners, current, values)
        self._kam_refresh_history(partners, settings, current, values, breaches)
        # Reminders and feedback requests: one search of the open ones, one create
        # (each create of activities costs a dozen queries whatever its size).
        opened = self._kam_open_activities(
            partners, self._kam_guarded_activity_types(company)
        )
        activities = self._kam_refresh_reminders(
            partners, company, today, values, opened
        )
        activities += self._kam_refresh_feedback(partners, today, values, opened)
        self._kam_create_activities(activities)

    def _kam_read(self, partners):
        """{account id: {field: value}} of the refresh's fields, its inputs and the
        accounts' profiles as stored for the current company: one query, the values
        taken out of the jsonb columns by PostgreSQL (``_field_to_sql``, as the ORM
        reads them), without filling the ORM cache field by field. Many2one values
        are ids."""
        model = partners.env["res.partner"]
        fnames = REFRESH_FIELDS + INPUT_FIELDS + PROFILE_FIELDS
        query = model._where_calc([("id", "in", partners.ids)], active_test=False)
        table = query.table
        self.env.cr.execute(
            query.select(
                SQL.identifier(table, "id"),
                SQL.identifier(table, "create_date"),
                *(model._field_to_sql(table, fname, query) for fname in fnames),
            )
        )
        empty = {fname: self._kam_empty_value(model._fields[fname]) for fname in fnames}
        result = {}
        for row in self.env.cr.fetchall():
            vals = {
                fname: empty[fname] if value is None else value
                for fname, value in zip(fnames, row[2:], strict=True)
            }
            vals["create_date"] = row[1]
            result[row[0]] = vals
        return result

    @api.model
    def _kam_empty_value(self, field):
        """The value the ORM reads for an empty company-dependent field."""
        return {"boolean": False, "integer": 0, "float": 0.0}.get(field.type, False)

    def _kam_refresh_revenue(self, partners, company, today, values):
        revenues = self.env["kam.revenue"]
        stats = revenues._kam_revenue_stats(partners, company, today)
        prospects = revenues._kam_prospects(partners, company)
        for partner in partners:
            rev_12m, rev_prev, count = stats.get(partner.id, (0.0, 0.0, 0))
            values[partner.id].update(
                kam_revenue_12m=float(rev_12m or 0.0),
                kam_revenue_prev_12m=float(rev_prev or 0.0),
                kam_purchase_count_12m=count or 0,
                kam_has_prospects=partner.id in prospects or partner.id in stats,
            )

    def _kam_refresh_contacts(self, partners, company, values):
        # Only evidence counts: a date nothing in the database backs (or one in the
        # future) is never kept.
        last = self.env["kam.contact.evidence"]._kam_last_contacts(partners, company)
        for partner in partners:
            values[partner.id]["kam_last_contact_date"] = last.get(partner.id) or False

    def _kam_refresh_tiers(self, partners, settings, values):
        for partner in partners:
            vals = values[partner.id]
            vals["kam_tier_computed"] = tiering.compute_tier(
                vals["kam_revenue_12m"],
                settings["benchmark"],
                settings["b_ratio"],
                settings["c_ratio"],
                has_prospects=vals["kam_has_prospects"],
                cutoffs=settings["tier_cutoffs"],
            )

    def _kam_derive(self, partners, settings, values):
        """Complete ``values`` with the figures that follow from the measures, the
        override, the ratings and the settings (DERIVED_FIELDS)."""
        ratings = self._kam_ratings(partners)
        for partner in partners:
            vals = values[partner.id]
            tier = vals["kam_tier_override"] or vals["kam_tier_computed"] or False
            change = revenue.trend(
                vals["kam_revenue_12m"], vals["kam_revenue_prev_12m"]
            )
            count = vals["kam_purchase_count_12m"]
            average = vals["kam_revenue_12m"] / count if count else 0.0
            by_axis = ratings.get(partner.id, {})
            scores = {
                axis: scoring.weighted_score(by_axis.get(axis, [])) or 0.0
                for axis in ("attractiveness", "potential", "relationship")
            }
            quadrant = False
            if {"attractiveness", "relationship"} <= set(by_axis):
                quadrant = scoring.quadrant(
                    scores["attractiveness"],
                    scores["relationship"],
                    settings["attractiveness_threshold"],
                    settings["relationship_threshold"],
                )
            days = cadence.cadence_days(tier, settings["cadence"]) if tier else 0
            next_date = False
            if days:
                # Never contacted: due from the day it was created, in the user's
                # time zone (as "today" is), not the server's.
                fallback = fields.Date.context_today(self, vals["create_date"] or None)
                next_date = cadence.next_contact_date(
                    vals["kam_last_contact_date"], days, fallback
                )
            ratio, level = tiering.temperature(
                vals["kam_revenue_12m"],
                tier,
                settings["benchmark"],
                settings["b_ratio"],
                settings["c_ratio"],
                settings["temperature"],
            )
            vals.update(
                kam_tier=tier,
                kam_is_key_account=tier == "a" or quadrant == "key",
                kam_revenue_trend=change or 0.0,
                kam_revenue_declining=revenue.is_declining(
                    change, settings["decline_threshold"]
                ),
                kam_lifetime_value=revenue.lifetime_value(
                    average, count, settings["ltv_years"]
                ),
                kam_attractiveness_score=scores["attractiveness"],
                kam_potential_score=scores["potential"],
                kam_relationship_score=scores["relationship"],
                kam_quadrant=quadrant,
                kam_cadence_days=days,
                kam_next_contact_date=next_date,
                kam_temperature_ratio=ratio,
                kam_temperature=level,
                kam_temperature_color=TEMPERATURE_COLORS[level],
            )

    def _kam_ratings(self, partners):
        """{account id: {axis: [(score, weight)]}} of the current company's ratings.
        One query."""
        lines = (
            self.env["kam.partner.score"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id", "axis", "score", "weight"],
            )
        )
        ratings = defaultdict(lambda: defaultdict(list))
        for line in lines:
            ratings[line.partner_id.id][line.axis].append((line.score, line.weight))
        return ratings

    def _kam_refresh_lookalikes(
        self, partners, company, settings, values, current=None
    ):
        """Look-alikes compare with the company's tier A accounts as they stood when
        the day's run began (their profiles counted once a day with the benchmark,
        ``res.company.kam_tier_a_profiles``), the batch's own as just derived: no
        scan of every account for every batch. ``current``: the batch's figures as
        stored before it (its accounts that were tier A leave the day's count)."""
        profiles = self._kam_profiles(values)
        counts = Counter(self._kam_day_tier_a_profiles(company))
        for pid, vals in (current or {}).items():
            if vals["kam_tier"] == "a":
                counts[profiles[pid]] -= 1
        references = {profile for profile, count in counts.items() if count > 0}
        references |= {
            profiles[pid] for pid, vals in values.items() if vals["kam_tier"] == "a"
        }
        for partner in partners:
            vals = values[partner.id]
            matches = 0
            if vals["kam_tier"] != "a":
                matches = tiering.lookalike_matches(profiles[partner.id], references)
            vals["kam_lookalike_score"] = matches
            vals["kam_is_lookalike"] = matches >= settings["lookalike_min_match"]

    @api.model
    def _kam_day_tier_a_profiles(self, company):
        """``{profile: number of accounts}`` of the company's tier A accounts at the
        day's benchmark (``_kam_tier_a_profile_counts`` as stored on the company)."""
        return {
            tiering.profile(
                industry or False,
                (country, state or False) if country else None,
                size or False,
            ): count
            for industry, country, state, size, count in company.kam_tier_a_profiles
            or []
        }

    @api.model
    def _kam_profiles(self, values):
        """{account id: look-alike profile} from the accounts' ``values`` (as read
        by ``_kam_read``)."""
        return {
            pid: tiering.profile(
                vals["industry_id"],
                (vals["country_id"], vals["state_id"]) if vals["country_id"] else None,
                vals["kam_company_size"],
            )
            for pid, vals in values.items()
        }

    @api.model
    def _kam_tier_a_profile_counts(self, company):
        """``[[industry, country, state, size, count]]``: the distinct profiles of
        ``company``'s tier A accounts with their number, as stored now; one query
        that returns a handful of rows, not the accounts. The daily job takes them
        once a day, with the benchmark."""
        partners = self.env["res.partner"].sudo().with_company(company)
        domain = partners._kam_account_domain(company, in_sql=True) + [
            ("kam_tier", "=", "a")
        ]
        query = partners._search(domain)
        table = query.table
        columns = ("industry_id", "country_id", "state_id", "kam_company_size")
        query.groupby = SQL(", ").join(SQL.identifier(table, f) for f in columns)
        self.env.flush_all()
        self.env.cr.execute(
            query.select(*(SQL.identifier(table, f) for f in columns), SQL("COUNT(*)"))
        )
        return [list(row) for row in self.env.cr.fetchall()]

    def _kam_refresh_breaches(self, partners, today, values):
        """Open an overdue spell (one cadence breach) for the managed accounts whose
        next contact is overdue, close the spell of those contacted since. Never a
        second breach for the same spell. Returns the breach rows for the history."""
        rows = []
        for partner in partners:
            vals = values[partner.id]
            overdue = bool(vals["kam_manager_id"]) and cadence.is_overdue(
                vals["kam_next_contact_date"], today
            )
            if cockpit.breach_starts(vals["kam_overdue_since"], overdue):
                vals["kam_overdue_since"] = vals["kam_next_contact_date"]
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
                            date=vals["kam_next_contact_date"],
                            tier=(vals["kam_tier"] or "").upper(),
                            days=vals["kam_cadence_days"],
                        ),
                        "manager_id": vals["kam_manager_id"],
                    }
                )
            elif vals["kam_overdue_since"] and not overdue:
                vals["kam_overdue_since"] = False
        return rows

    def _kam_store(self, partners, current, values):
        """Write the refresh's fields of the accounts whose figures changed, for the
        current company: one UPDATE of the accounts whose figures changed, one of the
        refresh date of the others.

        The ORM's write would cost a write() call per account (their values differ)
        and a flush per group of changed fields: this is the hot path of the daily
        job, so the values go straight into the company's key of each field's jsonb
        column, as the ORM stores company-dependent fields (a value equal to the
        field's empty value is removed, which reads as empty), from one JSON
        document. Only system fields are written (no tracking, no user input) and the
        cache is invalidated after."""
        fnames = [f for f in REFRESH_FIELDS if f != "kam_refresh_date"]
        changed_ids, dated_ids, moved = [], [], set()
        for pid in partners.ids:
            old, new = current[pid], values[pid]
            fields_moved = [f for f in fnames if new[f] != old[f]]
            if fields_moved:
                changed_ids.append(pid)
                moved.update(fields_moved)
            elif new["kam_refresh_date"] != old["kam_refresh_date"]:
                dated_ids.append(pid)
        # Only the columns some account's figure moved in (the scores of a company
        # that rates nobody never do), and most days most accounts only get their
        # refresh date: a one-column UPDATE.
        columns = [f for f in REFRESH_FIELDS if f in moved or f == "kam_refresh_date"]
        self._kam_store_rows(partners, values, changed_ids, columns)
        self._kam_store_rows(partners, values, dated_ids, ("kam_refresh_date",))

    def _kam_store_rows(self, partners, values, ids, fnames):
        if not ids:
            return
        model = partners.env["res.partner"]
        key = str(self.env.company.id)
        empty = {fname: self._kam_empty_value(model._fields[fname]) for fname in fnames}
        # The values as one JSON document, a row per account, typed back by
        # PostgreSQL (json_to_recordset): cheaper to send than an array per column.
        # An empty value is left out (NULL): it removes the company's key, which
        # reads as empty, as the ORM stores it.
        rows = []
        for pid in ids:
            row = {"id": pid}
            for fname in fnames:
                value = values[pid][fname]
                if value is not None and value != empty[fname]:
                    row[fname] = value
            rows.append(row)
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner SET %(assignments)s
                  FROM json_to_recordset(%(rows)s) AS v(id int4, %(columns)s)
                 WHERE res_partner.id = v.id
                """,
                assignments=SQL(", ").join(
                    SQL(
                        "%(column)s = NULLIF(jsonb_strip_nulls(COALESCE(%(table)s, "
                        "'{}'::jsonb) || jsonb_build_object(%(key)s, v.%(column)s)), "
                        "'{}'::jsonb)",
                        column=SQL.identifier(fname),
                        table=SQL.identifier("res_partner", fname),
                        key=key,
                    )
                    for fname in fnames
                ),
                rows=json.dumps(rows, default=str),
                columns=SQL(", ").join(
                    SQL(
                        "%s %s",
                        SQL.identifier(fname),
                        SQL(model._fields[fname]._column_type[1]),
                    )
                    for fname in fnames
                ),
            )
        )
        # What depends on them (overdue flag, the deals' related fields) follows.
        changed = partners.browse(ids)
        changed.invalidate_recordset(list(fnames))
        changed.modified(list(fnames))

    def _kam_refresh_history(self, partners, settings, current, values, breaches):
        """Record the moves of tier, quadrant and temperature, with the revenue and
        benchmark behind them, and the cadence breaches: one create."""

        def snapshot(source):
            return {
                pid: {kind: source[pid][f] for kind, f in HISTORY_FIELDS.items()}
                for pid in partners.ids
            }

        changes = cockpit.history_changes(snapshot(current), snapshot(values))
        # The numbers are formatted first: the translation extractor reads the
        # arguments of self.env._() as plain expressions. The note is translated
        # for each move: self.env._() falls back to the source text when a
        # translation does not format.
        benchmark = f"{settings['benchmark'] or 0.0:,.0f}"
        rows = []
        for account_id, kind, old, new in changes:
            revenue_12m = f"{values[account_id]['kam_revenue_12m']:,.0f}"
            rows.append(
                {
                    "partner_id": account_id,
                    "kind": kind,
                    "old_value": old,
                    "new_value": new,
                    "cause": "refresh",
                    "cause_note": self.env._(
                        "revenue 12 months %(revenue)s vs benchmark %(benchmark)s",
                        revenue=revenue_12m,
                        benchmark=benchmark,
                    ),
                    "manager_id": values[account_id]["kam_manager_id"],
                }
            )
        self.env["kam.account.history"]._kam_record(rows + breaches)

    def _kam_feedback_activity_type(self):
        """The activity type of a feedback request (none if it was deleted)."""
        res_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "kam_management.mail_activity_type_kam_feedback", raise_if_not_found=False
        )
        return self.env["mail.activity.type"].browse(res_id or ())

    def _kam_guarded_activity_types(self, company):
        """The activity types whose open activities hold back a new reminder or
        feedback request: a planned contact (kam.contact.evidence), a feedback
        request."""
        return (
            self.env["kam.contact.evidence"]._kam_contact_activity_types(company)
            | self._kam_feedback_activity_type()
        )

    def _kam_open_activities(self, partners, activity_types):
        """{(account id, user id, activity type id)} of the open activities of
        ``activity_types`` on ``partners``: never a second reminder for the same
        person. One query."""
        if not partners or not activity_types:
            return set()
        self.env["mail.activity"].flush_model(
            ["res_model", "res_id", "activity_type_id", "user_id", "active"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT res_id, user_id, activity_type_id FROM mail_activity
                 WHERE res_model = 'res.partner' AND res_id = ANY(%s)
                   AND activity_type_id = ANY(%s) AND active
                """,
                partners.ids,
                activity_types.ids,
            )
        )
        return set(self.env.cr.fetchall())

    def _kam_create_activities(self, values):
        """Create the batch's reminders and feedback requests (kam.bulk.activity)."""
        return self.env["kam.bulk.activity"]._kam_create(values)

    def _kam_refresh_reminders(self, partners, company, today, values, opened):
        """The values of one open reminder per due account for its key account
        manager in this company, of the channel its tier calls for; never a second
        while a contact is planned for them (``opened``, of
        ``_kam_open_activities``: kam.contact.evidence._kam_contact_activity_types).
        ``values``: the batch's figures as just refreshed."""
        activity_types = company._kam_settings()["activity_types"]
        contact_types = set(
            self.env["kam.contact.evidence"]._kam_contact_activity_types(company).ids
        )
        planned = {
            (pid, uid) for pid, uid, type_id in opened if type_id in contact_types
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        result = []
        for partner in partners:
            vals = values[partner.id]
            manager = vals["kam_manager_id"]
            if not manager or not cadence.is_due(vals["kam_next_contact_date"], today):
                continue
            activity_type = activity_types.get(vals["kam_tier"])
            if (partner.id, manager) in planned or not activity_type:
                continue
            result.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager,
                    "date_deadline": vals["kam_next_contact_date"],
                    "summary": self.env._(
                        "Tier %(tier)s contact due (every %(days)s days)",
                        tier=vals["kam_tier"].upper(),
                        days=vals["kam_cadence_days"],
                    ),
                }
            )
        return result

    def _kam_refresh_feedback(self, partners, today, values, opened):
        """The values of a feedback request when revenue drops: one open request per
        account and manager (``opened``, of ``_kam_open_activities``)."""
        activity_type = self._kam_feedback_activity_type()
        if not activity_type:
            return []
        asked = {
            (pid, uid) for pid, uid, type_id in opened if type_id == activity_type.id
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        result = []
        for partner in partners:
            vals = values[partner.id]
            manager = vals["kam_manager_id"]
            if not (vals["kam_revenue_declining"] and manager):
                continue
            if (partner.id, manager) in asked:
                continue
            drop = round(abs(vals["kam_revenue_trend"]))
            result.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager,
                    "date_deadline": today
                    + datetime.timedelta(days=activity_type.delay_count),
                    "summary": self.env._(
                        "Revenue down %(drop)s%%: ask for feedback", drop=drop
                    ),
                }
            )
        return result

    # -- what people change between two runs
    @api.model
    def _kam_derivation_inputs(self):
        """The fields _kam_derive reads: writing one derives the figures again."""
        return set(MEASURED_FIELDS + INPUT_FIELDS) - {
            "kam_refresh_date",
            "kam_lookalike_score",
            "kam_is_lookalike",
            "kam_overdue_since",
        }

    def _kam_contact_made(self, accounts, day):
        """Evidence of a contact with ``accounts`` on ``day`` for the current company
        (a done activity, a logged contact): their last contact moves forward and
        their next one follows at once, not at the next daily run."""
        accounts = accounts.with_company(self.env.company)
        stale = accounts.filtered(
            lambda a: not a.kam_last_contact_date or a.kam_last_contact_date < day
        )
        if stale:
            stale.sudo().write({"kam_last_contact_date": day})

    def _kam_rederive(self, partners):
        """Derive again the figures of ``partners`` for the current company after an
        input changed (tier override, ratings): the tier, quadrant, cadence and
        temperature follow at once, not at the next daily run. The caller records
        the history."""
        partners = partners.with_company(self.env.company).exists()
        if not partners:
            return
        settings = self.env.company._kam_settings()
        self.env.flush_all()
        current = self._kam_read(partners)
        values = {pid: dict(vals) for pid, vals in current.items()}
        self._kam_derive(partners, settings, values)
        self._kam_store(partners, current, values)

    # -- housekeeping
    @api.model
    def _kam_forget_non_accounts(self):
        """Clear, in every company, the KAM figures that partners who are no
        accounts (any more) still carry from an earlier refresh, e.g. a customer who
        became a user: they leave every list, the heat map and the cockpit at once.
        One query; the people's own input (manager, override) is kept."""
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        accounts = partners._search(partners._kam_account_domain(in_sql=True))
        accounts = accounts.subselect()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner SET %(assignments)s
                 WHERE id NOT IN %(accounts)s
                   AND (kam_tier IS NOT NULL OR kam_refresh_date IS NOT NULL)
             RETURNING id
                """,
                assignments=SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(fname)) for fname in REFRESH_FIELDS
                ),
                accounts=accounts,
            )
        )
        stale = partners.browse([row[0] for row in self.env.cr.fetchall()])
        if stale:
            stale.invalidate_recordset(list(REFRESH_FIELDS))
            stale.modified(list(REFRESH_FIELDS))

    @api.model
    def _kam_queue_refresh(self, companies):
        """Queue the accounts of ``companies`` for the next refresh (their settings
        changed): their refresh date in those companies is cleared, in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET kam_refresh_date = NULLIF(kam_refresh_date - %(keys)s::text[],
                                                 '{}'::jsonb)
                 WHERE kam_refresh_date ?| %(keys)s::text[]
                """,
                keys=[str(company.id) for company in companies],
            )
        )
        self.env["res.partner"].invalidate_model(["kam_refresh_date"])
        # The benchmark and the tier A profiles are taken again, and the job starts
        # from the first account (its fast path) rather than sweeping behind its
        # position of the day.
        companies.sudo().write(
            {"kam_benchmark_date": False, "kam_refresh_cursor_date": False}
        )
        cron = self.env.ref(
            "kam_management.ir_cron_kam_daily", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()
