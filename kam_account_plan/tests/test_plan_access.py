import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AccountPlanCase

NEXT_YEAR = {
    "date_start": datetime.date(2027, 1, 1),
    "date_end": datetime.date(2027, 12, 31),
}


@tagged("post_install", "-at_install")
class TestPlanningRight(AccountPlanCase):
    """Only the account's key account manager, its account team or a director plans
    the account (creates its plans, moves a plan to it or to another period)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # rep2 manages Initech and has a plan there.
        cls.other_account.kam_manager_id = cls.rep2
        cls.plan_rep2 = cls.Plan.create(
            cls._plan_values(partner_id=cls.other_account.id, user_id=cls.rep2.id)
        )

    def _plans_of(self, account):
        return self.Plan.search([("partner_id", "=", account.id)])

    def test_rep_cannot_plan_another_reps_account(self):
        before = self._plans_of(self.account)
        values = self._plan_values(user_id=self.rep2.id, **NEXT_YEAR)
        Plan = self.Plan.with_user(self.rep2)
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            Plan.create(values)
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            Plan.web_save(values, {})
        result = Plan.load(
            ["partner_id/.id", "user_id/.id", "date_start", "date_end"],
            [[str(self.account.id), str(self.rep2.id), "2027-01-01", "2027-12-31"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("Only the key account manager", result["messages"][0]["message"])
        self.assertEqual(self._plans_of(self.account), before)
        # The account's manager plans the period that the other rep wanted.
        self.Plan.with_user(self.rep).create(self._plan_values(**NEXT_YEAR))

    def test_rep_cannot_move_their_plan_to_another_reps_account(self):
        plan = self.plan_rep2.with_user(self.rep2)
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            plan.write({"partner_id": self.account.id, **NEXT_YEAR})
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            plan.web_save({"partner_id": self.account.id, **NEXT_YEAR}, {})
        self.assertEqual(self.plan_rep2.partner_id, self.other_account)
        # Their own account, another period: fine.
        plan.write(NEXT_YEAR)
        self.assertEqual(self.plan_rep2.date_start, NEXT_YEAR["date_start"])

    def test_rep_cannot_copy_a_plan_onto_another_reps_account(self):
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            self.plan.with_user(self.rep2).copy({"user_id": self.rep2.id, **NEXT_YEAR})
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            self.plan_rep2.with_user(self.rep2).copy(
                {"partner_id": self.account.id, **NEXT_YEAR}
            )

    def test_manager_team_and_director_plan_the_account(self):
        self.plan.team_user_ids = self.rep2
        team_plan = self.Plan.with_user(self.rep2).create(
            self._plan_values(user_id=self.rep2.id, **NEXT_YEAR)
        )
        self.assertEqual(team_plan.user_id, self.rep2)
        team_plan.unlink()
        # Planning the account does not follow from a closed plan's team.
        self.plan.action_close()
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            self.Plan.with_user(self.rep2).create(
                self._plan_values(user_id=self.rep2.id, **NEXT_YEAR)
            )
        director_plan = self.Plan.with_user(self.director).create(
            self._plan_values(user_id=self.rep2.id, **NEXT_YEAR)
        )
        self.assertEqual(director_plan.partner_id, self.account)
        # An account without a manager is planned by the directors.
        unmanaged = self.env["res.partner"].create(
            {"name": "Vandelay Industries", "is_company": True}
        )
        with self.assertRaisesText(AccessError, "Only the key account manager"):
            self.Plan.with_user(self.rep).create(
                self._plan_values(partner_id=unmanaged.id)
            )
        self.Plan.with_user(self.director).create(
            self._plan_values(partner_id=unmanaged.id)
        )


@tagged("post_install", "-at_install")
class TestPlanUsersOfTheCompany(AccountPlanCase):
    """The people of a plan (owner, team, reviewer, action owners, issue owners) are
    users of the plan's company: nobody of another company gets the plan's activities.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "KAM Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="kap_user_b",
            groups="kam_management.group_kam_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
            name="Company B Director",
        )

    def _activities_of(self, user):
        return self.env["mail.activity"].search(
            [("res_model", "=", "kam.account.plan"), ("user_id", "=", user.id)]
        )

    def test_plan_people_of_another_company_are_refused(self):
        plan = self.plan.with_user(self.rep)
        for values in (
            {"reviewer_id": self.user_b.id},
            {"team_user_ids": [Command.link(self.user_b.id)]},
            {"user_id": self.user_b.id},
        ):
            with self.subTest(values=values):
                with self.assertRaisesText(UserError, "Incompatible companies"):
                    plan.write(values)
                with self.assertRaisesText(UserError, "Incompatible companies"):
                    plan.web_save(values, {})
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.Plan.with_user(self.director).create(
                self._plan_values(
                    partner_id=self.other_account.id, reviewer_id=self.user_b.id
                )
            )
        self.assertEqual(self.plan.reviewer_id, self.director)
        self.assertFalse(self.plan.team_user_ids)
        self.assertEqual(self.plan.user_id, self.rep)

    def test_action_and_issue_owners_of_another_company_are_refused(self):
        self.plan.action_activate()
        plan = self.plan.with_user(self.rep)
        action = {"name": "Visit", "date_deadline": self.date_end}
        with self.assertRaisesText(UserError, "Incompatible companies"):
            plan.web_save(
                {"action_ids": [Command.create({**action, "user_id": self.user_b.id})]},
                {},
            )
        line = self.env["kam.account.plan.action"].create(
            {**action, "plan_id": self.plan.id, "user_id": self.rep.id}
        )
        with self.assertRaisesText(UserError, "Incompatible companies"):
            line.with_user(self.rep).write({"user_id": self.user_b.id})
        with self.assertRaisesText(UserError, "Incompatible companies"):
            plan.write(
                {
                    "issue_ids": [
                        Command.create({"name": "Audit", "user_id": self.user_b.id})
                    ]
                }
            )
        self.assertEqual(self.plan.action_ids, line)
        self.assertEqual(line.activity_id.user_id, self.rep)
        self.assertFalse(self._activities_of(self.user_b))
