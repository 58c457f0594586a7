import datetime

from odoo.tests import tagged

from .common import KamPipelineCase


def pipeline(data):
    return next(p for p in data["panels"] if p["code"] == "pipeline")


@tagged("post_install", "-at_install")
class TestCockpitPipelinePanel(KamPipelineCase):
    """The KAM pipeline panel of the cockpit against a hand count: deals, value and
    value weighted by the category's probability per category, the stale deals and
    those with no next step; each figure's link opens the deals counted."""

    def test_pipeline_by_category(self):
        first = self._lead("First", self.stage_fm, expected_revenue=100_000)
        held = self._lead("Held", self.stage_held, expected_revenue=40_000)
        fifty = self._lead("Fifty", self.stage_fifty, expected_revenue=20_000)
        # Another rep's deal: out of the manager filter, in the team's figures.
        other = self._lead(
            "Other", self.stage_fifty, user=self.rep2, expected_revenue=10_000
        )
        # Won: not in the open pipeline.
        self._lead("Won", self.stage_won, expected_revenue=999_000)
        # Fifty has been in its stage far longer than the stage allows.
        self.env.cr.execute(
            "UPDATE crm_lead SET date_last_stage_update = %s WHERE id = %s",
            [datetime.datetime.now() - datetime.timedelta(days=3650), fifty.id],
        )
        fifty.invalidate_recordset()
        self.assertTrue(fifty.kam_is_too_old)
        # Held and Fifty (past the first meeting, no planned activity): no next step.
        self.assertEqual(
            (first | held | fifty).filtered("kam_no_next_step"), held | fifty
        )
        cockpit = self.env["kam.cockpit"].with_user(self.director)
        data = cockpit.get_cockpit_data(team_id=self.team.id, manager_id=self.rep.id)
        (table,) = pipeline(data)["tables"]
        rows = {row["key"]: row for row in table["rows"]}
        figures = {key: [c["value"] for c in row["cells"]] for key, row in rows.items()}
        # Hand count: 10% of 100,000, 25% of 40,000, 50% of 20,000.
        self.assertEqual(figures["first_meeting"], [1, 100_000.0, 10_000.0])
        self.assertEqual(figures["meeting_held"], [1, 40_000.0, 10_000.0])
        self.assertEqual(figures["fifty"], [1, 20_000.0, 10_000.0])
        self.assertEqual(figures["seventy_five"], [0, 0.0, 0.0])
        self.assertEqual(figures["stale"], [1, 20_000.0, 10_000.0])
        self.assertEqual(figures["no_step"], [2, 60_000.0, 20_000.0])

        def opened(key, index=0):
            link = rows[key]["cells"][index]["link"]
            return self.env["crm.lead"].with_user(self.director).search(link["domain"])

        self.assertEqual(opened("fifty"), fifty)
        self.assertEqual(opened("stale", 2), fifty)
        self.assertEqual(opened("no_step"), held | fifty)
        # The whole team: the other rep's deal too.
        data = cockpit.get_cockpit_data(team_id=self.team.id)
        rows = {row["key"]: row for row in pipeline(data)["tables"][0]["rows"]}
        self.assertEqual(
            [c["value"] for c in rows["fifty"]["cells"]][:2], [2, 30_000.0]
        )
        self.assertIn(other, opened("fifty"))

    def test_category_labels_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kam_pipeline_stages"], ["ru_RU"], overwrite=True
        )
        cockpit = self.env["kam.cockpit"].with_user(self.director)
        data = cockpit.with_context(lang="ru_RU").get_cockpit_data()
        labels = {
            row["key"]: row["label"] for row in pipeline(data)["tables"][0]["rows"]
        }
        russian = dict(
            self.env["crm.stage"]
            .with_context(lang="ru_RU")
            ._fields["kam_category"]
            ._description_selection(self.env(context={"lang": "ru_RU"}))
        )
        self.assertEqual(labels["fifty"], russian["fifty"])
        self.assertNotEqual(labels["first_meeting"], "First meeting scheduled")
