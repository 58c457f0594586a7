from odoo import api, fields, models
from odoo.osv import expression

from odoo.addons.kam_management.logic import cockpit

# The KPIs of the addons that own their figures: shown only where those are
# installed (this addon does not depend on them).
OPTIONAL_KPIS = {
    "kpi_kam_plan_gap": "kam.account.plan",
    "kpi_kam_pipeline_weighted": "kam.stage.checklist.template",
}


class Digest(models.Model):
    """Key account KPIs in the periodic digest e-mail, each as the director's
    cockpit counts it, for the digest's company (its KAM figures, its currency)."""

    _inherit = "digest.digest"

    kpi_kam_overdue = fields.Boolean("Key Accounts Overdue")
    kpi_kam_overdue_value = fields.Integer(
        "Key Accounts Overdue (Value)", compute="_compute_kpi_kam_overdue_value"
    )
    kpi_kam_compliance = fields.Boolean("Cadence Compliance (%)")
    kpi_kam_compliance_value = fields.Float(
        "Cadence Compliance (Value)", compute="_compute_kpi_kam_compliance_value"
    )
    kpi_kam_at_risk = fields.Boolean("Accounts at Risk")
    kpi_kam_at_risk_value = fields.Integer(
        "Accounts at Risk (Value)", compute="_compute_kpi_kam_at_risk_value"
    )
    kpi_kam_plan_gap = fields.Boolean(
        "Gap to Account Plans",
        help="Shown when KAM Account Plans is installed.",
    )
    kpi_kam_plan_gap_value = fields.Monetary(
        "Gap to Account Plans (Value)", compute="_compute_kpi_kam_plan_gap_value"
    )
    kpi_kam_pipeline_weighted = fields.Boolean(
        "KAM Pipeline (Weighted)",
        help="Shown when KAM Pipeline Stages is installed.",
    )
    kpi_kam_pipeline_weighted_value = fields.Monetary(
        "KAM Pipeline (Weighted Value)",
        compute="_compute_kpi_kam_pipeline_weighted_value",
    )

    def _get_kpi_fields(self):
        return [
            name
            for name in super()._get_kpi_fields()
            if OPTIONAL_KPIS.get(name, "res.partner") in self.env
        ]

    # -- helpers
    def _kam_digest_period(self):
        """(company, first day, last day) of the digest's period: the end is
        excluded by the digest, so the last day is the one before."""
        start, end, companies = self._get_kpi_compute_parameters()
        company = companies[:1] or self.env.company
        first = fields.Date.to_date(start[:10]) if start else None
        last = fields.Date.to_date(end[:10]) if end else fields.Date.context_today(self)
        if first and last > first:
            last = fields.Date.subtract(last, days=1)
        return company, first, last

    def _kam_digest_accounts_domain(self, company):
        return (
            self.env["kam.cockpit"].with_company(company)._kam_cockpit_accounts_domain()
        )

    def _kam_digest_set(self, fname, value):
        for digest in self:
            digest[fname] = value

    # -- KPIs
    @api.depends_context("start_datetime", "end_datetime")
    def _compute_kpi_kam_overdue_value(self):
        """Key accounts whose contact is overdue at the end of the period."""
        company, _first, last = self._kam_digest_period()
        partners = self.env["res.partner"].with_company(company)
        domain = self._kam_digest_accounts_domain(company) + [
            ("kam_is_key_account", "=", True),
            *partners._kam_overdue_domain(last),
        ]
        self._kam_digest_set("kpi_kam_overdue_value", partners.search_count(domain))

    @api.depends_context("start_datetime", "end_datetime")
    def _compute_kpi_kam_compliance_value(self):
        """Share of the accounts contacted within their cadence over the period's
        days (the daily snapshots, as the cockpit's compliance)."""
        company, first, last = self._kam_digest_period()
        domain = [("company_id", "=", company.id), ("date", "<=", last)]
        if first:
            domain += [("date", ">=", first)]
        [(accounts, compliant)] = self.env["kam.cadence.snapshot"]._read_group(
            domain, [], ["account_count:sum", "compliant_count:sum"]
        )
        self._kam_digest_set(
            "kpi_kam_compliance_value",
            cockpit.rate(compliant or 0, accounts or 0) or 0.0,
        )

    @api.depends_context("start_datetime", "end_datetime")
    def _compute_kpi_kam_at_risk_value(self):
        """Accounts with at least one kind of risk of the cockpit (revenue decline,
        silence, and the kinds the other addons add), each once."""
        company, _first, _last = self._kam_digest_period()
        cockpit_model = self.env["kam.cockpit"].with_company(company)
        kinds = cockpit_model._kam_cockpit_risk_kinds(
            self._kam_digest_accounts_domain(company)
        )
        domain = expression.OR([kind["domain"] for kind in kinds]) if kinds else []
        count = (
            self.env["res.partner"].with_company(company).search_count(domain)
            if kinds
            else 0
        )
        self._kam_digest_set("kpi_kam_at_risk_value", count)

    @api.depends_context("start_datetime", "end_datetime")
    def _compute_kpi_kam_plan_gap_value(self):
        """What the current account plans still miss to their target (the sum of
        the positive gaps to plan), in the company's currency."""
        value = 0.0
        if "kam.account.plan" in self.env:
            company, _first, last = self._kam_digest_period()
            [(gap,)] = self.env["kam.account.plan"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("active", "review")),
                    ("date_start", "<=", last),
                    ("date_end", ">=", last),
                    ("gap_to_plan", ">", 0),
                ],
                [],
                ["gap_to_plan:sum"],
            )
            value = gap or 0.0
        self._kam_digest_set("kpi_kam_plan_gap_value", value)

    @api.depends_context("start_datetime", "end_datetime")
    def _compute_kpi_kam_pipeline_weighted_value(self):
        """The open deals of the KAM pipeline, each weighted by its category's
        probability, in the company's currency."""
        value = 0.0
        if OPTIONAL_KPIS["kpi_kam_pipeline_weighted"] in self.env:
            company, _first, _last = self._kam_digest_period()
            groups = self.env["crm.lead"]._read_group(
                [
                    ("type", "=", "opportunity"),
                    ("stage_id.kam_category", "not in", (False, "won")),
                    ("company_id", "in", (False, company.id)),
                ],
                ["stage_id"],
                ["expected_revenue:sum"],
            )
            value = sum(
                (amount or 0.0) * (stage.kam_probability or 0.0) / 100.0
                for stage, amount in groups
            )
        self._kam_digest_set("kpi_kam_pipeline_weighted_value", value)

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        cockpit_action = "kam_management.action_kam_cockpit"
        for name in (
            "kpi_kam_overdue",
            "kpi_kam_compliance",
            "kpi_kam_at_risk",
            "kpi_kam_plan_gap",
            "kpi_kam_pipeline_weighted",
        ):
            actions[name] = cockpit_action
        return actions
