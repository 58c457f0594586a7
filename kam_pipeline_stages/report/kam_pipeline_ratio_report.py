from odoo import fields, models, tools
from odoo.tools import SQL

from ..logic import (
    CATEGORY_RANK,
    FIFTY,
    FIRST_MEETING,
    MEETING_HELD,
    SEVENTY_FIVE,
    WON,
)

RECENT_DAYS = 14


class KamPipelineRatioReport(models.Model):
    """Pipeline ratios per salesperson, team and company (a SQL view).

    Counts are exact at any grouping level (they sum); the ratio columns are
    computed per row (salesperson x team x company) and averaged when grouped. The
    SQL is built from the logic's constants (``CATEGORY_RANK``) and does what
    ``logic.reached_counts`` and ``logic.pipeline_ratios`` do in Python; the tests
    check that both agree.
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

    # The count columns and the category each one counts (reached or passed).
    _kam_reached_columns = {
        "first_meeting_count": FIRST_MEETING,
        "meeting_held_count": MEETING_HELD,
        "fifty_count": FIFTY,
        "seventy_five_count": SEVENTY_FIVE,
        "won_count": WON,
    }
    # The ratio columns of logic.pipeline_ratios: (numerator, denominator, scale).
    _kam_ratio_columns = {
        "contacts_per_meeting": ("contact_count", "first_meeting_count", 1),
        "first_meeting_to_held": ("meeting_held_count", "first_meeting_count", 100),
        "held_to_fifty": ("fifty_count", "meeting_held_count", 100),
        "fifty_to_seventy_five": ("seventy_five_count", "fifty_count", 100),
        "seventy_five_to_won": ("won_count", "seventy_five_count", 100),
        "win_rate": ("won_count", "first_meeting_count", 100),
    }

    def _query(self):
        counts = {"contact_count": SQL("COUNT(*)")} | {
            name: SQL("COUNT(*) FILTER (WHERE max_rank >= %s)", CATEGORY_RANK[category])
            for name, category in self._kam_reached_columns.items()
        }
        columns = [
            SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in counts.items()
        ]
        columns.append(
            SQL("COUNT(*) FILTER (WHERE recent_meeting) AS meeting_held_recent_count")
        )
        columns += [
            SQL(
                "COALESCE(%s::float * %s / NULLIF(%s, 0), 0.0) AS %s",
                counts[num],
                scale,
                counts[den],
                SQL.identifier(name),
            )
            for name, (num, den, scale) in self._kam_ratio_columns.items()
        ]
        rank_of_category = SQL(" ").join(
            SQL("WHEN %s THEN %s", category, rank)
            for category, rank in CATEGORY_RANK.items()
        )
        return SQL(
            """
            WITH lead_rank AS (
                SELECT l.id, l.user_id, l.team_id, l.company_id,
                       GREATEST(
                           COALESCE(MAX(CASE h.kam_category %(ranks)s ELSE 0 END), 0),
                           CASE WHEN s.is_won AND l.active THEN %(won)s ELSE 0 END
                       ) AS max_rank,
                       BOOL_OR(h.kam_category = %(held)s
                               AND h.date >= (NOW() AT TIME ZONE 'UTC')
                                             - make_interval(days => %(days)s))
                           IS TRUE AS recent_meeting
                  FROM crm_lead l
             LEFT JOIN crm_stage s ON s.id = l.stage_id
             LEFT JOIN kam_stage_history h ON h.lead_id = l.id
              GROUP BY l.id, s.is_won
            )
            SELECT MIN(id) AS id, user_id, team_id, company_id, %(columns)s
              FROM lead_rank
          GROUP BY user_id, team_id, company_id
            """,
            ranks=rank_of_category,
            won=CATEGORY_RANK[WON],
            held=MEETING_HELD,
            days=RECENT_DAYS,
            columns=SQL(", ").join(columns),
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
