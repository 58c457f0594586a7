from odoo.tests import tagged

from odoo.addons.kam_pipeline_stages.logic import (
    CATEGORY_RANK,
    WON,
    PipelineCounts,
    pipeline_ratios,
    reached_counts,
)

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestPipelineRatios(KamPipelineCase):
    @staticmethod
    def _max_rank(lead):
        """The highest category the deal reached, by its stage history and a won
        stage, as a rank: the Python reading of the report's max_rank."""
        history = lead.env["kam.stage.history"].search([("lead_id", "=", lead.id)])
        ranks = [CATEGORY_RANK.get(h.kam_category or "", 0) for h in history]
        if lead.stage_id.is_won and lead.active:
            ranks.append(CATEGORY_RANK[WON])
        return max(ranks, default=0)

    def _advance(self, lead, *stages):
        for stage in stages:
            self._tick(lead, lead.stage_id)
            lead.write({"stage_id": stage.id})

    def test_report_counts_and_ratios_per_rep(self):
        # 8 contacts: 4 never got a meeting, 4 reached the first meeting.
        for index in range(4):
            self._lead(name=f"Cold {index}", stage=self.stage_generic)
        meetings = [self._lead(name=f"Meeting {index}") for index in range(4)]
        self._advance(meetings[0], self.stage_held, self.stage_fifty)
        self._advance(meetings[1], self.stage_held)
        self._advance(meetings[2], self.stage_held, self.stage_fifty, self.stage_75)
        self._advance(meetings[2], self.stage_won)
        # Someone else's figures stay apart.
        self._lead(name="Other rep", user=self.rep2)
        self.env.flush_all()

        Report = self.env["kam.pipeline.ratio.report"]
        row = Report.search(
            [("user_id", "=", self.rep.id), ("team_id", "=", self.team.id)]
        )
        self.assertEqual(len(row), 1)
        self.assertEqual(row.contact_count, 8)
        self.assertEqual(row.first_meeting_count, 4)
        self.assertEqual(row.meeting_held_count, 3)
        self.assertEqual(row.fifty_count, 2)
        self.assertEqual(row.seventy_five_count, 1)
        self.assertEqual(row.won_count, 1)
        self.assertEqual(row.meeting_held_recent_count, 3)
        self.assertEqual(row.contacts_per_meeting, 2.0)
        self.assertEqual(row.first_meeting_to_held, 75.0)
        self.assertAlmostEqual(row.held_to_fifty, 200.0 / 3)
        self.assertEqual(row.seventy_five_to_won, 100.0)

        # The SQL form of the counts and ratios agrees with the Python one
        # (logic.reached_counts over the highest category each deal reached, and
        # logic.pipeline_ratios), for every row of the sample.
        leads = self.env["crm.lead"].search(
            [("user_id", "in", (self.rep | self.rep2).ids)]
        )
        for report_row in Report.search([("user_id", "in", leads.user_id.ids)]):
            row_leads = leads.filtered(
                lambda lead, r=report_row: lead.user_id == r.user_id
                and lead.team_id == r.team_id
                and lead.company_id == r.company_id
            )
            counts = reached_counts(
                [self._max_rank(lead) for lead in row_leads],
                contacts=len(row_leads),
                meetings_held_recent=report_row.meeting_held_recent_count,
            )
            self.assertEqual(
                counts,
                PipelineCounts(
                    *(
                        report_row[name]
                        for name in (
                            "contact_count",
                            "first_meeting_count",
                            "meeting_held_count",
                            "fifty_count",
                            "seventy_five_count",
                            "won_count",
                            "meeting_held_recent_count",
                        )
                    )
                ),
            )
            ratios = pipeline_ratios(counts)
            for name in Report._kam_ratio_columns:
                self.assertAlmostEqual(report_row[name], getattr(ratios, name))

        # A rep sees only their own figures; a director sees everyone's.
        self.assertEqual(Report.with_user(self.rep).search([]).user_id, self.rep)
        self.assertIn(self.rep2, Report.with_user(self.director).search([]).user_id)
        # Pivot/graph grouping works.
        groups = Report.with_user(self.director).read_group(
            [("team_id", "=", self.team.id)],
            ["first_meeting_count:sum", "contacts_per_meeting:avg"],
            ["user_id"],
        )
        by_user = {group["user_id"][0]: group for group in groups if group["user_id"]}
        self.assertEqual(by_user[self.rep.id]["first_meeting_count"], 4)
        self.assertEqual(by_user[self.rep2.id]["first_meeting_count"], 1)
