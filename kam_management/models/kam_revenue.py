import datetime

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# The revenue sources a company may choose (docs/METHOD.md#revenue), and the model each
# needs: a source whose model is not installed is never offered.
REVENUE_SOURCES = [
    ("opportunity", "Won opportunities"),
    ("invoice", "Posted customer invoices"),
    ("order", "Confirmed sales orders"),
]
SOURCE_MODELS = {
    "opportunity": "crm.lead",
    "invoice": "account.move",
    "order": "sale.order",
}


class KamRevenue(models.AbstractModel):
    """What a company sold to its accounts: the one place that reads the sales
    documents. Every figure is the company's own (its documents, and those that
    belong to no company) in its currency, each document converted at the rate of its
    own date.

    Add a source by extending ``_kam_source_rows`` (and ``REVENUE_SOURCES`` through
    the company's selection)."""

    _name = "kam.revenue"
    _description = "Key account revenue"

    @api.model
    def _kam_source_available(self, source):
        return SOURCE_MODELS.get(source) in self.env

    @api.model
    def _kam_members(self, partner_ids):
        """SQL of an array of ``partner_ids`` and their contacts (the partners whose
        commercial partner they are): what a source's documents point at."""
        return SQL(
            "ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s))",
            list(partner_ids),
        )

    @api.model
    def _kam_source_rows(self, source, partner_ids=None):
        """SQL of the revenue rows of ``source``: (partner_id = commercial partner, day,
        amount, company_id, currency_id: the currency of the amount, NULL for the
        currency of the company reading it). ``partner_ids``: only those of these
        commercial partners (None: every one), filtered on the document's own
        partner: PostgreSQL then looks up a batch's documents in that index. Joined
        on the commercial partner instead, it may read every won deal to keep a few
        (it cannot tell how many a batch has)."""

        def of_members(alias, column):
            if partner_ids is None:
                return SQL("")
            return SQL(
                "AND %s = ANY(%s)",
                SQL.identifier(alias, column),
                self._kam_members(partner_ids),
            )

        if source == "invoice" and self._kam_source_available(source):
            # amount_untaxed_signed is in the invoicing company's currency.
            return SQL(
                """
                SELECT m.commercial_partner_id AS partner_id, m.invoice_date AS day,
                       m.amount_untaxed_signed AS amount, m.company_id,
                       c.currency_id
                  FROM account_move m
                  JOIN res_company c ON c.id = m.company_id
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.commercial_partner_id IS NOT NULL
                   %s
                """,
                of_members("m", "partner_id"),
            )
        if source == "order" and self._kam_source_available(source):
            # Confirmed orders, untaxed, in the order's (pricelist's) currency.
            return SQL(
                """
                SELECT p.commercial_partner_id AS partner_id,
                       o.date_order::date AS day, o.amount_untaxed AS amount,
                       o.company_id, o.currency_id
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.state = 'sale'
                   %s
                """,
                of_members("o", "partner_id"),
            )
        # Won deals: the expected revenue is in the deal's company currency.
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, l.date_closed::date AS day,
                   l.expected_revenue AS amount, l.company_id, c.currency_id
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id AND s.is_won
              JOIN res_partner p ON p.id = l.partner_id
         LEFT JOIN res_company c ON c.id = l.company_id
             WHERE l.active AND l.date_closed IS NOT NULL
               %s
            """,
            of_members("l", "partner_id"),
        )

    @api.model
    def _kam_rate_sql(self, currency, day, company):
        """SQL of the rate of ``currency`` (an SQL expression) on ``day`` as Odoo's
        res.currency._get_rates gives it: the last rate on or before the day of the
        company's root (or a shared one), else the first one after, else 1."""
        rate = SQL(
            """
            SELECT x.rate FROM res_currency_rate x
             WHERE x.currency_id = %(currency)s
               AND (x.company_id IS NULL OR x.company_id = %(root)s)
               AND %(condition)s
          ORDER BY x.company_id, x.name %(direction)s
             LIMIT 1
            """,
            currency=currency,
            root=company.root_id.id,
            condition=SQL("x.name <= %s", day),
            direction=SQL("DESC"),
        )
        fallback = SQL(
            """
            SELECT x.rate FROM res_currency_rate x
             WHERE x.currency_id = %(currency)s
               AND (x.company_id IS NULL OR x.company_id = %(root)s)
          ORDER BY x.company_id, x.name ASC
             LIMIT 1
            """,
            currency=currency,
            root=company.root_id.id,
        )
        return SQL("COALESCE((%s), (%s), 1.0)", rate, fallback)

    @api.model
    def _kam_rows(self, company, date_from, date_to, partner_ids=None, source=None):
        """SQL of ``company``'s revenue rows between two dates (inclusive; no start:
        since the beginning), converted into its currency at each row's date:
        (partner_id, day, amount). The company's documents and those of no
        company."""
        source = source or company.kam_revenue_source
        period = SQL("r.day <= %s", date_to)
        if date_from:
            period = SQL("r.day BETWEEN %s AND %s", date_from, date_to)
        partner_filter = SQL("")
        if partner_ids is not None:
            partner_filter = SQL("AND r.partner_id = ANY(%s)", list(partner_ids))
        target = company.currency_id.id
        # The rates are looked up for the rows in another currency only (CASE
        # evaluates its branch per row): a company's own documents cost nothing.
        return SQL(
            """
            SELECT r.partner_id, r.day,
                   CASE WHEN COALESCE(r.currency_id, %(target)s) = %(target)s
                        THEN r.amount
                        ELSE r.amount * %(target_rate)s / %(source_rate)s
                   END AS amount
              FROM (%(rows)s) r
             WHERE %(period)s
               AND (r.company_id = %(company)s OR r.company_id IS NULL)
               %(partners)s
            """,
            target=target,
            rows=self._kam_source_rows(source, partner_ids),
            period=period,
            company=company.id,
            partners=partner_filter,
            target_rate=self._kam_rate_sql(SQL("%s", target), SQL("r.day"), company),
            source_rate=self._kam_rate_sql(SQL("r.currency_id"), SQL("r.day"), company),
        )

    @api.model
    def _kam_revenue_by_partner(
        self, company, date_from, date_to, partner_ids=None, source=None
    ):
        """{commercial partner id: revenue between two dates (inclusive)} of
        ``company``, in its currency. ``source`` defaults to the company's setting."""
        if date_from and date_to and date_from > date_to:
            raise ValidationError(
                self.env._("The start of a revenue period must not be after its end.")
            )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT r.partner_id, SUM(r.amount) FROM (%s) r GROUP BY r.partner_id",
                self._kam_rows(company, date_from, date_to, partner_ids, source),
            )
        )
        return {
            partner_id: amount or 0.0 for partner_id, amount in self.env.cr.fetchall()
        }

    @api.model
    def _kam_periods(self, today):
        """(start of the last 12 months, start of the 12 months before): the
        trailing year ends today, inclusive."""
        start = today - relativedelta(years=1) + datetime.timedelta(days=1)
        return start, start - relativedelta(years=1)

    @api.model
    def _kam_revenue_stats(self, partners, company, today):
        """Per account of ``partners`` that ever bought from ``company``: (revenue of
        the last 12 months, of the 12 before, purchases of the last 12 months). One
        query."""
        start, prev_start = self._kam_periods(today)
        self.env.cr.execute(
            SQL(
                """
                SELECT r.partner_id,
                       SUM(r.amount) FILTER (WHERE r.day >= %(start)s),
                       SUM(r.amount) FILTER (WHERE r.day >= %(prev)s
                                               AND r.day < %(start)s),
                       COUNT(*) FILTER (WHERE r.day >= %(start)s AND r.amount > 0)
                  FROM (%(rows)s) r
              GROUP BY r.partner_id
                """,
                rows=self._kam_rows(company, None, today, partners.ids),
                start=start,
                prev=prev_start,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _kam_prospects(self, partners, company):
        """The accounts of ``partners`` with an open opportunity of ``company`` (or of
        no company). One query."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM crm_lead l
                  JOIN res_partner p ON p.id = l.partner_id
             LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.active AND l.partner_id = ANY(%(members)s)
                   AND (l.company_id = %(company)s OR l.company_id IS NULL)
                   AND NOT COALESCE(s.is_won, FALSE)
                """,
                members=self._kam_members(partners.ids),
                company=company.id,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _kam_account_revenues(self, company, today):
        """The trailing-year revenue of each of ``company``'s accounts that sold
        anything (the tier A benchmark's input). One query."""
        partners = self.env["res.partner"].sudo().with_company(company)
        accounts = partners._search(partners._kam_account_domain(company, in_sql=True))
        accounts = accounts.subselect()
        start, _prev = self._kam_periods(today)
        self.env.cr.execute(
            SQL(
                """
                SELECT SUM(r.amount) FROM (%(rows)s) r
                 WHERE r.partner_id IN %(accounts)s
              GROUP BY r.partner_id
                """,
                rows=self._kam_rows(company, start, today),
                accounts=accounts,
            )
        )
        return [amount or 0.0 for (amount,) in self.env.cr.fetchall()]
