from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..logic import CATEGORY_RANK, WON


class KamCockpitPanels(models.AbstractModel):
    """The KAM pipeline panel of the director's cockpit: the open deals per
    category (count, value, value weighted by the category's probability), the
    stale ones and those with no next step, per company and for the group."""

    _inherit = "kam.cockpit"

    @api.model
    def _kam_cockpit_panels(self, scope):
        panels = super()._kam_cockpit_panels(scope)
        panels.append(self._kam_cockpit_pipeline_panel(scope))
        return panels

    @api.model
    def _kam_cockpit_pipeline_domain(self, scope):
        domain = [
            ("type", "=", "opportunity"),
            ("stage_id.kam_category", "!=", False),
            ("stage_id.kam_category", "!=", WON),
            ("company_id", "in", [*scope["companies"].ids, False]),
        ]
        if scope["team_id"]:
            domain += [("team_id", "=", scope["team_id"])]
        if scope["manager_id"]:
            domain += [("user_id", "=", scope["manager_id"])]
        return domain

    @api.model
    def _kam_cockpit_pipeline_panel(self, scope):
        """One grouped query whatever the number of deals (all open KAM deals, the
        stale ones, those with no next step, by company and stage) and one for the
        stages. A deal of no company counts in the current company."""
        leads = self.env["crm.lead"]
        base = self._kam_cockpit_pipeline_domain(scope)
        stale = [("kam_is_too_old", "=", True)]
        no_step = [("kam_no_next_step", "=", True)]
        # The categories' labels in the user's language.
        labels = dict(
            self.env["crm.stage"]
            ._fields["kam_category"]
            ._description_selection(self.env)
        )
        categories = sorted(
            (key for key in labels if key != WON),
            key=lambda key: CATEGORY_RANK.get(key, 99),
        )
        # {(company id, row key): [count, value, weighted]}
        sums = defaultdict(lambda: [0, 0.0, 0.0])
        current = scope["company"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.company_id, s.kam_category, s.kam_probability, COUNT(*),
                       SUM(l.expected_revenue),
                       COUNT(*) FILTER (WHERE l.id IN %(stale)s),
                       SUM(l.expected_revenue) FILTER (WHERE l.id IN %(stale)s),
                       COUNT(*) FILTER (WHERE l.id IN %(no_step)s),
                       SUM(l.expected_revenue) FILTER (WHERE l.id IN %(no_step)s)
                  FROM crm_lead l
                  JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.id IN %(deals)s
              GROUP BY l.company_id, s.kam_category, s.kam_probability
                """,
                deals=leads._search(base).subselect(),
                stale=leads._search(base + stale).subselect(),
                no_step=leads._search(base + no_step).subselect(),
            )
        )
        # The stage's category and KAM probability come with the sums: the weighted
        # value is the category's probability (docs/METHOD.md#pipeline).
        for company_id, category, kam_probability, *figures in self.env.cr.fetchall():
            company_id = company_id or current.id
            probability = (kam_probability or 0.0) / 100.0
            for key, count, value in (
                (category, figures[0], figures[1]),
                ("stale", figures[2], figures[3]),
                ("no_step", figures[4], figures[5]),
            ):
                sums[company_id, key][0] += count or 0
                sums[company_id, key][1] += value or 0.0
                sums[company_id, key][2] += (value or 0.0) * probability
        rows_spec = [
            (category, labels[category], [("stage_id.kam_category", "=", category)])
            for category in categories
        ] + [
            ("stale", self.env._("Stale deals"), stale),
            ("no_step", self.env._("No next step planned"), no_step),
        ]

        def company_domain(company):
            if company == current:
                return [("company_id", "in", [company.id, False])]
            return [("company_id", "=", company.id)]

        tables = []
        group = defaultdict(lambda: [0, 0.0, 0.0])
        for company in scope["companies"]:
            rows = []
            for key, label, extra in rows_spec:
                count, value, weighted = sums.get((company.id, key), (0, 0.0, 0.0))
                link = self._kam_link(
                    "crm.lead", base + company_domain(company) + extra, label
                )
                rows.append(
                    {
                        "key": key,
                        "label": label,
                        "cells": [
                            self._kam_cell(count, link=link),
                            self._kam_amount_cell(value, company.currency_id, link),
                            self._kam_amount_cell(weighted, company.currency_id, link),
                        ],
                    }
                )
                group[key][0] += count
                group[key][1] += self._kam_to_group_currency(scope, company, value)
                group[key][2] += self._kam_to_group_currency(scope, company, weighted)
            tables.append(
                {"title": company.name if scope["group"] else "", "rows": rows}
            )
        if scope["group"]:
            currency = current.currency_id
            rows = []
            for key, label, extra in rows_spec:
                count, value, weighted = group[key]
                link = self._kam_link("crm.lead", base + extra, label)
                rows.append(
                    {
                        "key": key,
                        "label": label,
                        "cells": [
                            self._kam_cell(count, link=link),
                            self._kam_amount_cell(value, currency, link),
                            self._kam_amount_cell(weighted, currency, link),
                        ],
                    }
                )
            tables.append({"title": self._kam_group_label(scope), "rows": rows})
        return {
            "code": "pipeline",
            "sequence": 20,
            "title": self.env._("KAM pipeline"),
            "subtitle": self.env._(
                "Open deals per category, weighted by the category's probability"
            ),
            "columns": [
                self.env._("Deals"),
                self.env._("Value"),
                self.env._("Weighted"),
            ],
            "tables": tables,
        }
