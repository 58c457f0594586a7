from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestAccess(AccountPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.write(
            {
                "stakeholder_ids": [Command.create({"partner_id": cls.cfo.id})],
                "revenue_line_ids": [
                    Command.create({"period_date": cls.date_start, "amount": 100})
                ],
            }
        )

    def test_owner_edits_their_plan(self):
        plan = self.plan.with_user(self.rep)
        plan.write(
            {"swot_threats": "New entrant", "revenue_line_ids": [Command.clear()]}
        )
        plan.stakeholder_ids.role = "sponsor"
        plan.action_activate()
        self.assertEqual(self.plan.state, "active")
        # A rep plans the accounts they manage (test_plan_access.py).
        self.other_account.kam_manager_id = self.rep
        own = self.Plan.with_user(self.rep).create(
            self._plan_values(partner_id=self.other_account.id)
        )
        self.assertEqual(own.user_id, self.rep)

    def test_other_rep_reads_but_cannot_edit(self):
        plan = self.plan.with_user(self.rep2)
        self.assertEqual(plan.name, self.plan.name)
        self.assertTrue(plan.stakeholder_ids.partner_id)
        with self.assertRaises(AccessError):
            plan.swot_threats = "Hijacked"
        with self.assertRaises(AccessError):
            plan.stakeholder_ids.role = "user"
        with self.assertRaises(AccessError):
            plan.revenue_line_ids.unlink()
        with self.assertRaises(AccessError):
            self.env["kam.account.plan.revenue.line"].with_user(self.rep2).create(
                {"plan_id": self.plan.id, "period_date": self.date_start, "amount": 1}
            )
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.rep2).create(
                self._plan_values(partner_id=self.other_account.id)
            )

    def test_salesman_reads_only(self):
        plan = self.plan.with_user(self.salesman)
        self.assertEqual(plan.forecast_total, 100)
        with self.assertRaises(AccessError):
            plan.name = "Mine"
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.salesman).create(
                self._plan_values(
                    partner_id=self.other_account.id, user_id=self.salesman.id
                )
            )

    def test_manager_edits_all(self):
        plan = self.plan.with_user(self.director)
        plan.write({"name": "Director's cut", "user_id": self.rep2.id})
        plan.stakeholder_ids.unlink()
        self.Plan.with_user(self.director).create(
            self._plan_values(partner_id=self.other_account.id, user_id=self.rep.id)
        )
        criterion = self.env["kam.partnership.criterion"].with_user(self.director)
        criterion.create({"name": "Joint roadmap"})
        with self.assertRaises(AccessError):
            self.env["kam.partnership.criterion"].with_user(self.rep).create(
                {"name": "Mine"}
            )

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "KAM Company B"})
        partner_b = self.env["res.partner"].create(
            {"name": "Umbrella", "is_company": True, "company_id": company_b.id}
        )
        director_b = new_test_user(
            self.env,
            login="kap_director_b",
            groups="kam_management.group_kam_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        plan_b = self.Plan.with_user(director_b).create(
            self._plan_values(
                partner_id=partner_b.id,
                company_id=company_b.id,
                user_id=director_b.id,
                reviewer_id=director_b.id,
            )
        )
        self.assertFalse(
            self.Plan.with_user(self.director).search([("id", "=", plan_b.id)])
        )
        with self.assertRaises(AccessError):
            plan_b.with_user(self.director).read(["name"])
        self.assertEqual(self.Plan.with_user(director_b).search([]), plan_b)

    def test_action_owner_closes_their_action(self):
        """The owner of an action line may not own the plan: they close the line through
        its activity, which is theirs."""
        self.plan.action_activate()
        line = self.env["kam.account.plan.action"].create(
            {
                "plan_id": self.plan.id,
                "name": "Technical visit",
                "user_id": self.rep2.id,
                "date_deadline": self.date_end,
            }
        )
        line.with_user(self.rep2).action_done()
        self.assertEqual(line.status, "done")
