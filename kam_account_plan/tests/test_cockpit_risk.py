from odoo import Command
from odoo.tests import tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestCockpitStakeholderRisk(AccountPlanCase):
    """The director's cockpit lists the accounts whose plan lost a key person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.quiet = Partner.create({"name": "Quiet Co", "is_company": True})
        (cls.account | cls.other_account | cls.quiet).write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )
        cls.quiet_contact = Partner.create(
            {"name": "Quiet Contact", "parent_id": cls.quiet.id, "function": "CTO"}
        )
        cls.plan.stakeholder_ids = [
            Command.create({"partner_id": cls.cfo.id, "is_key": True}),
            Command.create({"partner_id": cls.buyer.id, "is_key": True}),
        ]
        cls.other_plan = cls.Plan.create(
            cls._plan_values(
                partner_id=cls.other_account.id,
                stakeholder_ids=[
                    Command.create({"partner_id": cls.outsider.id, "is_key": False})
                ],
            )
        )
        cls.quiet_plan = cls.Plan.create(
            cls._plan_values(
                partner_id=cls.quiet.id,
                stakeholder_ids=[Command.create({"partner_id": cls.quiet_contact.id})],
            )
        )
        (cls.plan | cls.other_plan | cls.quiet_plan).action_activate()
        cls.accounts_domain = [
            ("id", "in", (cls.account | cls.other_account | cls.quiet).ids)
        ]
        cls.cockpit = cls.env["kam.cockpit"].with_user(cls.director)

    def _stakeholder_risks(self):
        risks = self.cockpit._kam_cockpit_risks(self.accounts_domain)
        return {
            risk["partner_id"]: reason["detail"]
            for risk in risks
            for reason in risk["reasons"]
            if reason["code"] == "stakeholder_change"
        }

    def test_left_and_role_changed_key_stakeholders(self):
        self.assertEqual(self._stakeholder_risks(), {})
        self.cfo.action_archive()  # left
        self.buyer.function = "Head of Supply Chain"  # changed role
        # not key: no risk
        self.outsider.action_archive()
        risks = self._stakeholder_risks()
        self.assertEqual(set(risks), {self.account.id})
        self.assertIn("Hank Scorpio left", risks[self.account.id])
        self.assertIn(
            "Frank Grimes changed role, now Head of Supply Chain",
            risks[self.account.id],
        )
        counts = {
            kind["code"]: kind["count"]
            for kind in self.cockpit._kam_cockpit_risk_counts(self.accounts_domain)
        }
        self.assertEqual(counts["stakeholder_change"], 1)

    def test_closed_and_draft_plans_do_not_count(self):
        self.quiet_contact.action_archive()
        self.assertEqual(set(self._stakeholder_risks()), {self.quiet.id})
        self.quiet_plan.action_close()
        self.assertEqual(self._stakeholder_risks(), {})

    def _count_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        changes = self.cockpit._kam_cockpit_stakeholder_changes()
        mine = (self.account | self.other_account | self.quiet).ids
        # (the demo plans, if any, have their own changes)
        return self.env.cr.sql_log_count - before, set(changes) & set(mine)

    def test_constant_queries_whatever_the_number_of_accounts(self):
        self._count_queries()  # warm the registry caches (access rules)
        self.cfo.action_archive()
        # the first call after a change recomputes the stakeholders' status and
        # reloads the caches that the change cleared: count the next one
        self._count_queries()
        one, changes = self._count_queries()
        self.assertEqual(changes, {self.account.id})
        self.quiet_contact.action_archive()
        self.buyer.function = "Head of Supply Chain"
        self._count_queries()
        two, changes = self._count_queries()
        self.assertEqual(changes, {self.account.id, self.quiet.id})
        self.assertEqual(one, two)

    def test_in_the_cockpit_data(self):
        self.cfo.action_archive()
        data = self.cockpit.get_cockpit_data()
        kinds = {kind["code"]: kind for kind in data["risk_kinds"]}
        self.assertIn("stakeholder_change", kinds)
        self.assertGreaterEqual(kinds["stakeholder_change"]["count"], 1)
        listed = {
            risk["partner_id"]
            for risk in data["risks"]
            for reason in risk["reasons"]
            if reason["code"] == "stakeholder_change"
        }
        self.assertIn(self.account.id, listed)
