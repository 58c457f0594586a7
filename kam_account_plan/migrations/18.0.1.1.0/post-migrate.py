"""The plans closed by the pre-migration lose their open actions and activities, as
a plan closed from the form does."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["kam.account.plan.action"].search(
        [
            ("plan_id.state", "=", "closed"),
            ("date_done", "=", False),
            ("is_cancelled", "=", False),
        ]
    )._sync_activities()
