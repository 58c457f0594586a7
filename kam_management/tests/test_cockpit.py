import datetime
import shutil
import subprocess
import tempfile

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestCockpit(KamCase):
    """Every figure of the cockpit, built and checked. The accounts are those of one
    sales team (rep One), so that other data in the database does not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls._team("Cockpit Team", cls.rep)
        # Tier A, hot, contacted today: in time.
        cls.hot = cls._account("Hot Co", cls.rep)
        cls._sale(cls.hot, 100_000)
        # Tier A by override, cold, never contacted: overdue.
        cls.cold = cls._account("Cold Co", cls.rep)
        cls._sale(cls.cold, 10_000)
        # Tier B (warm), bought: an ordinary customer.
        cls.warm = cls._account("Warm Co", cls.rep)
        cls._sale(cls.warm, 50_000)
        # Prospects: never bought.
        cls.prospect = cls._account("Prospect Co", cls.rep)
        cls.prospect2 = cls._account("Prospect Two Co", cls.rep)
        # Someone else's account: outside the team.
        cls.other = cls._account("Other Co", cls.rep2)
        cls._sale(cls.other, 100_000)
        cls.cockpit = cls.env["kam.cockpit"].with_user(cls.director)

    def _prepare(self):
        self._log_contact(self.hot, self.today, channel="email")
        # Cold Co, never contacted, has been due since it was created ten days ago.
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = create_date - interval '10 days'"
            " WHERE id = %s",
            [self.cold.id],
        )
        self.cold.invalidate_recordset(["create_date"])
        self._refresh_all()
        self.cold.with_user(self.director).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )

    def _data(self, **kwargs):
        kwargs.setdefault("team_id", self.team.id)
        return self.cockpit.get_cockpit_data(**kwargs)

    def test_directors_only(self):
        with self.assertRaises(AccessError):
            self.env["kam.cockpit"].with_user(self.rep).get_cockpit_data()

    def test_heat_map_cells_and_overdue(self):
        self._prepare()
        heat_map = self._data()["heat_map"]
        cells = {(c["tier"], c["temperature"]): c for c in heat_map["cells"]}
        self.assertEqual(len(cells), 4 * 6)
        filled = {
            key: (c["count"], c["overdue"]) for key, c in cells.items() if c["count"]
        }
        self.assertEqual(filled, {("a", "hot"): (1, 0), ("a", "cold"): (1, 1)})
        self.assertEqual((heat_map["total"], heat_map["overdue"]), (2, 1))
        self.assertEqual(self.Partner.search(cells["a", "cold"]["domain"]), self.cold)
        self.assertEqual(
            self.Partner.search(cells["a", "cold"]["overdue_domain"]), self.cold
        )
        self.assertFalse(self.Partner.search(cells["a", "hot"]["overdue_domain"]))
        # All tiered accounts, not only the key ones.
        heat_map = self._data(key_only=False)["heat_map"]
        filled = {
            (c["tier"], c["temperature"]): c["count"]
            for c in heat_map["cells"]
            if c["count"]
        }
        self.assertEqual(filled[("b", "warm")], 1)
        self.assertEqual(heat_map["total"], 5)
        self.assertEqual(
            self.Partner.search(heat_map["domain"]),
            self.hot | self.cold | self.warm | self.prospect | self.prospect2,
        )

    def test_risks(self):
        declining = self._account("Declining Co", self.rep)
        self._sale(declining, 200_000, self.today - datetime.timedelta(days=400))
        self._sale(declining, 20_000)
        self._refresh_all()
        # Tier C (20,000 of 100,000), cadence 90 days: silent for 40 days beyond it,
        # and declining.
        self.assertEqual(declining.kam_tier, "c")
        declining.kam_last_contact_date = self.today - datetime.timedelta(days=130)
        # Tier B: silent for 40 days too; tier A Hot Co only 20 days: not yet.
        silent = self.warm
        silent.kam_last_contact_date = self.today - datetime.timedelta(days=130)
        self.hot.kam_last_contact_date = self.today - datetime.timedelta(days=50)
        data = self._data()
        risks = {risk["partner_id"]: risk for risk in data["risks"]}
        # Hot Co, a key account with nobody reached at the customer, hangs on no
        # thread (docs/METHOD.md#coverage, test_coverage.py); the others are no key
        # accounts.
        self.assertEqual(
            [r["code"] for r in risks.pop(self.hot.id)["reasons"]], ["single_threaded"]
        )
        self.assertEqual(set(risks), {declining.id, silent.id})
        self.assertEqual(data["risks"][0]["partner_id"], declining.id, "two reasons")
        self.assertEqual(
            [r["code"] for r in risks[declining.id]["reasons"]],
            ["revenue_decline", "silence"],
        )
        self.assertEqual(
            risks[declining.id]["reasons"][0]["detail"], "revenue -90% on 12 months"
        )
        self.assertEqual(
            risks[silent.id]["reasons"],
            [
                {
                    "code": "silence",
                    "label": "Silence",
                    "detail": "contact overdue by 40 days",
                }
            ],
        )
        self.assertEqual(risks[silent.id]["manager"], "Rep One")
        kinds = {kind["code"]: kind for kind in data["risk_kinds"]}
        self.assertEqual(kinds["revenue_decline"]["count"], 1)
        self.assertEqual(kinds["silence"]["count"], 2)
        self.assertEqual(
            self.Partner.search(kinds["silence"]["domain"]), declining | silent
        )
        # The silence threshold is a setting.
        self.company.kam_silence_days = 15
        risks = {risk["partner_id"]: risk for risk in self._data()["risks"]}
        self.assertEqual(set(risks), {declining.id, silent.id, self.hot.id})
        self.company.kam_silence_days = 50
        risks = {risk["partner_id"]: risk for risk in self._data()["risks"]}
        self.assertEqual(set(risks), {declining.id, self.hot.id})

    def test_pyramid_against_the_guideline(self):
        self._prepare()
        call = "mail.mail_activity_data_call"
        # Two hours of meeting with a contact of the hot key account.
        contact = self.Partner.create({"name": "Buyer", "parent_id": self.hot.id})
        start = datetime.datetime.now() - datetime.timedelta(days=3)
        self.env["calendar.event"].create(
            {
                "name": "Review",
                "start": start,
                "stop": start + datetime.timedelta(hours=2),
                "partner_ids": [(4, contact.id), (4, self.hot.id)],
            }
        )
        # A meeting long ago is outside the period.
        old = datetime.datetime.now() - datetime.timedelta(days=200)
        self.env["calendar.event"].create(
            {
                "name": "Old review",
                "start": old,
                "stop": old + datetime.timedelta(hours=5),
                "partner_ids": [(4, contact.id)],
            }
        )
        # A done call on the ordinary customer, one on a prospect's opportunity.
        self.warm.activity_schedule(call, user_id=self.rep.id).action_feedback("ok")
        lead = self.env["crm.lead"].create(
            {"name": "First deal", "partner_id": self.prospect.id, "type": "lead"}
        )
        lead.activity_schedule(call, user_id=self.rep.id).action_feedback("ok")
        # A note is no activity.
        self.prospect2.message_post(body="Note", message_type="comment")
        pyramid = {row["klass"]: row for row in self._data()["pyramid"]}
        self.assertEqual(
            {k: row["accounts"] for k, row in pyramid.items()},
            {"key": 2, "ordinary": 1, "prospect": 2},
        )
        self.assertEqual(
            {k: row["minutes"] for k, row in pyramid.items()},
            {"key": 120.0, "ordinary": 30.0, "prospect": 30.0},
        )
        self.assertEqual(pyramid["key"]["account_share"], 40.0)
        self.assertEqual(pyramid["key"]["time_share"], 66.7)
        self.assertEqual(pyramid["key"]["hours"], 2.0)
        self.assertEqual(pyramid["prospect"]["time_share"], 16.7)
        self.assertEqual(
            (pyramid["key"]["guideline_accounts"], pyramid["key"]["guideline_time"]),
            (10.0, 60.0),
        )
        self.assertEqual(pyramid["prospect"]["account_gap"], -20.0)
        self.assertEqual(
            self.Partner.search(pyramid["prospect"]["domain"]),
            self.prospect | self.prospect2,
        )
        self.assertEqual(
            self.Partner.search(pyramid["key"]["domain"]), self.hot | self.cold
        )
        # An activity counts for the configured minutes.
        self.company.kam_activity_minutes = 60
        pyramid = {row["klass"]: row for row in self._data()["pyramid"]}
        self.assertEqual(pyramid["key"]["time_share"], 50.0)
        # The meeting falls outside a short period.
        pyramid = {row["klass"]: row for row in self._data(period_days=2)["pyramid"]}
        self.assertEqual(pyramid["key"]["minutes"], 0.0)

    def test_data_is_json_and_periods(self):
        self._prepare()
        data = self._data(period_days=30)
        self.assertEqual(data["period"]["days"], 30)
        self.assertEqual(data["period"]["choices"], [30, 90, 180, 365])
        self.assertIn({"id": self.team.id, "name": "Cockpit Team"}, data["teams"])
        import json

        json.dumps(data)
        # A bounded number of queries, whatever the accounts: the same with more.
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=self._count_queries()):
            self._data()

    def _count_queries(self):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._data()
        count = self.env.cr.sql_log_count - before
        for index in range(20):
            account = self._account(f"More Co {index}", self.rep)
            self._sale(account, 1000 * index)
        self._refresh_all()
        self.env.invalidate_all()
        return count

    def test_assets_bundle_holds_the_cockpit(self):
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend")
        urls = {f["url"] for f in bundle.files}
        for name in ("kam_cockpit.js", "kam_cockpit.xml", "kam_cockpit.scss"):
            self.assertIn(f"/kam_management/static/src/cockpit/{name}", urls)
        [script] = [a for a in bundle.javascripts if a.url.endswith("kam_cockpit.js")]
        content = script.content
        self.assertIn("odoo.define('@kam_management/cockpit/kam_cockpit'", content)
        templates = bundle.generate_xml_bundle()
        self.assertIn("kam_management.KamCockpit", templates)
        node = shutil.which("node")
        if node:
            with tempfile.NamedTemporaryFile("w", suffix=".js") as handle:
                handle.write(content)
                handle.flush()
                result = subprocess.run(
                    [node, "--check", handle.name],
                    capture_output=True,
                    text=True,
                    check=False,
                )
            self.assertEqual(result.returncode, 0, result.stderr)
        [style] = [a for a in bundle.stylesheets if a.url.endswith("kam_cockpit.scss")]
        self.assertTrue(style)
        bundle.css()
        self.assertFalse(bundle.css_errors, bundle.css_errors)

    def test_client_action_and_menu(self):
        action = self.env.ref("kam_management.action_kam_cockpit")
        self.assertEqual(action.tag, "kam_cockpit")
        menu = self.env.ref("kam_management.menu_kam_cockpit")
        self.assertEqual(menu.parent_id, self.env.ref("kam_management.menu_kam_root"))
        self.assertEqual(
            menu.groups_id, self.env.ref("kam_management.group_kam_manager")
        )
        siblings = menu.parent_id.child_id.sorted("sequence")
        self.assertEqual(siblings[0], menu)
