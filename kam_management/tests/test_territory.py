import datetime

from odoo import Command
from odoo.exceptions import AccessError

from ..logic import territory
from .common import KamCase

PARIS = (48.8566, 2.3522)


class TerritoryCase(KamCase):
    """Accounts around a meeting in Paris (coordinates) and around one in Springfield
    (no coordinates: the city, then the state decide)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.usa = cls.env.ref("base.us")
        cls.canada = cls.env.ref("base.ca")
        cls.illinois = cls.env.ref("base.state_us_14")
        cls.ohio = cls.env.ref("base.state_us_36")
        cls.company.kam_nearby_km = 30.0
        cls.origin = cls._place("Origin Co", PARIS, manager=cls.rep)
        cls.contact = cls.Partner.create(
            {"name": "Olga Origin", "parent_id": cls.origin.id}
        )
        day = cls.today
        cls.overdue = cls._place(
            "Overdue Co",
            (48.86, 2.36),
            manager=cls.rep,
            tier="c",
            next_date=day - datetime.timedelta(days=10),
        )
        cls.tier_a = cls._place(
            "Tier A Co",
            (48.90, 2.40),
            manager=cls.rep,
            tier="a",
            next_date=day + datetime.timedelta(days=20),
        )
        cls.b_key = cls._place("B Key Co", (48.80, 2.30), tier="b", quadrant="key")
        cls.b_target = cls._place(
            "B Target Co", (48.81, 2.31), tier="b", quadrant="target"
        )
        cls.with_deals = cls._place("Deals Co", (48.85, 2.34))
        for amount in (1000, 2000):
            cls.env["crm.lead"].create(
                {
                    "name": f"Open deal {amount}",
                    "type": "opportunity",
                    "partner_id": cls.with_deals.id,
                    "expected_revenue": amount,
                    "stage_id": cls.open_stage.id,
                }
            )
        cls.lookalike = cls._place("Look-alike Co", (48.84, 2.33), lookalike=True)
        # Not suggested: a colleague's account, a managed look-alike, a far one,
        # one with nothing due.
        cls.colleague = cls._place(
            "Colleague Co", (48.86, 2.35), manager=cls.rep2, tier="a"
        )
        cls.far = cls._place("Lyon Co", (45.76, 4.83), manager=cls.rep, tier="a")
        cls.idle = cls._place("Idle Co", (48.857, 2.353))

    @classmethod
    def _place(
        cls,
        name,
        position=None,
        manager=None,
        tier=False,
        quadrant=False,
        next_date=False,
        lookalike=False,
        company=None,
        **address,
    ):
        values = dict(address)
        if position:
            values.update(partner_latitude=position[0], partner_longitude=position[1])
            values.setdefault("country_id", cls.france.id)
        account = cls._account(name, manager, **values)
        figures = {
            "kam_tier": tier,
            "kam_quadrant": quadrant,
            "kam_next_contact_date": next_date,
            "kam_is_lookalike": lookalike,
        }
        # Test fixtures: the figures the daily job would have written.
        account.sudo().with_company(company or cls.company).write(figures)
        return account

    def _nearby(self, account, user=None, day=None):
        territory_model = self.env["kam.territory"]
        if user:
            territory_model = territory_model.with_user(user)
        return territory_model._kam_nearby(account, day or self.today)


class TestNearby(TerritoryCase):
    def test_ranked_by_what_is_due_with_coordinates(self):
        rows = self._nearby(self.origin, self.rep)
        self.assertEqual(
            [row["id"] for row in rows],
            [
                self.overdue.id,
                self.tier_a.id,
                self.b_key.id,
                self.b_target.id,
                self.with_deals.id,
                self.lookalike.id,
            ],
            [row["name"] for row in rows],
        )
        self.assertTrue(all(row["level"] == territory.LEVEL_DISTANCE for row in rows))
        self.assertEqual(rows[4]["open_opportunities"], 2)
        self.assertIn("2 open opportunities", rows[4]["reasons"])
        self.assertIn("contact due since", rows[0]["reasons"])

    def test_sql_agrees_with_the_rule(self):
        """The SQL order and distances are logic.territory's: the rows ranked again
        in Python come in the same order, and each distance is the haversine."""
        rows = self._nearby(self.origin, self.rep)
        self.assertEqual(rows, territory.rank_visits(rows, self.today))
        for row in rows:
            other = self.Partner.browse(row["id"])
            expected = territory.haversine_km(
                *PARIS, other.partner_latitude, other.partner_longitude
            )
            self.assertAlmostEqual(row["distance_km"], expected, places=6)
            self.assertLessEqual(row["distance_km"], 30.0)

    def test_radius_is_the_company_setting(self):
        self.company.kam_nearby_km = 5.0
        names = {row["name"] for row in self._nearby(self.origin, self.rep)}
        self.assertIn("Overdue Co", names)
        self.assertNotIn("Tier A Co", names, "about 6.7 km away")
        self.company.kam_nearby_km = 500.0
        names = {row["name"] for row in self._nearby(self.origin, self.rep)}
        self.assertIn("Lyon Co", names)

    def test_city_then_state_without_coordinates(self):
        town = self._place(
            "Town Co",
            manager=self.rep,
            city="Springfield",
            country_id=self.usa.id,
            state_id=self.illinois.id,
        )
        same_city = self._place(
            "Springfield Works",
            tier="b",
            city="  SPRINGFIELD ",
            country_id=self.usa.id,
            state_id=self.ohio.id,
        )
        with_position = self._place(
            "Springfield Mapped",
            (39.78, -89.65),
            tier="b",
            city="springfield",
            country_id=self.usa.id,
        )
        same_state = self._place(
            "Shelbyville Co",
            tier="b",
            city="Shelbyville",
            country_id=self.usa.id,
            state_id=self.illinois.id,
        )
        other_country = self._place(
            "Springfield Canada",
            tier="a",
            city="Springfield",
            country_id=self.canada.id,
        )
        elsewhere = self._place(
            "Columbus Co",
            tier="a",
            city="Columbus",
            country_id=self.usa.id,
            state_id=self.ohio.id,
        )
        rows = self._nearby(town, self.rep)
        ids = [row["id"] for row in rows]
        self.assertEqual(ids, [with_position.id, same_city.id, same_state.id])
        self.assertEqual(
            [row["level"] for row in rows],
            [territory.LEVEL_CITY, territory.LEVEL_CITY, territory.LEVEL_STATE],
        )
        self.assertNotIn(other_country.id, ids)
        self.assertNotIn(elsewhere.id, ids)
        # The origin with coordinates, the others without: the city still decides.
        rows = self._nearby(with_position, self.rep)
        self.assertIn(same_city.id, [row["id"] for row in rows])
        # From Springfield, Ohio: the mapped Springfield by its city, Columbus by the
        # state (Town Co has nothing due).
        rows = self._nearby(same_city, self.rep)
        self.assertEqual(
            [(row["id"], row["level"]) for row in rows],
            [
                (elsewhere.id, territory.LEVEL_STATE),
                (with_position.id, territory.LEVEL_CITY),
            ],
        )

    def test_only_accounts_the_rep_sees_in_the_company(self):
        company2 = self.env["res.company"].create({"name": "KAM Company Two"})
        other_rep = self.env["res.users"].create(
            {
                "name": "Rep Company Two",
                "login": "kam_rep_c2",
                "company_id": company2.id,
                "company_ids": [Command.set(company2.ids)],
                "groups_id": [Command.link(self.env.ref("base.group_user").id)],
            }
        )
        own = self._place(
            "Company Two Only",
            (48.857, 2.352),
            tier="a",
            company=company2,
            next_date=self.today - datetime.timedelta(days=30),
        )
        own.company_id = company2
        # A shared customer tiered in company 2 only: nothing due in company 1.
        shared = self._place("Shared Co", (48.858, 2.351), tier="a", company=company2)
        self.assertFalse(shared.company_id)
        ids = [row["id"] for row in self._nearby(self.origin, self.rep)]
        self.assertNotIn(own.id, ids)
        self.assertNotIn(shared.id, ids)
        # The same query for company 2 sees both, with company 2's figures.
        self.assertTrue(other_rep)
        ids = [
            row["id"]
            for row in self.env["kam.territory"]
            .with_company(company2)
            ._kam_nearby(self.origin, self.today)
        ]
        self.assertIn(own.id, ids)
        self.assertIn(shared.id, ids)
        self.assertNotIn(self.overdue.id, ids, "tiered in company 1 only")

    def test_one_query(self):
        """One query whatever the number of accounts: once the caches are warm (the
        rep's rules, the language's date format, the meeting's account), a search
        is its one SQL query, with 6 suggestions or with 20 more accounts around."""
        model = self.env["kam.territory"].with_user(self.rep)
        origin = self.origin.with_user(self.rep)
        model._kam_nearby(origin, self.today)
        with self.assertQueryCount(__system__=1, kam_rep=1):
            rows = model._kam_nearby(origin, self.today)
        self.assertEqual(len(rows), 6)
        for index in range(20):
            self._place(f"More {index}", (48.85, 2.35 + index / 1000), tier="c")
        self.env.flush_all()
        model._kam_nearby(origin, self.today)
        with self.assertQueryCount(__system__=1, kam_rep=1):
            rows = model._kam_nearby(origin, self.today)
        self.assertEqual(len(rows), 20)


class TestDayPlan(TerritoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        start = datetime.datetime.combine(cls.today, datetime.time(9))
        cls.event = (
            cls.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Quarterly review",
                    "start": start,
                    "stop": start + datetime.timedelta(hours=1),
                    "user_id": cls.rep.id,
                    "partner_ids": [
                        Command.set([cls.rep.partner_id.id, cls.contact.id])
                    ],
                }
            )
        )

    def _meeting_activities(self, account):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", account.id),
                ("activity_category", "=", "meeting"),
            ]
        )

    def test_day_plan_lists_the_meeting_and_its_stops(self):
        action = self.env["kam.day.plan"].with_user(self.rep).action_kam_open()
        plan = self.env["kam.day.plan"].with_user(self.rep).browse(action["res_id"])
        kinds = plan.line_ids.mapped("kind")
        self.assertEqual(kinds[0], "meeting")
        self.assertEqual(plan.line_ids[0].account_id, self.origin)
        self.assertEqual(
            plan.line_ids.filtered(lambda line: line.kind == "stop").account_id.ids,
            [
                self.overdue.id,
                self.tier_a.id,
                self.b_key.id,
                self.b_target.id,
                self.with_deals.id,
                self.lookalike.id,
            ],
        )
        self.assertEqual((plan.meeting_count, plan.suggestion_count), (1, 6))
        # Another day: nothing.
        plan.write({"date": self.today + datetime.timedelta(days=3)})
        self.assertFalse(plan.line_ids)

    def test_plan_a_visit_once(self):
        action = self.event.with_user(self.rep).action_kam_nearby()
        plan = self.env["kam.day.plan"].with_user(self.rep).browse(action["res_id"])
        self.assertEqual(plan.event_id, self.event)
        stop = plan.line_ids.filtered(lambda line: line.account_id == self.tier_a)
        stop.action_kam_plan_visit()
        stop.action_kam_plan_visit()
        activities = self._meeting_activities(self.tier_a)
        self.assertEqual(len(activities), 1, "no duplicate")
        self.assertEqual(activities.user_id, self.rep)
        self.assertEqual(activities.date_deadline, self.today)
        self.assertTrue(stop.planned)
        # The planned visit is a meeting of the day now, with its own stops around.
        again = self.env["kam.day.plan"].with_user(self.rep).action_kam_open()
        plan2 = self.env["kam.day.plan"].with_user(self.rep).browse(again["res_id"])
        line = plan2.line_ids.filtered(lambda line: line.account_id == self.tier_a)
        self.assertEqual(line.kind, "meeting")
        self.assertEqual(line.activity_id, activities)
        self.assertEqual(plan2.meeting_count, 2)
        # Planned again from an older list: still one.
        stop.action_kam_plan_visit()
        self.assertEqual(len(self._meeting_activities(self.tier_a)), 1)

    def test_no_visit_where_a_meeting_is_already(self):
        # The origin has today's calendar event: planning it again adds nothing.
        activity, created = (
            self.env["kam.territory"]
            .with_user(self.rep)
            ._kam_plan_visit(self.origin, self.today)
        )
        self.assertFalse(created)
        self.assertEqual(activity, self.event)
        self.assertFalse(self._meeting_activities(self.origin))

    def test_meeting_activity_opens_nearby(self):
        activity = self.origin.activity_schedule(
            "mail.mail_activity_data_meeting",
            date_deadline=self.today + datetime.timedelta(days=1),
            user_id=self.rep.id,
        )
        action = activity.with_user(self.rep).action_kam_nearby()
        plan = self.env["kam.day.plan"].with_user(self.rep).browse(action["res_id"])
        self.assertEqual(plan.activity_id, activity)
        self.assertEqual(plan.line_ids[0].account_id, self.origin)
        self.assertIn(self.overdue, plan.line_ids.account_id)

    def test_plans_are_their_reps(self):
        action = self.env["kam.day.plan"].with_user(self.rep).action_kam_open()
        plan = self.env["kam.day.plan"].browse(action["res_id"])
        self.assertFalse(
            self.env["kam.day.plan"].with_user(self.rep2).search([("id", "=", plan.id)])
        )
        with self.assertRaises(AccessError):
            plan.line_ids[0].with_user(self.rep2).action_kam_plan_visit()

    def test_the_system_writes_the_lines(self):
        """The rep changes the day, nothing else: not the lines (a form's web_save,
        an import), not the meeting, not a copy."""
        Plan = self.env["kam.day.plan"].with_user(self.rep)
        plan = Plan.browse(Plan.action_kam_open()["res_id"])
        stop = plan.line_ids.filtered(lambda line: line.kind == "stop")[0]
        with self.assertRaises(AccessError):
            stop.write({"planned": True})
        with self.assertRaises(AccessError):
            plan.web_save(
                {"line_ids": [Command.update(stop.id, {"account_id": self.far.id})]},
                {},
            )
        with self.assertRaises(AccessError):
            plan.write({"event_id": self.event.id})
        with self.assertRaises(AccessError):
            Plan.create({"event_id": self.event.id})
        result = (
            self.env["kam.day.plan.line"]
            .with_user(self.rep)
            .load(
                ["plan_id/.id", "account_id/.id", "kind"],
                [[str(plan.id), str(self.far.id), "stop"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertEqual(stop.account_id, self.overdue)
        # The day is the rep's: a new day, a new list.
        plan.web_save({"date": self.today + datetime.timedelta(days=1)}, {})
        self.assertFalse(plan.line_ids)


class TestTrips(TerritoryCase):
    """Hand-counted: day 1 Origin, Overdue (near) and Lyon (far): 3 visits, 2 in a
    trip; day 2 Origin alone: 1, 0; day 3 Origin twice: 1 visit, 0; day 4 two
    Springfield accounts without coordinates: 2, 2; day 5 a done meeting activity at
    Origin and an event at Tier A Co: 2, 2. Rep One: 9 visits, 6 in trips; Rep Two:
    one visit, none."""

    def _event(self, user, account, day, hour=9):
        start = datetime.datetime.combine(day, datetime.time(hour))
        person = self.Partner.create({"name": "Person", "parent_id": account.id})
        return (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": f"Meeting {account.name}",
                    "start": start,
                    "stop": start + datetime.timedelta(hours=1),
                    "user_id": user.id,
                    "partner_ids": [Command.set([user.partner_id.id, person.id])],
                }
            )
        )

    def test_trip_share(self):
        day = self.today - datetime.timedelta(days=20)
        self.rep.tz = "Europe/Paris"
        self._event(self.rep, self.origin, day)
        self._event(self.rep, self.overdue, day, 11)
        self._event(self.rep, self.far, day, 15)
        self._event(self.rep, self.origin, day + datetime.timedelta(days=1))
        self._event(self.rep, self.origin, day + datetime.timedelta(days=2))
        self._event(self.rep, self.origin, day + datetime.timedelta(days=2), 14)
        town1 = self._place("Spring One", city="Springfield", country_id=self.usa.id)
        town2 = self._place("Spring Two", city="springfield", country_id=self.usa.id)
        self._event(self.rep, town1, day + datetime.timedelta(days=3))
        self._event(self.rep, town2, day + datetime.timedelta(days=3), 13)
        day5 = day + datetime.timedelta(days=4)
        self.env["mail.message"].create(
            {
                "model": "res.partner",
                "res_id": self.origin.id,
                "body": "Met",
                "message_type": "notification",
                "author_id": self.rep.partner_id.id,
                "subtype_id": self.env.ref("mail.mt_activities").id,
                "mail_activity_type_id": self.env.ref(
                    "mail.mail_activity_data_meeting"
                ).id,
                "date": datetime.datetime.combine(day5, datetime.time(8)),
            }
        )
        self._event(self.rep, self.tier_a, day5, 10)
        self._event(self.rep2, self.origin, day)
        # Out of the period: not counted.
        self._event(self.rep, self.overdue, self.today - datetime.timedelta(days=200))
        self._event(self.rep, self.origin, self.today - datetime.timedelta(days=200))
        trips = self.env["kam.cockpit"]._kam_cockpit_trips(
            self.today - datetime.timedelta(days=89), self.today
        )
        self.assertEqual(
            trips[self.rep.id], {"visits": 9, "combined": 6, "share": 66.7}
        )
        self.assertEqual(
            trips[self.rep2.id], {"visits": 1, "combined": 0, "share": 0.0}
        )

    def test_trips_beside_compliance(self):
        day = self.today - datetime.timedelta(days=3)
        self._event(self.rep, self.origin, day)
        self._event(self.rep, self.overdue, day, 11)
        self.env["kam.cadence.snapshot"]._kam_take_snapshot(self.today)
        data = self.env["kam.cockpit"].with_user(self.director).get_cockpit_data()
        rows = {row["manager_id"]: row for row in data["compliance"]["reps"]}
        self.assertEqual(
            rows[self.rep.id]["trips"], {"visits": 2, "combined": 2, "share": 100.0}
        )
        self.assertEqual(
            data["compliance"]["trips"]["visits"],
            sum(row["trips"]["visits"] for row in data["compliance"]["reps"]),
        )
