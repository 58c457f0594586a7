import datetime

from odoo import Command
from odoo.tests import tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestPlanCoverage(AccountPlanCase):
    """The plan's stakeholder roles and account team on the coverage map
    (docs/METHOD.md#coverage): the decision maker's silence and the role change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write(
            {"kam_tier_override": "a", "kam_tier_override_reason": "Strategic"}
        )
        cls.plan.write(
            {
                "team_user_ids": [Command.link(cls.rep2.id)],
                "stakeholder_ids": [
                    Command.create(
                        {
                            "partner_id": cls.cfo.id,
                            "role": "decision_maker",
                            "is_key": True,
                        }
                    ),
                    Command.create({"partner_id": cls.buyer.id, "role": "influencer"}),
                ],
            }
        )
        cls.plan.action_activate()
        cls.dm = cls.plan.stakeholder_ids.filtered(lambda s: s.partner_id == cls.cfo)
        cls.influencer = cls.plan.stakeholder_ids - cls.dm
        cls.engine = cls.env["kam.coverage"]
        cls.cockpit = cls.env["kam.cockpit"].with_user(cls.director)
        cls.accounts_domain = [("id", "=", cls.account.id)]

    def _call(self, contact, user, days_ago):
        return self.env["mail.message"].create(
            {
                "model": "res.partner",
                "res_id": contact.id,
                "body": "Call",
                "author_id": user.partner_id.id,
                "message_type": "notification",
                "subtype_id": self.env.ref("mail.mt_activities").id,
                "mail_activity_type_id": self.env.ref(
                    "mail.mail_activity_data_call"
                ).id,
                "date": datetime.datetime.combine(
                    self.today - datetime.timedelta(days=days_ago), datetime.time(9)
                ),
            }
        )

    def _summary(self):
        return self.engine._kam_coverage(self.account)[self.account.id]

    def _reasons(self, code):
        risks = self.cockpit._kam_cockpit_risks(self.accounts_domain)
        return {
            risk["partner_id"]: reason["detail"]
            for risk in risks
            for reason in risk["reasons"]
            if reason["code"] == code
        }

    def test_roles_levels_and_team_on_the_map(self):
        summary = self._summary()
        self.assertEqual(summary["their"][self.cfo.id]["role"], "decision_maker")
        self.assertEqual(summary["their"][self.cfo.id]["level"], "executive")
        self.assertEqual(summary["their"][self.buyer.id]["level"], "operational")
        # The plan's owner and account team belong on our side, even unreached.
        self.assertEqual(
            set(summary["ours"]), {self.rep.partner_id.id, self.rep2.partner_id.id}
        )
        lines = self.engine._kam_coverage_lines({self.account.id: summary})
        roles = {v["their_role"] for v in lines if v.get("their_role")}
        self.assertEqual(roles, {"Decision Maker", "Influencer"})

    def test_decision_maker_silent_within_the_cadence(self):
        self._refresh_all()
        cadence = self.account.kam_cadence_days
        self.assertEqual(cadence, 30)
        self._call(self.buyer, self.rep, 2)
        self._call(self.cfo, self.rep, cadence + 5)
        summary = self._summary()
        self.assertEqual(summary["silent_dm"], [self.cfo.id])
        self.assertEqual(summary["silent"], [self.cfo.id])
        self.assertTrue(self.account.kam_coverage_dm_silent)
        detail = self._reasons("decision_maker_silent")[self.account.id]
        self.assertIn("Hank Scorpio", detail)
        self.assertIn("30", detail)
        # A call within the cadence: no longer silent.
        self._call(self.cfo, self.rep2, 3)
        self.assertEqual(self._summary()["silent_dm"], [])
        self.assertNotIn(self.account.id, self._reasons("decision_maker_silent"))

    def test_single_threaded_with_plan_people(self):
        self._refresh_all()
        self._call(self.buyer, self.rep, 2)
        self.assertIn(self.account.id, self._reasons("single_threaded"))
        self.assertEqual(self.plan.coverage_class, "single")
        self.assertIn("Hank Scorpio", self.plan.coverage_html)

    def test_role_change_on_the_plan_is_a_stakeholder_change(self):
        self.assertEqual(self.influencer.status, "active")
        self.assertFalse(self.plan.risk_stakeholder_change)
        self.influencer.role = "gatekeeper"
        self.assertEqual(self.influencer.role_at_plan, "influencer")
        self.assertEqual(self.influencer.status, "role_changed")
        self.influencer.is_key = True
        self.assertTrue(self.plan.risk_stakeholder_change)
        detail = self._reasons("stakeholder_change")[self.account.id]
        self.assertIn("Frank Grimes is now Gatekeeper", detail)
        # The change acknowledged: the new role is the plan's reference.
        self.influencer.with_user(self.rep).action_acknowledge_change()
        self.assertEqual(self.influencer.status, "active")
        self.assertFalse(self.plan.risk_stakeholder_change)
