from odoo import api, models
from odoo.tools.misc import formatLang


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
            "format_percent": self._kam_format_percent,
            "layout": self._kam_report_layout(cockpit["panels"]),
        }

    @api.model
    def _kam_report_layout(self, panels, wide_columns=6, stacks=2):
        """Where each panel goes on the page: ``{"wide": [panel], "stacks":
        [[panel], ...]}``. A panel of more than ``wide_columns`` columns (the revenue
        against the plans) spans the width; the others fill ``stacks`` columns, each
        panel in the shortest one so far (height counted in table lines, at most 8
        rows a table as printed), so that the page has no hole under a short
        panel beside a long one."""
        wide = [p for p in panels if len(p["columns"]) > wide_columns]
        columns = [[] for _index in range(stacks)]
        heights = [0] * stacks
        for panel in panels:
            if panel in wide:
                continue
            height = 2 + sum(1 + min(len(t["rows"]), 8) for t in panel["tables"])
            shortest = heights.index(min(heights))
            columns[shortest].append(panel)
            heights[shortest] += height
        return {"wide": wide, "stacks": columns}

    @api.model
    def _kam_format_percent(self, value):
        """A rate in the user's language ("87,5%" in Russian), "–" without one."""
        if value is None or value is False:
            return "–"
        return f"{formatLang(self.env, value, digits=1)}%"
