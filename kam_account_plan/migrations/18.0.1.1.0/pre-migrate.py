"""One open plan per account, company and period becomes a database constraint.

Plans saved before it may overlap (two transactions that each passed the Python
check). The constraint cannot be added over them: of each overlapping pair the one to
keep is the running one (active or under review rather than draft), then the newer;
the other is closed, and its open actions are cancelled by the post-migration.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OPEN_STATES = ("draft", "active", "review")


def _rank(alias):
    """An ordering key of the plan ``alias``: running first, then the newest."""
    return SQL(
        "(%(alias)s.state != 'draft', %(alias)s.id)", alias=SQL.identifier(alias)
    )


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE kam_account_plan plan
               SET state = 'closed'
             WHERE plan.state IN %(open)s
               AND EXISTS (
                   SELECT 1
                     FROM kam_account_plan other
                    WHERE other.id != plan.id
                      AND other.state IN %(open)s
                      AND other.partner_id = plan.partner_id
                      AND other.company_id = plan.company_id
                      AND other.date_start <= plan.date_end
                      AND plan.date_start <= other.date_end
                      AND %(other_rank)s > %(plan_rank)s
               )
         RETURNING plan.id
            """,
            open=OPEN_STATES,
            other_rank=_rank("other"),
            plan_rank=_rank("plan"),
        )
    )
    closed = [row[0] for row in cr.fetchall()]
    if closed:
        _logger.warning(
            "Closed %s account plans that overlapped a kept open plan of the same "
            "account and period: %s",
            len(closed),
            closed,
        )
