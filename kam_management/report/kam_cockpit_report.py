from odoo import api, models


class KamCockpitReport(models.AbstractModel):
    """The one-page PDF of the director's cockpit for the sales meeting: the figures
    of ``kam.cockpit.get_cockpit_data`` with the filters of the screen (``data``)."""

    _name = "report.kam_management.report_kam_cockpit"
    _description = "Key Account Cockpit (PDF)"

    @api.readonly
    @api.model
    def _get_report_values(self, docids, data=None):
        data = dict(data or {})
        filters = {
            key: data[key]
            for key in (
                "period_days",
                "team_id",
                "key_only",
                "manager_id",
                "company_ids",
            )
            if key in data
        }
        cockpit = self.env["kam.cockpit"].get_cockpit_data(**filters)
        return {
            "doc_ids": [],
            "doc_model": "kam.cockpit",
            "docs": self.env["kam.cockpit"],
            "cockpit": cockpit,
            "company": self.env.company,
        }
