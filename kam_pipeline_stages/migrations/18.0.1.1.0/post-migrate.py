"""The probability of a KAM deal becomes its category's (issue 10).

Before, the open deals of the KAM stages kept CRM's predictive score (or a value
typed by hand) unless their checklist set the probability: they get their
category's now, as every later change of stage will give them.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.lead"].search(
        [("kam_category_sets_probability", "=", True)]
    )._kam_sync_probability()
