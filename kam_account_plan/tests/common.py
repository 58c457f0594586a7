import contextlib
import datetime

from odoo.tests import TransactionCase, new_test_user


class AccountPlanCase(TransactionCase):
    """A key account with contacts, reps, a director, a plain salesman and a plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        # The demo data's opportunities would count as revenue: put them aside.
        cls.env.cr.execute("UPDATE crm_lead SET active = false")
        cls.env.invalidate_all()
        cls.company = cls.env.company
        cls.company.kam_revenue_source = "opportunity"
        cls.rep = new_test_user(
            cls.env,
            login="kap_rep",
            groups="kam_management.group_kam_user",
            name="Plan Rep",
        )
        cls.rep2 = new_test_user(
            cls.env,
            login="kap_rep2",
            groups="kam_management.group_kam_user",
            name="Other Rep",
        )
        cls.director = new_test_user(
            cls.env,
            login="kap_director",
            groups="kam_management.group_kam_manager",
            name="Plan Director",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="kap_salesman",
            groups="sales_team.group_sale_salesman",
            name="Plain Salesman",
        )
        Partner = cls.env["res.partner"]
        cls.account = Partner.create(
            {"name": "Globex", "is_company": True, "kam_manager_id": cls.rep.id}
        )
        cls.cfo = Partner.create(
            {"name": "Hank Scorpio", "parent_id": cls.account.id, "function": "CEO"}
        )
        cls.buyer = Partner.create(
            {"name": "Frank Grimes", "parent_id": cls.account.id, "function": "Buyer"}
        )
        cls.other_account = Partner.create({"name": "Initech", "is_company": True})
        cls.outsider = Partner.create(
            {"name": "Bill Lumbergh", "parent_id": cls.other_account.id}
        )
        cls.categ_pumps = cls.env["product.category"].create({"name": "Pumps"})
        cls.categ_valves = cls.env["product.category"].create({"name": "Valves"})
        cls.date_start = datetime.date(2026, 1, 1)
        cls.date_end = datetime.date(2026, 12, 31)
        cls.Plan = cls.env["kam.account.plan"]
        cls.plan = cls.Plan.create(cls._plan_values())

    @classmethod
    def _plan_values(cls, **values):
        return {
            "partner_id": cls.account.id,
            "user_id": cls.rep.id,
            "reviewer_id": cls.director.id,
            "date_start": cls.date_start,
            "date_end": cls.date_end,
            **values,
        }

    @classmethod
    def _sale(cls, partner, amount, day):
        """A won opportunity of ``amount`` closed on ``day``."""
        won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {partner.name} {amount}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": amount,
                "stage_id": won.id,
            }
        )
        lead.date_closed = datetime.datetime.combine(day, datetime.time(12))
        return lead

    @contextlib.contextmanager
    def assertRaisesText(self, exception, text):
        """``assertRaises`` (it rolls the savepoint back: nothing changes) and the
        message says ``text``. Odoo's ``assertRaisesRegex`` does not roll back."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))
