"""The tier cut-offs become settings of their own.

Until now they were the midpoints between each company's levels; the new columns were
filled with the midpoints of the default levels. Each company gets the midpoints of its
own levels, so that no account changes tier on the upgrade (hence no refresh is queued:
the values are written in SQL, past the settings' write).
"""

from odoo.tools import SQL

from odoo.addons.kam_management.logic import tiering


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT id, kam_tier_b_ratio, kam_tier_c_ratio FROM res_company")
    for company_id, b_ratio, c_ratio in cr.fetchall():
        a_from, b_from = tiering.default_cutoffs(b_ratio, c_ratio)
        cr.execute(
            SQL(
                "UPDATE res_company SET kam_tier_a_from = %s, kam_tier_b_from = %s "
                "WHERE id = %s",
                a_from,
                b_from,
                company_id,
            )
        )
