"""One probability for a KAM deal: its category's (issue 10).

CRM's predictive score stays beside it (``automated_probability``), the deals
outside the KAM pipeline keep CRM's behaviour.
"""

from odoo.tests import Form, tagged

from .common import KamPipelineCase

#: CRM's predictive score in these tests: far from every category.
SCORE = 94.0


@tagged("post_install", "-at_install", "kam")
class TestKamProbability(KamPipelineCase):
    def setUp(self):
        super().setUp()
        self.patch(
            type(self.env["crm.lead"]),
            "_pls_get_naive_bayes_probabilities",
            lambda records, batch_mode=False: dict.fromkeys(records.ids, SCORE),
        )

    def _held_lead(self, **vals):
        lead = self._lead(expected_revenue=40000.0, **vals)
        self._tick(lead, self.stage_fm)
        lead.write({"stage_id": self.stage_held.id})
        return lead

    def _assert_probability(self, lead, probability):
        self.assertEqual(lead.probability, probability)
        self.assertEqual(
            lead.prorated_revenue, lead.expected_revenue * probability / 100
        )

    # -- the category's

    def test_a_meeting_held_deal_has_25_whatever_the_score(self):
        lead = self._held_lead()
        self.assertEqual(lead.stage_id.name, "First Meeting Held (25%)")
        self.assertEqual(lead.automated_probability, SCORE, "CRM's score beside it")
        self._assert_probability(lead, 25.0)
        self.assertTrue(lead.kam_category_sets_probability)
        # CRM's compute (stage, team or scoring fields changing) keeps it.
        tag = self.env["crm.tag"].create({"name": "KAM scoring tag"})
        lead.write({"tag_ids": [(4, tag.id)]})
        self.env.flush_all()
        self._assert_probability(lead, 25.0)

    def test_moving_the_deal_moves_its_probability(self):
        lead = self._lead(expected_revenue=10000.0)
        self._assert_probability(lead, 10.0)
        for stage, probability in (
            (self.stage_held, 25.0),
            (self.stage_fifty, 50.0),
            (self.stage_75, 75.0),
            (self.stage_park, 0.0),
            (self.stage_fm, 10.0),
            (self.stage_won, 100.0),
        ):
            self._tick(lead, lead.stage_id)
            lead.write({"stage_id": stage.id})
            self._assert_probability(lead, probability)
        self.assertTrue(lead.active)
        self.assertFalse(lead.kam_category_sets_probability, "won: CRM's 100")
        # Out of the KAM pipeline: CRM's predictive score is back.
        lead.write({"stage_id": self.stage_generic.id, "team_id": False})
        self._assert_probability(lead, SCORE)
        self.assertTrue(lead.is_automated_probability)

    def test_lost_and_restored(self):
        lead = self._held_lead()
        lead.action_set_lost()
        self.assertEqual(lead.probability, 0.0)
        self.assertFalse(lead.kam_category_sets_probability)
        lead.action_unarchive()
        self._assert_probability(lead, 25.0)
        lead.action_archive()
        lead.write({"active": True})
        self._assert_probability(lead, 25.0)

    def test_a_director_changing_the_category_probability(self):
        lead = self._held_lead()
        self.stage_held.with_user(self.director).kam_probability = 30.0
        self._assert_probability(lead, 30.0)
        # A stage that is no longer a KAM stage gives CRM its deals back.
        self.stage_held.with_user(self.director).kam_category = False
        self.assertFalse(lead.kam_category_sets_probability)
        self._assert_probability(lead, SCORE)
        self.stage_held.with_user(self.director).kam_category = "meeting_held"
        self._assert_probability(lead, 25.0)

    def test_checklist_mode_uses_the_earned_category(self):
        self.env.company.kam_checklist_sets_probability = True
        lead = self._held_lead()
        # Only the first meeting's criteria are ticked: 10%, not the stage's 25%.
        self.assertEqual(lead.kam_checklist_category, "first_meeting")
        self._assert_probability(lead, 10.0)
        self._tick(lead, self.stage_held)
        self._assert_probability(lead, 25.0)
        self.env.company.kam_checklist_sets_probability = False
        self._assert_probability(lead, 25.0)

    def test_nightly_score_update_keeps_the_category(self):
        lead = self._held_lead()
        # CRM's nightly update moves a probability equal to the old score.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET automated_probability = probability,"
            " create_date = now() WHERE id = %s",
            [lead.id],
        )
        self.env.invalidate_all()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm.pls_start_date", "2000-01-01"
        )
        self.env["crm.lead"]._update_automated_probabilities()
        self.assertEqual(lead.automated_probability, SCORE)
        self._assert_probability(lead, 25.0)

    # -- CRM's own deals

    def test_deals_outside_the_kam_pipeline_keep_crm_probability(self):
        lead = self._lead(stage=self.stage_generic, team_id=False)
        self.assertFalse(lead.kam_category_sets_probability)
        self.assertEqual(lead.probability, SCORE)
        self.assertTrue(lead.is_automated_probability)
        lead.with_user(self.rep).write({"probability": 42.0})
        self.assertEqual(lead.probability, 42.0)
        lead.with_user(self.rep).action_set_automated_probability()
        self.assertEqual(lead.probability, SCORE)
        form = Form(lead.with_user(self.rep))
        form.probability = 60.0
        form.save()
        self.assertEqual(lead.probability, 60.0)

    # -- no forged probability

    def test_a_rep_cannot_forge_the_probability(self):
        lead = self._held_lead()
        rep_lead = lead.with_user(self.rep)
        rep_lead.write({"probability": 90.0})
        self._assert_probability(lead, 25.0)
        rep_lead.web_save({"probability": 90.0}, specification={})
        self._assert_probability(lead, 25.0)
        rep_lead.action_set_automated_probability()
        self._assert_probability(lead, 25.0)
        # Created or imported with a probability: the category's all the same.
        created = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Forged deal",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "stage_id": self.stage_fm.id,
                    "probability": 90.0,
                }
            )
        )
        self.assertEqual(created.probability, 10.0)
        result = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .load(
                ["name", "type", "team_id/id", "probability"],
                [
                    [
                        "Imported forged deal",
                        "opportunity",
                        "kam_pipeline_stages.crm_team_key_accounts",
                        "90",
                    ]
                ],
            )
        )
        self.assertFalse(result["messages"], result)
        imported = self.env["crm.lead"].browse(result["ids"])
        self.assertEqual(imported.stage_id, self.stage_fm)
        self.assertEqual(imported.probability, 10.0)
        # Moving the deal out of the KAM pipeline with a probability keeps it.
        rep_lead.write({"stage_id": self.stage_generic.id, "probability": 35.0})
        self.assertEqual(lead.probability, 35.0)

    def test_lead_form(self):
        lead = self._lead()
        self._tick(lead, self.stage_fm)
        with Form(lead.with_user(self.rep)) as form:
            self.assertEqual(form.probability, 10.0)
            self.assertEqual(form.automated_probability, SCORE)
            with self.assertRaises(AssertionError):
                form.probability = 60.0
            form.stage_id = self.stage_held
            self.assertEqual(form.probability, 25.0)
        self._assert_probability(lead, 25.0)

    def test_search_agrees_with_the_rule(self):
        leads = self._lead(name="Open") | self._held_lead(name="Held")
        leads |= self._lead(name="Parked", stage=self.stage_park)
        leads |= self._lead(name="Won", stage=self.stage_won)
        leads |= self._lead(name="Generic", stage=self.stage_generic, team_id=False)
        lost = self._lead(name="Lost")
        lost.action_set_lost()
        leads |= lost
        Lead = self.env["crm.lead"].with_context(active_test=False)
        for value in (True, False):
            found = Lead.search(
                [("id", "in", leads.ids), ("kam_category_sets_probability", "=", value)]
            )
            ruled = leads.filtered("kam_category_sets_probability")
            self.assertEqual(found, ruled if value else leads - ruled)
        self.assertEqual(
            leads.filtered("kam_category_sets_probability").mapped("name"),
            ["Open", "Held", "Parked"],
        )
