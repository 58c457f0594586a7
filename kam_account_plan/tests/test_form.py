import datetime
from collections import Counter

from lxml import etree

from odoo.tests import Form, tagged

from .common import PLAN_FIGURES, AccountPlanCase


@tagged("post_install", "-at_install")
class TestPlanForm(AccountPlanCase):
    def test_form_as_owner(self):
        self.account.kam_relationship_type = "developing"
        self.plan.action_close()
        with Form(self.Plan.with_user(self.rep)) as form:
            form.partner_id = self.account
            form.date_start = datetime.date(2027, 1, 1)
            form.date_end = datetime.date(2027, 6, 30)
            self.assertEqual(form.user_id, self.rep)
            self.assertEqual(form.relationship_type, "developing")
            with form.stakeholder_ids.new() as stakeholder:
                stakeholder.partner_id = self.cfo
                self.assertEqual(stakeholder.function_at_plan, "CEO")
                stakeholder.role = "decision_maker"
            with form.revenue_line_ids.new() as line:
                line.period_date = datetime.date(2027, 1, 1)
                line.amount = 1000
                line.probability = 40
            with form.action_ids.new() as action:
                action.name = "Kick-off"
                action.date_deadline = datetime.date(2027, 1, 15)
        plan = form.record
        self.assertEqual(plan.forecast_weighted, 400)
        self.assertEqual(plan.stakeholder_ids.role, "decision_maker")
        self.assertEqual(plan.action_ids.user_id, self.rep)
        plan.with_user(self.rep).action_activate()
        self.assertEqual(plan.action_ids.status, "planned")

    def test_views_and_partner_button(self):
        for view_type in ("list", "kanban", "form", "search", "activity"):
            self.Plan.get_views([(False, view_type)])
        self.assertEqual(self.account.kam_account_plan_count, 1)
        self.assertEqual(self.cfo.kam_account_plan_count, 1)
        action = self.cfo.action_view_kam_account_plans()
        self.assertEqual(self.Plan.search(action["domain"]), self.plan)
        action = self.plan.action_view_actions()
        self.assertEqual(action["domain"], [("plan_id", "=", self.plan.id)])

    def test_form_shows_each_figure_once(self):
        view = self.env.ref("kam_account_plan.kam_account_plan_view_form")
        arch = etree.fromstring(self.Plan.get_view(view.id, "form")["arch"])
        shown = Counter(field.get("name") for field in arch.iter("field"))
        for name in PLAN_FIGURES:
            self.assertEqual(shown[name], 1, name)
            self.assertTrue(self.Plan._fields[name].help, f"{name} explains itself")
        for name in ("actual_revenue", "revenue_gap"):
            self.assertNotIn(name, self.Plan._fields, "the duplicates are gone")
