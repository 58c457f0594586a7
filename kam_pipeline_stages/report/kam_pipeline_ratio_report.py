from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..logic import PipelineCounts, pipeline_ratios

RECENT_DAYS = 14


class KamPipelineRatioReport(models.Model):
    """Pipeline ratios per salesperson, team and company (a SQL view).

    Counts are exact at any grouping level (they sum); the ratio columns are
    computed per row (salesperson x team x company) and averaged when grouped: use
    :meth:`_kam_ratios` for the exact ratios of a whole team.
    """

    _name = "kam.pipeline.ratio.report"
    _description = "KAM Pipeline Ratios"
    _auto = False
    _order = "team_id, user_id"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contact_count = fields.Integer(string="Contacts", readonly=True)
    first_meeting_count = fields.Integer(string="First Meetings", readonly=True)
    meeting_held_count = fields.Integer(string="Reached 25%", readonly=True)
    fifty_count = fields.Integer(string="Reached 50%", readonly=True)
    seventy_five_count = fields.Integer(string="Reached 75%", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    meeting_held_recent_count = fields.Integer(
        string="First Meetings Held (14 days)", readonly=True
    )
    contacts_per_meeting = fields.Float(
        string="Contacts per Meeting", readonly=True, aggregator="avg"
    )
    first_meeting_to_held = fields.Float(
        string="Meeting → 25% (%)", readonly=True, aggregator="avg"
    )
    held_to_fifty = fields.Float(
        string="25% → 50% (%)", readonly=True, aggregator="avg"
    )
    fifty_to_seventy_five = fields.Float(
        string="50% → 75% (%)", readonly=True, aggregator="avg"
    )
    seventy_five_to_won = fields.Float(
        string="75% → Won (%)", readonly=True, aggregator="avg"
    )
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg")

    def _query(self):
        def ratio(num, den, scale):
            return f"COALESCE({num}::float * {scale} / NULLIF({den}, 0), 0.0)"

        counts = {
            "contact_count": "COUNT(*)",
            "first_meeting_count": "COUNT(*) FILTER (WHERE max_rank >= 1)",
            "meeting_held_count": "COUNT(*) FILTER (WHERE max_rank >= 2)",
            "fifty_count": "COUNT(*) FILTER (WHERE max_rank >= 3)",
            "seventy_five_count": "COUNT(*) FILTER (WHERE max_rank >= 4)",
            "won_count": "COUNT(*) FILTER (WHERE max_rank >= 5)",
        }
        c = counts
        columns = [f"{expr} AS {name}" for name, expr in counts.items()]
        columns += [
            "COUNT(*) FILTER (WHERE recent_meeting) AS meeting_held_recent_count",
            ratio(c["contact_count"], c["first_meeting_count"], 1)
            + " AS contacts_per_meeting",
            ratio(c["meeting_held_count"], c["first_meeting_count"], 100)
            + " AS first_meeting_to_held",
            ratio(c["fifty_count"], c["meeting_held_count"], 100) + " AS held_to_fifty",
            ratio(c["seventy_five_count"], c["fifty_count"], 100)
            + " AS fifty_to_seventy_five",
            ratio(c["won_count"], c["seventy_five_count"], 100)
            + " AS seventy_five_to_won",
            ratio(c["won_count"], c["first_meeting_count"], 100) + " AS win_rate",
        ]
        return SQL(
            """
            WITH lead_rank AS (
                SELECT l.id, l.user_id, l.team_id, l.company_id,
                       GREATEST(
                           COALESCE(MAX(CASE h.kam_category
                               WHEN 'first_meeting' THEN 1
                               WHEN 'meeting_held' THEN 2
                               WHEN 'fifty' THEN 3
                               WHEN 'seventy_five' THEN 4
                               WHEN 'won' THEN 5
                               ELSE 0 END), 0),
                           CASE WHEN s.is_won AND l.active THEN 5 ELSE 0 END
                       ) AS max_rank,
                       BOOL_OR(h.kam_category = 'meeting_held'
                               AND h.date >= (NOW() AT TIME ZONE 'UTC')
                                             - make_interval(days => %s))
                           IS TRUE AS recent_meeting
                  FROM crm_lead l
             LEFT JOIN crm_stage s ON s.id = l.stage_id
             LEFT JOIN kam_stage_history h ON h.lead_id = l.id
              GROUP BY l.id, s.is_won
            )
            SELECT MIN(id) AS id, user_id, team_id, company_id, %s
              FROM lead_rank
          GROUP BY user_id, team_id, company_id
            """,
            RECENT_DAYS,
            SQL(", ".join(columns)),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    @api.model
    def _kam_counts(self, domain):
        """:class:`PipelineCounts` summed over the rows matching ``domain``."""
        names = [
            "contact_count",
            "first_meeting_count",
            "meeting_held_count",
            "fifty_count",
            "seventy_five_count",
            "won_count",
            "meeting_held_recent_count",
        ]
        rows = self._read_group(domain, [], [f"{name}:sum" for name in names])
        values = [value or 0 for value in rows[0]] if rows else [0] * len(names)
        return PipelineCounts(*values)

    @api.model
    def _kam_ratios(self, domain):
        """Exact :class:`PipelineRatios` of the rows matching ``domain``."""
        return pipeline_ratios(self._kam_counts(domain))
