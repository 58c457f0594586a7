from odoo import api, fields, models
from odoo.tools import SQL

from ..logic import cadence
from .res_partner import TIERS


class KamCadenceSnapshot(models.Model):
    """How many accounts each key account manager had per tier on a day, and how many
    of them were contacted within their cadence (not overdue). Written once a day at
    the end of the daily job; compliance over a period is the sum of the compliant
    counts over the sum of the account counts of its days."""

    _name = "kam.cadence.snapshot"
    _description = "Key Account Cadence Compliance (daily)"
    _order = "date desc, manager_id, tier"
    _rec_name = "date"

    date = fields.Date(required=True, index=True)
    manager_id = fields.Many2one(
        "res.users", "Key Account Manager", required=True, index=True
    )
    team_id = fields.Many2one("crm.team", "Sales Team", index=True)
    tier = fields.Selection(TIERS, required=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    account_count = fields.Integer("Accounts")
    compliant_count = fields.Integer("Contacted in Time")
    overdue_count = fields.Integer("Overdue")
    compliance_rate = fields.Float(
        "Compliance (%)",
        aggregator="avg",
        help="Share of the accounts contacted within their cadence that day; the "
        "average of the days in a report (the cockpit weighs by accounts).",
    )

    _sql_constraints = [
        (
            "day_unique",
            "UNIQUE (date, manager_id, tier, company_id)",
            "One compliance row per day, manager, tier and company.",
        ),
    ]

    @api.model
    def _kam_take_snapshot(self, today, companies=None):
        """Replace ``today``'s rows of ``companies`` (default: the current one) by the
        current state of their accounts: one DELETE and one INSERT ... SELECT with
        GROUP BY per company, whatever the number of accounts. Running it twice the
        same day gives the same rows."""
        self.env.flush_all()
        for company in companies or self.env.company:
            self._kam_take_company_snapshot(today, company)
        self.invalidate_model()

    @api.model
    def _kam_take_company_snapshot(self, today, company):
        # Sudo: the daily job's view of the accounts, not the running user's; the
        # figures are the company's (company-dependent columns read for it).
        partners = self.env["res.partner"].sudo().with_company(company)
        self.env.cr.execute(
            SQL(
                "DELETE FROM kam_cadence_snapshot WHERE date = %s AND company_id = %s",
                today,
                company.id,
            )
        )
        query = partners._search(partners._kam_account_domain(company, in_sql=True))
        table = query.table
        manager = partners._field_to_sql(table, "kam_manager_id", query)
        tier = partners._field_to_sql(table, "kam_tier", query)
        next_date = partners._field_to_sql(table, "kam_next_contact_date", query)
        # cadence.is_overdue, in SQL: the same bound.
        overdue = SQL(
            "COALESCE(%s < %s, FALSE)", next_date, cadence.overdue_before(today)
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kam_cadence_snapshot (
                    date, manager_id, team_id, tier, company_id, account_count,
                    compliant_count, overdue_count, compliance_rate, create_uid,
                    create_date, write_uid, write_date)
                SELECT %(today)s, k.manager_id, u.sale_team_id, k.tier, %(company)s,
                       COUNT(*), COUNT(*) FILTER (WHERE NOT k.overdue),
                       COUNT(*) FILTER (WHERE k.overdue),
                       100.0 * COUNT(*) FILTER (WHERE NOT k.overdue) / COUNT(*),
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                       NOW() AT TIME ZONE 'UTC'
                  FROM (%(accounts)s) k
                  JOIN res_users u ON u.id = k.manager_id
                 WHERE k.tier IS NOT NULL
              GROUP BY k.manager_id, u.sale_team_id, k.tier
                """,
                today=today,
                company=company.id,
                # The one definition of an account (active ones: the search's).
                accounts=query.select(
                    SQL("%s AS manager_id", manager),
                    SQL("%s AS tier", tier),
                    SQL("%s AS overdue", overdue),
                ),
                uid=self.env.uid,
            )
        )
