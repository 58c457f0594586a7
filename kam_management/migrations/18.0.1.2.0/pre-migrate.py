"""The KAM figures and decisions of an account become per company.

Until now a customer shared between the companies of the database (``company_id``
empty) had one tier, one manager, one set of figures for all of them. Each field
becomes company-dependent (one jsonb column, one value per company): a company's own
customer keeps its values under that company; a shared customer keeps them under
every company, so that nobody loses a manager, an override or a rating on the
upgrade. The next daily run then measures each company's own figures (the refresh
date is kept, so the upgrade queues nothing; settings changes and the next day do).

The ratings become per company the same way: a rating of a shared customer is copied
to every company.
"""

from odoo.tools import SQL

# Every column that becomes company-dependent (res.partner).
COLUMNS = (
    "kam_manager_id",
    "kam_revenue_12m",
    "kam_revenue_prev_12m",
    "kam_purchase_count_12m",
    "kam_has_prospects",
    "kam_revenue_trend",
    "kam_revenue_declining",
    "kam_lifetime_value",
    "kam_tier_computed",
    "kam_tier_override",
    "kam_tier_override_reason",
    "kam_tier",
    "kam_is_key_account",
    "kam_lookalike_score",
    "kam_is_lookalike",
    "kam_attractiveness_score",
    "kam_potential_score",
    "kam_relationship_score",
    "kam_quadrant",
    "kam_relationship_type",
    "kam_last_contact_date",
    "kam_cadence_days",
    "kam_next_contact_date",
    "kam_temperature_ratio",
    "kam_temperature",
    "kam_temperature_color",
    "kam_refresh_date",
    "kam_overdue_since",
)


def _column_type(cr, table, column):
    cr.execute(
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    row = cr.fetchone()
    return row and row[0]


def migrate(cr, version):
    if not version:
        return
    # The one-company check of the override reason: a Python constraint per company.
    cr.execute(
        "ALTER TABLE res_partner "
        "DROP CONSTRAINT IF EXISTS res_partner_kam_tier_override_reason"
    )
    for column in COLUMNS:
        kind = _column_type(cr, "res_partner", column)
        if not kind or kind == "jsonb":
            continue
        old = f"{column}_pre_company"
        cr.execute(
            SQL(
                "ALTER TABLE res_partner RENAME COLUMN %s TO %s",
                SQL.identifier(column),
                SQL.identifier(old),
            )
        )
        cr.execute(
            SQL("ALTER TABLE res_partner ADD COLUMN %s jsonb", SQL.identifier(column))
        )
        cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET %(new)s = CASE
                       WHEN p.company_id IS NOT NULL
                       THEN jsonb_build_object(p.company_id::text, to_jsonb(p.%(old)s))
                       ELSE (SELECT jsonb_object_agg(c.id::text, to_jsonb(p.%(old)s))
                               FROM res_company c)
                   END
                 WHERE p.%(old)s IS NOT NULL
                """,
                new=SQL.identifier(column),
                old=SQL.identifier(old),
            )
        )
        cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(old)))
    # The KAM currency is the current company's now, computed, not stored: Odoo keeps
    # the columns of fields that stop being stored, so it goes here.
    cr.execute("ALTER TABLE res_partner DROP COLUMN IF EXISTS kam_currency_id")
    # Ratings: one per account, criterion and company.
    cr.execute(
        "ALTER TABLE kam_partner_score "
        "DROP CONSTRAINT IF EXISTS kam_partner_score_criterion_unique"
    )
    cr.execute(
        """
        INSERT INTO kam_partner_score (partner_id, criterion_id, axis, sequence, weight,
                                       score, note, company_id, create_uid,
                                       create_date, write_uid, write_date)
        SELECT s.partner_id, s.criterion_id, s.axis, s.sequence, s.weight, s.score,
               s.note, c.id, s.create_uid, s.create_date, s.write_uid, s.write_date
          FROM kam_partner_score s
          JOIN kam_criterion k ON k.id = s.criterion_id
          JOIN res_company c ON k.company_id IS NULL OR k.company_id = c.id
         WHERE s.company_id IS NULL
           AND c.id != COALESCE(k.company_id, (SELECT MIN(id) FROM res_company))
        """
    )
    cr.execute(
        """
        UPDATE kam_partner_score s
           SET company_id = COALESCE(k.company_id, (SELECT MIN(id) FROM res_company))
          FROM kam_criterion k
         WHERE k.id = s.criterion_id AND s.company_id IS NULL
        """
    )
