import datetime

import pytz

from odoo import api, models
from odoo.tools import SQL, format_date

from ..logic import cadence, territory


class KamTerritory(models.AbstractModel):
    """The territorial principle (docs/METHOD.md#territory): the accounts near a
    meeting that are worth visiting on the same trip, and the meetings of a rep's
    day. The rules of "near" and of the order are ``logic.territory``'s; the SQL
    below is built from its constants (a test checks that both agree)."""

    _name = "kam.territory"
    _description = "Key Account Territory"

    # -- the rule of "near", in SQL
    @api.model
    def _kam_has_position_sql(self, alias):
        """territory.has_coordinates, in SQL, for the partner ``alias``."""
        lat = SQL.identifier(alias, "partner_latitude")
        lon = SQL.identifier(alias, "partner_longitude")
        return SQL(
            "(%(lat)s IS NOT NULL AND %(lon)s IS NOT NULL"
            " AND %(lat)s BETWEEN -90 AND 90 AND %(lon)s BETWEEN -180 AND 180"
            " AND NOT (%(lat)s = 0 AND %(lon)s = 0))",
            lat=lat,
            lon=lon,
        )

    @api.model
    def _kam_distance_sql(self, lat1, lon1, lat2, lon2):
        """territory.haversine_km, in SQL: four SQL expressions in degrees."""
        return SQL(
            "(2 * %(radius)s * ASIN(SQRT(LEAST(1.0, GREATEST(0.0,"
            " POWER(SIN(RADIANS((%(lat2)s) - (%(lat1)s)) / 2), 2)"
            " + COS(RADIANS(%(lat1)s)) * COS(RADIANS(%(lat2)s))"
            " * POWER(SIN(RADIANS((%(lon2)s) - (%(lon1)s)) / 2), 2))))))",
            radius=territory.EARTH_RADIUS_KM,
            lat1=lat1,
            lon1=lon1,
            lat2=lat2,
            lon2=lon2,
        )

    @api.model
    def _kam_city_sql(self, alias):
        """The city as territory.same_text compares it (an index holds it)."""
        return SQL("LOWER(TRIM(%s))", SQL.identifier(alias, "city"))

    @api.model
    def _kam_near_sql(self, left, right, radius_km):
        """territory.near_level(left, right) is not None, in SQL, for two partner
        aliases: the distance when both have coordinates, else the city, else the
        state."""

        def col(alias, name):
            return SQL.identifier(alias, name)

        both = SQL(
            "(%s AND %s)",
            self._kam_has_position_sql(left),
            self._kam_has_position_sql(right),
        )
        distance = self._kam_distance_sql(
            col(left, "partner_latitude"),
            col(left, "partner_longitude"),
            col(right, "partner_latitude"),
            col(right, "partner_longitude"),
        )
        return SQL(
            """CASE WHEN %(both)s THEN %(distance)s <= %(radius)s
                    ELSE (%(city_l)s <> '' AND %(city_l)s = %(city_r)s
                          AND %(country_l)s IS NOT DISTINCT FROM %(country_r)s)
                      OR (%(state_l)s IS NOT NULL AND %(state_l)s = %(state_r)s)
               END""",
            both=both,
            distance=distance,
            radius=radius_km,
            city_l=self._kam_city_sql(left),
            city_r=self._kam_city_sql(right),
            country_l=col(left, "country_id"),
            country_r=col(right, "country_id"),
            state_l=col(left, "state_id"),
            state_r=col(right, "state_id"),
        )

    @api.model
    def _kam_place(self, partner):
        """The position of ``partner`` as territory.near_level reads it."""
        return {
            "latitude": partner.partner_latitude,
            "longitude": partner.partner_longitude,
            "city": partner.city or "",
            "country_id": partner.country_id.id,
            "state_id": partner.state_id.id,
        }

    # -- worth visiting nearby
    @api.model
    def _kam_nearby(self, account, day, limit=20):
        """The other accounts near ``account`` worth visiting on ``day``, the most
        due first (territory.visit_sort_key): a list of dicts. Only the accounts the
        current user may see in the current company (record rules; shared customers
        included), managed by them or by nobody. One query, whatever the number of
        accounts: a bounding box on the coordinates first (an index answers it),
        then the exact distance; the city or the state where a position is
        missing."""
        account = account.commercial_partner_id
        company = self.env.company
        radius = company.kam_nearby_km or territory.DEFAULT_RADIUS_KM
        origin = self._kam_place(account.sudo())
        Partner = self.env["res.partner"]
        domain = Partner._kam_account_domain(company, in_sql=True) + [
            ("id", "!=", account.id)
        ]
        query = Partner._search(domain)
        alias = query.table
        has_position = self._kam_has_position_sql(alias)
        lat = SQL.identifier(alias, "partner_latitude")
        lon = SQL.identifier(alias, "partner_longitude")
        city = self._kam_city_sql(alias)
        origin_has = territory.has_coordinates(origin["latitude"], origin["longitude"])
        distance = SQL("NULL::float")
        branches, level = [], []
        if origin_has:
            lat_min, lat_max, lon_min, lon_max = territory.bounding_box(
                origin["latitude"], origin["longitude"], radius
            )
            distance = self._kam_distance_sql(
                SQL("%s", origin["latitude"]), SQL("%s", origin["longitude"]), lat, lon
            )
            # The box first: the index on (partner_latitude, partner_longitude).
            branches.append(
                SQL(
                    "(%s BETWEEN %s AND %s AND %s BETWEEN %s AND %s AND %s"
                    " AND %s <= %s)",
                    lat,
                    lat_min,
                    lat_max,
                    lon,
                    lon_min,
                    lon_max,
                    has_position,
                    distance,
                    radius,
                )
            )
            level.append(SQL("WHEN %s THEN %s", has_position, territory.LEVEL_DISTANCE))
            # Without both positions, the city or the state decides.
            no_pair = SQL("NOT %s", has_position)
            distance = SQL("CASE WHEN %s THEN %s END", has_position, distance)
        else:
            no_pair = SQL("TRUE")
        origin_city = (origin["city"] or "").strip().lower()
        same_city = SQL("FALSE")
        if origin_city:
            same_city = SQL(
                "(%s = %s AND %s IS NOT DISTINCT FROM %s)",
                city,
                origin_city,
                SQL.identifier(alias, "country_id"),
                origin["country_id"] or None,
            )
            branches.append(SQL("(%s AND %s)", same_city, no_pair))
            level.append(SQL("WHEN %s THEN %s", same_city, territory.LEVEL_CITY))
        if origin["state_id"]:
            same_state = SQL(
                "%s = %s", SQL.identifier(alias, "state_id"), origin["state_id"]
            )
            branches.append(SQL("(%s AND %s)", same_state, no_pair))
            level.append(SQL("WHEN %s THEN %s", same_state, territory.LEVEL_STATE))
        if not branches:
            return []
        query.add_where(SQL("(%s)", SQL(" OR ").join(branches)))
        manager = Partner._field_to_sql(alias, "kam_manager_id", query)
        # Managed by the user or by nobody: a rep does not call on a colleague's
        # account unknowingly (docs/METHOD.md#accounts).
        query.add_where(SQL("(%s IS NULL OR %s = %s)", manager, manager, self.env.uid))
        rows = self._kam_nearby_rows(query, day, distance, level, manager, limit)
        for row in rows:
            row["reasons"] = self._kam_visit_reasons(row, day)
        return rows

    @api.model
    def _kam_nearby_rows(self, query, day, distance, level, manager, limit):
        Partner = self.env["res.partner"]
        alias = query.table
        company = self.env.company

        def kam(fname):
            return Partner._field_to_sql(alias, fname, query)

        def rank(expression, ranks):
            whens = SQL(" ").join(
                SQL("WHEN %s THEN %s", key, value) for key, value in ranks.items()
            )
            return SQL("CASE %s %s ELSE %s END", expression, whens, territory.NO_RANK)

        select = query.select(
            SQL("%s AS id", SQL.identifier(alias, "id")),
            SQL("%s AS name", SQL.identifier(alias, "name")),
            SQL("%s AS city", SQL.identifier(alias, "city")),
            SQL("%s AS next_contact_date", kam("kam_next_contact_date")),
            SQL("%s AS tier", kam("kam_tier")),
            SQL("%s AS quadrant", kam("kam_quadrant")),
            SQL("COALESCE(%s, FALSE) AS is_lookalike", kam("kam_is_lookalike")),
            SQL("%s AS manager_id", manager),
            SQL("%s AS distance_km", distance),
            SQL("CASE %s END AS level", SQL(" ").join(level)),
        )
        # cadence.is_overdue in SQL: the same bound.
        overdue = SQL(
            "COALESCE(k.next_contact_date < %s, FALSE)", cadence.overdue_before(day)
        )
        self.env.flush_all()
        # The accounts near the meeting first (materialized: the figures are read
        # once per account), then their open opportunities of the current company.
        self.env.cr.execute(
            SQL(
                """
                WITH near AS MATERIALIZED (%(select)s), deals AS (
                    SELECT lp.commercial_partner_id AS id, COUNT(*) AS count
                      FROM crm_lead l
                      JOIN res_partner lp ON lp.id = l.partner_id
                 LEFT JOIN crm_stage s ON s.id = l.stage_id
                     WHERE lp.commercial_partner_id IN (SELECT id FROM near)
                       AND l.active AND l.type = 'opportunity'
                       AND NOT COALESCE(s.is_won, FALSE)
                       AND (l.company_id IS NULL OR l.company_id = %(company)s)
                  GROUP BY lp.commercial_partner_id
                ), k AS (
                    SELECT near.*, COALESCE(deals.count, 0) AS open_opportunities
                      FROM near LEFT JOIN deals ON deals.id = near.id
                )
                SELECT k.* FROM k
                 WHERE %(overdue)s OR k.tier IS NOT NULL OR k.quadrant IS NOT NULL
                    OR k.open_opportunities > 0
                    OR (k.is_lookalike AND k.manager_id IS NULL)
              ORDER BY CASE WHEN %(overdue)s THEN 0 ELSE 1 END,
                       CASE WHEN %(overdue)s THEN k.next_contact_date END,
                       %(tier)s, %(quadrant)s, k.open_opportunities DESC,
                       CASE WHEN k.is_lookalike AND k.manager_id IS NULL
                            THEN 0 ELSE 1 END,
                       %(level)s, k.distance_km NULLS LAST,
                       LOWER(k.name) COLLATE "C", k.id
                 LIMIT %(limit)s
                """,
                select=select,
                company=company.id,
                overdue=overdue,
                tier=rank(SQL("k.tier"), territory.TIER_RANK),
                quadrant=rank(SQL("k.quadrant"), territory.QUADRANT_RANK),
                level=rank(SQL("k.level"), territory.LEVEL_RANK),
                limit=limit,
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _kam_visit_reasons(self, row, day):
        """Why the account is worth a stop, in words."""
        reasons = []
        if cadence.is_overdue(row["next_contact_date"], day):
            reasons.append(
                self.env._(
                    "contact due since %(date)s",
                    date=format_date(self.env, row["next_contact_date"]),
                )
            )
        if row["tier"]:
            tier = row["tier"].upper()
            reasons.append(self.env._("tier %(tier)s", tier=tier))
        if row["quadrant"]:
            quadrants = dict(
                self.env["res.partner"]
                ._fields["kam_quadrant"]
                ._description_selection(self.env)
            )
            reasons.append(quadrants.get(row["quadrant"], row["quadrant"]))
        if row["open_opportunities"]:
            count = row["open_opportunities"]
            reasons.append(self.env._("%(count)s open opportunities", count=count))
        if row["is_lookalike"] and not row["manager_id"]:
            reasons.append(self.env._("tier A look-alike, no manager yet"))
        return ", ".join(reasons)

    # -- a rep's meetings of a day
    @api.model
    def _kam_day_bounds(self, day):
        """The UTC datetimes where the user's ``day`` starts and ends."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        start = tz.localize(datetime.datetime.combine(day, datetime.time.min))
        stop = start + datetime.timedelta(days=1)
        return (
            start.astimezone(pytz.UTC).replace(tzinfo=None),
            stop.astimezone(pytz.UTC).replace(tzinfo=None),
        )

    @api.model
    def _kam_meetings(self, day, event=None, activity=None):
        """The user's meetings with an account on ``day``: calendar events they
        organise or attend whose attendees include an account's people, and open
        meeting activities on an account (or its opportunities) due that day. A list
        of dicts (name, start, account, event, activity), by time."""
        Partner = self.env["res.partner"]
        user = self.env.user
        accounts_domain = Partner._kam_account_domain(self.env.company)
        meetings = []
        start, stop = self._kam_day_bounds(day)
        if event is not None or activity is None:
            events = event
            if event is None:
                events = self.env["calendar.event"].search(
                    [
                        ("start", "<", stop),
                        ("stop", ">=", start),
                        "|",
                        ("user_id", "=", user.id),
                        ("partner_ids", "in", user.partner_id.ids),
                    ],
                    order="start",
                )
            for meeting in events:
                people = meeting.partner_ids - user.partner_id
                accounts = people.commercial_partner_id.filtered_domain(accounts_domain)
                if accounts:
                    meetings.append(
                        {
                            "name": meeting.name,
                            "start": meeting.start,
                            "account": accounts.sorted("name")[0],
                            "event": meeting,
                            "activity": self.env["mail.activity"],
                        }
                    )
        if activity is not None or event is None:
            activities = activity
            if activity is None:
                activities = self.env["mail.activity"].search(
                    [
                        ("user_id", "=", user.id),
                        ("date_deadline", "=", day),
                        ("activity_category", "=", "meeting"),
                        ("res_model", "in", ("res.partner", "crm.lead")),
                    ]
                )
            listed = {m["event"].id for m in meetings}
            for act in activities:
                if act.calendar_event_id.id in listed:
                    continue
                record = self.env[act.res_model].browse(act.res_id).exists()
                partner = (
                    record if act.res_model == "res.partner" else record.partner_id
                )
                account = partner.commercial_partner_id.filtered_domain(accounts_domain)
                if account:
                    meetings.append(
                        {
                            "name": act.summary or act.activity_type_id.name,
                            "start": datetime.datetime.combine(
                                act.date_deadline, datetime.time.min
                            ),
                            "account": account,
                            "event": self.env["calendar.event"],
                            "activity": act,
                        }
                    )
        meetings.sort(key=lambda m: (m["start"], m["account"].name or ""))
        return meetings

    # -- planning a visit
    @api.model
    def _kam_plan_visit(self, account, day, near=None):
        """A meeting activity for the user on ``account`` on ``day``, unless one is
        planned already (an open meeting activity, or a calendar event with its
        people that day): returns it and whether it is new."""
        account = account.commercial_partner_id
        account.check_access("read")
        user = self.env.user
        existing = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", account.id),
                ("user_id", "=", user.id),
                ("date_deadline", "=", day),
                ("activity_category", "=", "meeting"),
            ],
            limit=1,
        )
        if existing:
            return existing, False
        start, stop = self._kam_day_bounds(day)
        event = self.env["calendar.event"].search(
            [
                ("start", "<", stop),
                ("stop", ">=", start),
                ("partner_ids.commercial_partner_id", "=", account.id),
                "|",
                ("user_id", "=", user.id),
                ("partner_ids", "in", user.partner_id.ids),
            ],
            limit=1,
        )
        if event:
            return event, False
        summary = self.env._("Visit")
        if near:
            summary = self.env._("Visit (near %(account)s)", account=near.name)
        activity = account.activity_schedule(
            "mail.mail_activity_data_meeting",
            date_deadline=day,
            summary=summary,
            user_id=user.id,
        )
        return activity, True
