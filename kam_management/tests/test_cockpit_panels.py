import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KamCase


def panel(data, code):
    return next(p for p in data["panels"] if p["code"] == code)


def cells(row):
    return [cell["value"] for cell in row["cells"]]


@tagged("post_install", "-at_install")
class TestCockpitPanels(KamCase):
    """The cockpit's panels against a hand count: the key accounts' revenue of the
    period and of the one before, the tier and quadrant moves of the quarter, the
    heat map a quarter ago; each figure's link opens exactly the records counted;
    per company and for the group (two companies, two currencies)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls._team("Panel Team", cls.rep)
        cls.hot = cls._account("Panel Hot", cls.rep)
        cls.warm = cls._account("Panel Warm", cls.rep)
        cls.small = cls._account("Panel Small", cls.rep)
        cls.other = cls._account("Panel Other", cls.rep2)
        # This period (90 days): 100,000 and 60,000; the period before: 40,000.
        cls._sale(cls.hot, 100_000)
        cls._sale(cls.hot, 40_000, cls.today - datetime.timedelta(days=120))
        cls._sale(cls.warm, 60_000)
        cls._sale(cls.small, 5_000)
        # Outside the team: not counted.
        cls._sale(cls.other, 100_000)
        cls.cockpit = cls.env["kam.cockpit"].with_user(cls.director)

    def _refresh_all(self, batch_size=1000):
        """The daily job, then Hot Co and Warm Co made tier A by a director (key
        accounts whatever the benchmark), Other Co too."""
        runs = super()._refresh_all(batch_size)
        (self.hot | self.warm | self.other).with_user(self.director).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )
        return runs

    def _data(self, **kwargs):
        kwargs.setdefault("team_id", self.team.id)
        return self.cockpit.get_cockpit_data(**kwargs)

    def _open(self, link):
        """The records an act_window of the cockpit opens, as the web client reads
        them (its context included: the company a figure is about)."""
        context = dict(link["context"])
        model = self.env[link["model"]].with_user(self.director)
        companies = context.pop("allowed_company_ids", None)
        if companies:
            model = model.with_context(allowed_company_ids=companies)
        return model.with_context(**context).search(link["domain"])

    def test_revenue_of_the_key_accounts(self):
        self._refresh_all()
        key = self.Partner.search(
            [("id", "in", (self.hot | self.warm | self.small).ids)]
        ).filtered("kam_is_key_account")
        self.assertEqual(key, self.hot | self.warm)
        revenue = panel(self._data(), "revenue")
        (row,) = revenue["tables"][0]["rows"]
        self.assertEqual(row["label"], self.company.name)
        self.assertEqual(cells(row)[:4], [2, 160_000.0, 40_000.0, 300.0])
        self.assertEqual(self._open(row["cells"][0]["link"]), self.hot | self.warm)
        self.assertEqual(self._open(row["cells"][1]["link"]), self.hot | self.warm)
        # Six days: nothing in the period, the 100,000 and 60,000 of 10 days ago in
        # the six days before.
        (row,) = panel(self._data(period_days=6), "revenue")["tables"][0]["rows"]
        self.assertEqual(cells(row)[1:3], [0.0, 160_000.0])

    def test_percentages_in_the_users_language(self):
        """A change reads "+12,5%" in Russian, "+12.5%" in English: the decimal
        point of the user's language, on the screen and in the PDF."""
        self.env["res.lang"]._activate_lang("ru_RU")
        cockpit = self.env["kam.cockpit"]
        self.assertEqual(cockpit._kam_percent_cell(12.5)["display"], "+12.5%")
        self.assertEqual(cockpit._kam_percent_cell(-3.0)["display"], "-3.0%")
        russian = cockpit.with_context(lang="ru_RU")
        self.assertEqual(russian._kam_percent_cell(12.5)["display"], "+12,5%")
        report = self.env["report.kam_management.report_kam_cockpit"]
        self.assertEqual(
            report.with_context(lang="ru_RU")._kam_format_percent(87.5), "87,5%"
        )
        self.assertEqual(report._kam_format_percent(None), "–")

    def test_manager_filter(self):
        self._refresh_all()
        data = self._data(team_id=False, manager_id=self.rep2.id)
        (row,) = panel(data, "revenue")["tables"][0]["rows"]
        self.assertEqual(cells(row)[:2], [1, 100_000.0])
        self.assertEqual(self._open(row["cells"][0]["link"]), self.other)
        with self.assertRaises(ValidationError):
            self._data(manager_id="everyone")

    def test_movement_this_quarter(self):
        self._refresh_all()
        history = self.env["kam.account.history"]
        quarter_start = datetime.date(
            self.today.year, 3 * ((self.today.month - 1) // 3) + 1, 1
        )
        in_quarter = datetime.datetime.combine(quarter_start, datetime.time(9))
        before = in_quarter - datetime.timedelta(days=1)
        history.search([("partner_id", "in", self.team_accounts.ids)]).unlink()
        rows = [
            (self.hot, "tier", "b", "a", in_quarter),  # up
            (self.warm, "tier", "a", "c", in_quarter),  # down
            (self.warm, "quadrant", "target", "key", in_quarter),  # up
            (self.small, "quadrant", "target", "maintain", in_quarter),  # sideways
            (self.small, "tier", "d", "c", before),  # last quarter
            (self.other, "tier", "c", "b", in_quarter),  # another team
        ]
        created = history.sudo()._kam_record(
            [
                {
                    "partner_id": partner.id,
                    "kind": kind,
                    "old_value": old,
                    "new_value": new,
                    "cause": "refresh",
                    "date": date,
                }
                for partner, kind, old, new, date in rows
            ]
        )
        self.assertEqual(len(created), 6)
        movement = panel(self._data(), "movement")
        (row,) = movement["tables"][0]["rows"]
        self.assertEqual(cells(row), [1, 1, 1, 0])
        opened = [self._open(cell["link"]).partner_id for cell in row["cells"]]
        self.assertEqual(opened, [self.hot, self.warm, self.warm, self.Partner])
        # Hot Co moves up again (C to B before B to A): still one account up; the
        # link opens both moves.
        history.sudo()._kam_record(
            [
                {
                    "partner_id": self.hot.id,
                    "kind": "tier",
                    "old_value": "c",
                    "new_value": "b",
                    "cause": "refresh",
                    "date": in_quarter - datetime.timedelta(hours=1),
                }
            ]
        )
        (row,) = panel(self._data(), "movement")["tables"][0]["rows"]
        self.assertEqual(cells(row), [1, 1, 1, 0])
        self.assertEqual(len(self._open(row["cells"][0]["link"])), 2)

    @property
    def team_accounts(self):
        return self.hot | self.warm | self.small | self.other

    def test_heat_map_a_quarter_ago(self):
        self._refresh_all()
        hot = self.hot.with_company(self.company)
        self.assertEqual(hot.kam_tier, "a")
        temp_now = hot.kam_temperature
        temp_then = "cold" if temp_now != "cold" else "hot"
        history = self.env["kam.account.history"].sudo()
        history.search([("partner_id", "in", self.team_accounts.ids)]).unlink()
        # Hot Co was tier B and cold a quarter ago: moved since.
        when = datetime.datetime.now() - datetime.timedelta(days=30)
        history._kam_record(
            [
                {
                    "partner_id": self.hot.id,
                    "kind": kind,
                    "old_value": old,
                    "new_value": new,
                    "cause": "refresh",
                    "date": when,
                }
                for kind, old, new in (
                    ("tier", "b", "a"),
                    ("temperature", temp_then, temp_now),
                )
            ]
        )
        heat = panel(self._data(), "heat_map_then")
        rows = {row["key"]: row for row in heat["tables"][0]["rows"]}
        temps = ["hot", "warm", "mild", "cool", "cold", "none"]
        then = {
            (tier, temps[index]): cell
            for tier, row in rows.items()
            for index, cell in enumerate(row["cells"])
            if cell["value"]
        }
        now = {
            (tier, temp): self.Partner.search_count(
                [
                    ("id", "in", (self.hot | self.warm | self.small).ids),
                    # The key accounts, as the cockpit shows by default.
                    ("kam_is_key_account", "=", True),
                    ("kam_tier", "=", tier),
                    ("kam_temperature", "=", temp),
                ]
            )
            for tier in rows
            for temp in temps
        }
        expected = {key: count for key, count in now.items() if count}
        expected[("a", temp_now)] -= 1
        expected[("b", temp_then)] = expected.get(("b", temp_then), 0) + 1
        expected = {key: count for key, count in expected.items() if count}
        self.assertEqual({key: c["value"] for key, c in then.items()}, expected)
        self.assertIn(self.hot, self._open(then["b", temp_then]["link"]))
        # The small figure is the change to today.
        self.assertEqual(then["b", temp_then]["note"], "-1")
        # All tiers: Small Co (tier C, not a key account) too.
        heat = panel(self._data(key_only=False), "heat_map_then")
        total = sum(
            c["value"] for row in heat["tables"][0]["rows"] for c in row["cells"]
        )
        self.assertEqual(total, sum(expected.values()) + 1)

    def test_company_filter_limited_to_allowed(self):
        company2 = self.env["res.company"].create({"name": "Not mine"})
        with self.assertRaises(AccessError):
            self._data(company_ids=[company2.id])
        with self.assertRaises(ValidationError):
            self._data(company_ids="all")

    def test_the_entry_points_are_read_only(self):
        """An Odoo with a database replica serves them from it."""
        self.assertTrue(
            getattr(type(self.cockpit).get_cockpit_data, "_readonly", False)
        )
        report = type(self.env["report.kam_management.report_kam_cockpit"])
        self.assertTrue(getattr(report._get_report_values, "_readonly", False))

    def test_pdf_of_the_cockpit(self):
        self._refresh_all()
        html, kind = (
            self.env["ir.actions.report"]
            .with_user(self.director)
            ._render_qweb_html(
                "kam_management.report_kam_cockpit",
                [],
                data={"period_days": 90, "team_id": self.team.id},
            )
        )
        self.assertEqual(kind, "html")
        html = html.decode()
        self.assertIn("Key account revenue", html)
        self.assertIn("160,000.00", html)
        # The pyramid and the reps' compliance are on the page too.
        self.assertIn("Time pyramid", html)
        self.assertIn(self.rep.name, html)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.rep)._render_qweb_html(
                "kam_management.report_kam_cockpit", [], data={}
            )

    def test_pdf_layout_without_holes(self):
        """The page puts a panel of many columns across, the others in two columns,
        each panel in the shorter one so far: no hole under a short panel beside a
        long one (the first PDF let a wide table run into its neighbour and cut the
        last panel at the foot of the page)."""

        def fake(code, columns, rows):
            return {
                "code": code,
                "columns": ["c"] * columns,
                "tables": [{"title": "", "rows": [{}] * rows}],
            }

        panels = [
            fake("wide", 7, 2),
            fake("long", 4, 9),
            fake("short1", 5, 1),
            fake("short2", 4, 2),
            fake("short3", 4, 4),
        ]
        layout = self.env[
            "report.kam_management.report_kam_cockpit"
        ]._kam_report_layout(panels)
        self.assertEqual([p["code"] for p in layout["wide"]], ["wide"])
        stacks = [[p["code"] for p in stack] for stack in layout["stacks"]]
        # "long" (8 rows printed) on one side, the three short ones on the other.
        self.assertEqual(stacks, [["long"], ["short1", "short2", "short3"]])


@tagged("post_install", "-at_install")
class TestCockpitGroup(KamCase):
    """Two companies, two currencies: every figure per company, in its currency,
    and the group's, converted into the current company's at today's rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company.currency_id = cls.usd
        cls.company2 = cls.env["res.company"].create(
            {"name": "KAM Europe", "currency_id": cls.eur.id}
        )
        cls.company2.write(cls.kam_company_settings)
        # 1 USD = 0.5 EUR today: a euro is worth two dollars.
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.usd | cls.eur).ids)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.eur.id, "rate": 0.5, "name": "2000-01-01"}
        )
        cls.director.write(
            {
                "company_ids": [(4, cls.company2.id)],
            }
        )
        cls.shared = cls._account("Group Shared", cls.rep)
        cls.us_only = cls._account("Group US", cls.rep, company_id=cls.company.id)
        cls.eu_only = cls._account("Group EU", company_id=cls.company2.id)
        cls.eu_only.with_company(cls.company2).kam_manager_id = cls.rep
        cls.team = cls._team("Group Team", cls.rep)
        cls._sale(cls.shared, 100_000)
        cls._sale(cls.us_only, 80_000)
        cls._sale(cls.shared, 1_000, company=cls.company2)
        cls._sale(cls.eu_only, 30_000, company=cls.company2)

    def _cockpit(self, companies):
        return (
            self.env["kam.cockpit"]
            .with_user(self.director)
            .with_context(allowed_company_ids=companies.ids)
        )

    def test_revenue_per_company_and_for_the_group(self):
        self._refresh_all()
        both = self.company | self.company2
        data = self._cockpit(both).get_cockpit_data(team_id=self.team.id)
        rows = panel(data, "revenue")["tables"][0]["rows"]
        self.assertEqual(
            [row["key"] for row in rows], [self.company.id, self.company2.id, "group"]
        )
        accounts = self.shared | self.us_only | self.eu_only
        key = {
            company: accounts.with_company(company).filtered("kam_is_key_account")
            for company in both
        }
        # Hand count: in USD both accounts are tier A (100,000 and 80,000); in EUR
        # only the 30,000 one (the shared customer's 1,000 is 3%).
        self.assertEqual(key[self.company], self.shared | self.us_only)
        self.assertEqual(key[self.company2], self.eu_only)
        us, eu, group = rows
        self.assertEqual(cells(us)[:2], [2, 180_000.0])
        self.assertEqual(cells(eu)[:2], [1, 30_000.0])
        self.assertIn("€", eu["cells"][1]["display"])
        # The group: 180,000 USD + 30,000 EUR at two dollars the euro.
        self.assertEqual(cells(group)[:2], [3, 240_000.0])
        self.assertIn("$", group["cells"][1]["display"])
        self.assertIn("USD", group["label"])
        # Each company's link opens its accounts, read in that company.
        link = eu["cells"][0]["link"]
        self.assertEqual(link["context"]["allowed_company_ids"][0], self.company2.id)
        opened = (
            self.env["res.partner"]
            .with_user(self.director)
            .with_context(allowed_company_ids=link["context"]["allowed_company_ids"])
            .search(link["domain"])
        )
        self.assertEqual(opened, self.eu_only)
        self.assertEqual(
            self.env["res.partner"].search(group["cells"][0]["link"]["domain"]),
            self.shared | self.us_only | self.eu_only,
        )
        # One company picked: that company's figures only, no group row.
        data = self._cockpit(both).get_cockpit_data(
            team_id=self.team.id, company_ids=[self.company2.id]
        )
        rows = panel(data, "revenue")["tables"][0]["rows"]
        self.assertEqual([row["key"] for row in rows], [self.company2.id])
        self.assertEqual(data["company_id"], self.company2.id)

    def test_movement_per_company_and_for_the_group(self):
        self._refresh_all()
        both = self.company | self.company2
        history = self.env["kam.account.history"].sudo()
        history.search([]).unlink()
        quarter_start = datetime.date(
            self.today.year, 3 * ((self.today.month - 1) // 3) + 1, 1
        )
        when = datetime.datetime.combine(quarter_start, datetime.time(9))

        def move(company, partner, old, new):
            history.with_company(company)._kam_record(
                [
                    {
                        "partner_id": partner.id,
                        "kind": "tier",
                        "old_value": old,
                        "new_value": new,
                        "cause": "refresh",
                        "date": when,
                    }
                ]
            )

        move(self.company, self.shared, "b", "a")
        move(self.company2, self.eu_only, "a", "c")
        move(self.company2, self.shared, "b", "a")
        data = self._cockpit(both).get_cockpit_data()
        movement = next(p for p in data["panels"] if p["code"] == "movement")
        rows = {row["key"]: row for row in movement["tables"][0]["rows"]}
        # Hand count: one up in the first company, one up and one down in the
        # second, all three in the group.
        self.assertEqual(cells(rows[self.company.id])[:2], [1, 0])
        self.assertEqual(cells(rows[self.company2.id])[:2], [1, 1])
        self.assertEqual(cells(rows["group"])[:2], [2, 1])
        down = rows[self.company2.id]["cells"][1]["link"]
        opened = self.env["kam.account.history"].search(down["domain"])
        self.assertEqual(opened.partner_id, self.eu_only)
        self.assertEqual(opened.company_id, self.company2)
