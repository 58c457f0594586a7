from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestSecurity(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._account("Mine Co", cls.rep)
        cls.theirs = cls._account("Theirs Co", cls.rep2)
        cls.nobodys = cls._account("Nobody Co")
        cls.criterion = cls.env["kam.criterion"].create(
            {"name": "Size", "axis": "attractiveness"}
        )

    def test_rep_edits_own_accounts_only(self):
        self.mine.with_user(self.rep).write({"kam_relationship_type": "developing"})
        self.assertEqual(self.mine.kam_relationship_type, "developing")
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.rep).write(
                {"kam_relationship_type": "developing"}
            )
        self.assertFalse(self.theirs.kam_relationship_type)
        # Ordinary partner fields stay as the CRM rights have them.
        self.theirs.with_user(self.rep).write({"phone": "+7 495 000 00 00"})

    def test_rep_reads_every_account(self):
        self.assertEqual(self.theirs.with_user(self.rep).kam_manager_id, self.rep2)

    def test_rep_claims_unowned_but_never_takes_over(self):
        self.nobodys.with_user(self.rep).write({"kam_manager_id": self.rep.id})
        self.assertEqual(self.nobodys.kam_manager_id, self.rep)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.rep).write({"kam_manager_id": self.rep.id})
        with self.assertRaises(AccessError):
            self.mine.with_user(self.rep).write({"kam_manager_id": self.rep2.id})
        self.theirs.with_user(self.director).write({"kam_manager_id": self.rep.id})
        self.assertEqual(self.theirs.kam_manager_id, self.rep)

    def test_ratings_follow_ownership(self):
        Score = self.env["kam.partner.score"]
        Score.with_user(self.rep).create(
            {"partner_id": self.mine.id, "criterion_id": self.criterion.id}
        )
        with self.assertRaises(AccessError):
            Score.with_user(self.rep).create(
                {"partner_id": self.theirs.id, "criterion_id": self.criterion.id}
            )
        theirs = Score.create(
            {"partner_id": self.theirs.id, "criterion_id": self.criterion.id}
        )
        self.assertEqual(theirs.with_user(self.rep).score, 5, "reps read every rating")
        with self.assertRaises(AccessError):
            theirs.with_user(self.rep).write({"score": 9})
        theirs.with_user(self.director).write({"score": 9})

    def test_criteria_are_for_directors(self):
        with self.assertRaises(AccessError):
            self.criterion.with_user(self.rep).write({"weight": 3})
        self.criterion.with_user(self.director).write({"weight": 3})

    def test_multi_company_criteria(self):
        other = self.env["res.company"].create({"name": "Other Co Ltd"})
        foreign = self.env["kam.criterion"].create(
            {"name": "Foreign", "axis": "potential", "company_id": other.id}
        )
        visible = self.env["kam.criterion"].with_user(self.rep).search([])
        self.assertIn(self.criterion, visible)
        self.assertNotIn(foreign, visible)

    def test_one_owner_per_tax_id(self):
        self.mine.vat = "RU7707083893"
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self._account("Mine Co Duplicate", self.rep2, vat="RU7707083893")
        self._account("Mine Co Branch", self.rep, vat="RU7707083893")

    def test_non_kam_user_cannot_touch_kam_data(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Plain Salesman",
                "login": "plain_salesman",
                "groups_id": [
                    (6, 0, [self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.nobodys.with_user(salesman).write(
                {"kam_relationship_type": "potential"}
            )

    def test_rating_cannot_be_moved_to_another_account(self):
        Score = self.env["kam.partner.score"]
        mine = Score.with_user(self.rep).create(
            {"partner_id": self.mine.id, "criterion_id": self.criterion.id}
        )
        with self.assertRaises(UserError):
            mine.with_user(self.rep).write({"partner_id": self.theirs.id})
        self.assertEqual(mine.partner_id, self.mine)
        self.assertFalse(self.theirs.kam_score_ids)
