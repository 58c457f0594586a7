import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AccountPlanCase

#: CRM's predictive score in these tests: far from every KAM category.
SCORE = 94.0


@tagged("post_install", "-at_install")
class TestPlanKamProbability(AccountPlanCase):
    """With KAM Pipeline Stages, the weighted pipeline weighs a KAM deal by its
    category's probability, not by CRM's predictive score (issue 10)."""

    def setUp(self):
        super().setUp()
        if "kam_category" not in self.env["crm.stage"]._fields:
            self.skipTest("KAM Pipeline Stages is not installed")
        self.patch(
            type(self.env["crm.lead"]),
            "_pls_get_naive_bayes_probabilities",
            lambda records, batch_mode=False: dict.fromkeys(records.ids, SCORE),
        )
        self.team = self.env.ref("kam_pipeline_stages.crm_team_key_accounts")

    def _deal(self, amount, stage=None, **values):
        return self.env["crm.lead"].create(
            {
                "name": f"Deal {amount}",
                "type": "opportunity",
                "partner_id": self.account.id,
                "expected_revenue": amount,
                "date_deadline": datetime.date(2026, 6, 30),
                "company_id": self.company.id,
                "user_id": self.rep.id,
                **({"team_id": self.team.id, "stage_id": stage.id} if stage else {}),
                **values,
            }
        )

    def _pipeline(self):
        with freeze_time("2026-06-15"):
            self.plan.action_refresh_figures()
        return self.plan.pipeline_weighted

    def test_weighted_pipeline_uses_the_category_probability(self):
        held = self.env.ref("kam_pipeline_stages.crm_stage_kam_meeting_held")
        fifty = self.env.ref("kam_pipeline_stages.crm_stage_kam_fifty")
        deal = self._deal(40000, held)
        self.assertEqual(deal.automated_probability, SCORE)
        self.assertEqual(deal.probability, 25.0)
        self.assertEqual(self._pipeline(), 10000)
        # a deal outside the KAM pipeline weighs by CRM's probability
        self._deal(1000, team_id=False)
        self.assertEqual(self._pipeline(), 10940)
        # the rep cannot make the KAM deal weigh more
        deal.with_user(self.rep).write({"probability": 90.0})
        self.assertEqual(self._pipeline(), 10940)
        # moving it on does (its criteria ticked)
        deal.kam_checklist_line_ids.filtered(
            lambda line: line.kind == "criterion"
        ).is_done = True
        deal.write({"stage_id": fifty.id})
        self.assertEqual(self._pipeline(), 20940)
