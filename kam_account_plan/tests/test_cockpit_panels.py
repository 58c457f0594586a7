import datetime

from odoo import Command
from odoo.tests import tagged

from .common import AccountPlanCase


def panel(data, code):
    return next(p for p in data["panels"] if p["code"] == code)


def cells(row):
    return [cell["value"] for cell in row["cells"]]


@tagged("post_install", "-at_install")
class TestCockpitPlanPanels(AccountPlanCase):
    """The account plans' panels of the cockpit against a hand count: the plan
    figures of the revenue panel, plan coverage of the tier A and Key accounts, the
    widest gaps, win/loss per competitor; each figure's link opens the records
    counted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test base's plan is for a fixed year: this test's plans follow today.
        cls.plan.unlink()
        cls.team = cls._team("Plan Cockpit Team", cls.rep)
        cls.other_account.kam_manager_id = cls.rep
        cls.third = cls._account("Hooli", cls.rep)
        today = cls.today
        cls.current = cls.Plan.create(
            cls._plan_values(
                name="Globex now",
                date_start=today - datetime.timedelta(days=300),
                date_end=today + datetime.timedelta(days=100),
                revenue_line_ids=[
                    Command.create(
                        {
                            "period_date": today - datetime.timedelta(days=30),
                            "amount": 50_000,
                        }
                    ),
                    Command.create(
                        {
                            "period_date": today - datetime.timedelta(days=200),
                            "amount": 70_000,
                        }
                    ),
                ],
            )
        )
        cls.current.action_activate()
        # A draft plan does not count.
        cls.draft = cls.Plan.create(
            cls._plan_values(
                name="Hooli draft",
                partner_id=cls.third.id,
                date_start=today,
                date_end=today + datetime.timedelta(days=300),
            )
        )
        cls.cockpit = cls.env["kam.cockpit"].with_user(cls.director)

    def _prepare(self):
        self._refresh_all()
        (self.account | self.other_account | self.third).with_user(self.director).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )

    def _data(self, **kwargs):
        return self.cockpit.get_cockpit_data(team_id=self.team.id, **kwargs)

    def _open(self, link):
        model = self.env[link["model"]].with_user(self.director)
        return model.with_context(**link["context"]).search(link["domain"])

    def test_revenue_against_the_plans(self):
        self._prepare()
        revenue = panel(self._data(), "revenue")
        self.assertEqual(revenue["columns"][4:], ["Plan", "Against plan"])
        (row,) = revenue["tables"][0]["rows"]
        # Hand count: the 50,000 line of the period; not the one of 200 days ago.
        self.assertEqual(cells(row)[4], 50_000.0)
        self.assertEqual(
            self._open(row["cells"][4]["link"]),
            self.current.revenue_line_ids.filtered(lambda line: line.amount == 50_000),
        )

    def test_plan_coverage(self):
        self._prepare()
        coverage = panel(self._data(), "plan_coverage")
        (row,) = coverage["tables"][0]["rows"]
        today = self.today
        due_until = today + datetime.timedelta(days=14)
        plans = self.current
        due = plans.filtered(lambda p: today <= p.next_review_date <= due_until)
        overdue = plans.filtered(lambda p: p.next_review_date < today)
        # Hand count: three tier A accounts, Globex with its active plan, Initech and
        # Hooli (a draft plan only) without.
        self.assertEqual(cells(row), [3, 1, 2, len(due), len(overdue)])
        opened = [self._open(cell["link"]) for cell in row["cells"]]
        self.assertEqual(opened[0], self.account | self.other_account | self.third)
        self.assertEqual(opened[1], self.account)
        self.assertEqual(opened[2], self.other_account | self.third)
        self.assertEqual(opened[3], due)
        self.assertEqual(opened[4], overdue)

    def test_widest_gaps(self):
        self._prepare()
        self.current.revenue_line_ids = [
            Command.create(
                {"period_date": self.today, "amount": 900_000, "probability": 100}
            )
        ]
        self.current.action_refresh_figures()
        gaps = panel(self._data(), "plan_gap")
        rows = gaps["tables"][0]["rows"]
        self.assertEqual(rows[0]["key"], self.current.id)
        self.assertEqual(
            rows[0]["cells"][3]["value"], round(self.current.gap_to_plan, 2)
        )
        self.assertGreater(self.current.gap_to_plan, 0)
        self.assertEqual(self._open(rows[0]["cells"][0]["link"]), self.current)

    def test_win_loss_per_competitor(self):
        Partner = self.env["res.partner"]
        acme = Partner.create({"name": "Acme Pumps", "is_company": True})
        rival = Partner.create({"name": "Rival Valves", "is_company": True})
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)

        def deal(name, **values):
            return self.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": self.account.id,
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "expected_revenue": 1000,
                    **values,
                }
            )

        lost = deal("Lost 1") | deal("Lost 2")
        self.env["crm.lead.lost"].create(
            {"lead_ids": [Command.set(lost.ids)], "kam_lost_to_id": acme.id}
        ).action_lost_reason_apply()
        won_acme = deal("Won 1", kam_competitor_ids=[Command.set(acme.ids)])
        won_both = deal("Won 2", kam_competitor_ids=[Command.set((acme | rival).ids)])
        (won_acme | won_both).write({"stage_id": won_stage.id})
        # Closed long ago: not in the period.
        old = deal("Old loss")
        self.env["crm.lead.lost"].create(
            {"lead_ids": [Command.set(old.ids)], "kam_lost_to_id": rival.id}
        ).action_lost_reason_apply()
        old.date_closed = datetime.datetime.now() - datetime.timedelta(days=400)
        rows = {
            row["key"]: row
            for row in panel(self._data(), "win_loss")["tables"][0]["rows"]
        }
        # Hand count: Acme won against twice, lost to twice: 50%; Rival won once.
        self.assertEqual(cells(rows[acme.id]), [2, 2, 50.0])
        self.assertEqual(cells(rows[rival.id]), [1, 0, 100.0])
        self.assertEqual(self._open(rows[acme.id]["cells"][1]["link"]), lost)
        self.assertEqual(
            self._open(rows[acme.id]["cells"][0]["link"]), won_acme | won_both
        )

    def test_every_panel_within_forty_queries_whatever_the_accounts(self):
        """With every panel of the installed KAM addons, the cockpit makes at most 40
        queries, and no more with more accounts at risk (issue: the director's view,
        bounded queries). Before the kinds of risk were computed once and counted in
        one query, the coverage risks alone cost a dozen queries twice."""
        self._prepare()
        self._data()  # warm: settings, xml ids, translations
        with self.assertQueryCount(40):
            self._data()
        # More key accounts, each at risk (a decline), each with its contacts.
        more = self.Partner.browse()
        for index in range(8):
            account = self._account(f"Extra {index}", self.rep)
            self.Partner.create({"name": f"Buyer {index}", "parent_id": account.id})
            more |= account
        self._refresh_all()
        more.with_user(self.director).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )
        self._data()
        with self.assertQueryCount(40):
            self._data()
