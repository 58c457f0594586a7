import contextlib
import datetime

from odoo.addons.kam_management.tests.common import KamCase

# The plan's figures: one block on the form and in the printed plan, each figure once.
PLAN_FIGURES = (
    "forecast_total",
    "forecast_weighted",
    "actual_to_date",
    "achievement_percent",
    "pipeline_weighted",
    "gap_to_plan",
    "plan_coverage",
    "figures_date",
)


class AccountPlanCase(KamCase):
    """A key account with contacts, reps, a director, a plain salesman and a plan, on
    kam_management's test base (its users, clean slate and revenue source)."""

    kam_context = {"tracking_disable": True, "mail_create_nolog": True}
    kam_users = {
        "rep": ("kap_rep", "Plan Rep", "kam_management.group_kam_user"),
        "rep2": ("kap_rep2", "Other Rep", "kam_management.group_kam_user"),
        "director": (
            "kap_director",
            "Plan Director",
            "kam_management.group_kam_manager",
        ),
        "salesman": (
            "kap_salesman",
            "Plain Salesman",
            "sales_team.group_sale_salesman",
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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

    @contextlib.contextmanager
    def assertRaisesText(self, exception, text):
        """``assertRaises`` (it rolls the savepoint back: nothing changes) and the
        message says ``text``. Odoo's ``assertRaisesRegex`` does not roll back."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))
