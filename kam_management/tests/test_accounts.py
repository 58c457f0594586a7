"""One definition of an account, the daily job's, behind every list, filter, the heat
map, the cockpit and the compliance figures: never the database's own companies,
their people or users' partners."""

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import KamCase


@tagged("post_install", "-at_install")
class TestAccountDefinition(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._account("Customer Co", cls.rep)
        cls._sale(cls.customer, 100_000)
        cls.portal = cls.env["res.users"].create(
            {
                "name": "Portal Buyer",
                "login": "kam_portal_buyer",
                "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])],
            }
        )
        cls.employee = cls.env["res.partner"].create(
            {"name": "Marc Staff", "parent_id": cls.company.partner_id.id}
        )
        cls.non_accounts = (
            cls.company.partner_id
            | cls.rep.partner_id
            | cls.portal.partner_id
            | cls.employee
        )
        # Figures left by an earlier refresh (a customer who became a user, data of
        # an older version): they must not show anywhere.
        cls.non_accounts.write(
            {
                "kam_tier_computed": "d",
                "kam_manager_id": cls.rep.id,
                "kam_refresh_date": False,
            }
        )

    def _action_records(self, xmlid):
        action = self.env.ref(xmlid)
        return self.Partner.search(safe_eval(action.domain))

    def test_is_account(self):
        self.assertTrue(self.customer.kam_is_account)
        for partner in self.non_accounts:
            self.assertFalse(partner.kam_is_account, partner.name)
        self.assertEqual(
            self.Partner.search(
                [("kam_is_account", "=", True), ("id", "in", self.non_accounts.ids)]
            ),
            self.Partner,
        )
        self.assertEqual(
            self.Partner.search(
                [("kam_is_account", "=", False), ("id", "in", self.non_accounts.ids)]
            ),
            self.non_accounts,
        )

    def test_lists_heat_map_cockpit_and_compliance_count_accounts_only(self):
        # The first run of a day clears them (the demo data's run was today's).
        self.company.sudo().kam_accounts_checked_date = False
        self._refresh_all()
        self.assertFalse(self.non_accounts.filtered("kam_tier"), "their figures go")
        self.assertEqual(self.customer.kam_tier, "a")
        for xmlid in (
            "kam_management.action_kam_accounts",
            "kam_management.action_kam_overdue",
            "kam_management.action_kam_heat_map",
        ):
            records = self._action_records(xmlid)
            self.assertFalse(records & self.non_accounts, xmlid)
        self.assertIn(
            self.customer, self._action_records("kam_management.action_kam_accounts")
        )
        data = (
            self.env["kam.cockpit"]
            .with_user(self.director)
            .get_cockpit_data(key_only=False)
        )
        cockpit_accounts = self.Partner.search(data["accounts_domain"])
        self.assertFalse(cockpit_accounts & self.non_accounts)
        snapshots = self.env["kam.cadence.snapshot"].search(
            [("date", "=", self.today), ("manager_id", "=", self.rep.id)]
        )
        self.assertEqual(sum(snapshots.mapped("account_count")), 1, "Customer Co")

    def test_benchmark_from_accounts_only(self):
        # An inter-company sale ten times the best customer's does not become the
        # tier A benchmark: the customer stays tier A.
        self._sale(self.company.partner_id, 1_000_000)
        self._sale(self.portal.partner_id, 1_000_000)
        self._refresh_all()
        self.assertEqual(self.company.kam_benchmark_revenue, 100_000)
        self.assertEqual(self.customer.kam_tier, "a")

    def test_sql_and_list_forms_of_the_definition_agree(self):
        # The server's searches take the people left out as a subquery, the web
        # client's domains as a list of ids: the same accounts either way.
        archived = self.env["res.users"].create(
            {"name": "Gone Rep", "login": "kam_gone_rep", "active": False}
        )
        Partner = self.Partner.with_context(active_test=False)
        for company in (None, self.company):
            by_list = Partner.search(Partner._kam_account_domain(company))
            by_sql = Partner.search(Partner._kam_account_domain(company, in_sql=True))
            self.assertEqual(by_list, by_sql)
            self.assertNotIn(archived.partner_id, by_sql)
            self.assertIn(self.customer, by_sql)
