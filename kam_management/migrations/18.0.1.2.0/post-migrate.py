"""The tier reminders take the key account activity types.

Until now a company's tier reminders defaulted to Odoo's generic *Call* (tiers A to C)
and *Email* (tier D) activity types: in a rep's activities they did not stand apart
from any other call. The defaults are now *Key account call* and *Key account e-mail*
(docs/METHOD.md#contact-cadence). A company that still has a former default gets the
new one; an explicit choice (another type, or none) is kept.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._kam_adopt_key_account_activity_types()
