from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamCase


@tagged("post_install", "-at_install")
class TestScoring(KamCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Criterion = cls.env["kam.criterion"]
        cls.env["kam.criterion"].search([]).active = False
        cls.attr_big = cls.Criterion.create(
            {"name": "Size", "axis": "attractiveness", "weight": 3}
        )
        cls.attr_small = cls.Criterion.create(
            {"name": "Growth", "axis": "attractiveness", "weight": 1}
        )
        cls.rel = cls.Criterion.create(
            {"name": "Contacts", "axis": "relationship", "weight": 1}
        )
        cls.pot = cls.Criterion.create(
            {"name": "Budget", "axis": "potential", "weight": 1}
        )
        cls.account = cls._account("Scored Co", cls.rep)

    def _rate(self, criterion, score):
        return self.env["kam.partner.score"].create(
            {
                "partner_id": self.account.id,
                "criterion_id": criterion.id,
                "score": score,
            }
        )

    def test_load_criteria_adds_each_active_criterion_once(self):
        self.account.action_kam_load_criteria()
        self.account.action_kam_load_criteria()
        self.assertEqual(
            set(self.account.kam_score_ids.criterion_id.ids),
            {self.attr_big.id, self.attr_small.id, self.rel.id, self.pot.id},
        )
        self.assertEqual(len(self.account.kam_score_ids), 4)

    def test_weighted_scores_and_quadrants(self):
        big = self._rate(self.attr_big, 10)
        self._rate(self.attr_small, 2)
        rel = self._rate(self.rel, 8)
        self._rate(self.pot, 5)
        # (10*3 + 2*1) / 4 = 8 -> 80
        self.assertAlmostEqual(self.account.kam_attractiveness_score, 80.0)
        self.assertAlmostEqual(self.account.kam_relationship_score, 80.0)
        self.assertAlmostEqual(self.account.kam_potential_score, 50.0)
        self.assertEqual(self.account.kam_quadrant, "key")
        self.assertTrue(self.account.kam_is_key_account)
        rel.score = 2
        self.assertEqual(self.account.kam_quadrant, "target")
        big.score = 0
        self.assertEqual(self.account.kam_quadrant, "low_profile")
        rel.score = 9
        self.assertEqual(self.account.kam_quadrant, "maintain")

    def test_weight_change_moves_the_score(self):
        self._rate(self.attr_big, 10)
        self._rate(self.attr_small, 0)
        self.assertAlmostEqual(self.account.kam_attractiveness_score, 75.0)
        self.attr_big.weight = 1
        self.assertAlmostEqual(self.account.kam_attractiveness_score, 50.0)

    def test_quadrant_needs_both_axes(self):
        self._rate(self.attr_big, 10)
        self.assertFalse(self.account.kam_quadrant)

    def test_score_out_of_range_is_refused(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._rate(self.attr_big, 11)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._rate(self.attr_big, -1)
        self.assertFalse(self.account.kam_score_ids)

    def test_criterion_weight_must_be_positive(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.Criterion.create({"name": "Bad", "axis": "potential", "weight": 0})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.pot.weight = -2
        self.assertEqual(self.pot.weight, 1)

    @mute_logger("odoo.sql_db")
    def test_one_rating_per_criterion(self):
        self._rate(self.attr_big, 5)
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self._rate(self.attr_big, 6)

    def test_contacts_are_not_rated(self):
        contact = self.Partner.create({"name": "Buyer", "parent_id": self.account.id})
        with self.assertRaises(ValidationError):
            self.env["kam.partner.score"].create(
                {"partner_id": contact.id, "criterion_id": self.rel.id}
            )
