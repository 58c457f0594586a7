from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_account_plan_count = fields.Integer(
        "Account Plan Count",
        compute="_compute_kam_account_plan_count",
        groups="sales_team.group_sale_salesman",
    )

    def _compute_kam_account_plan_count(self):
        counts = dict(
            self.env["kam.account.plan"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.kam_account_plan_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_view_kam_account_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_account_plan.action_kam_account_plan"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id, "search_default_open": 1}
        return action
