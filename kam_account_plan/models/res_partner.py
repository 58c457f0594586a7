from odoo import api, fields, models

# The context key of a display option: a contact shown by its own name ("Ivan Petrov"),
# not prefixed with its company ("Uralsteel JSC, Ivan Petrov"), where the company is
# already on screen (the stakeholders of an account plan). Like product.category's
# ``hierarchical_naming``.
CONTACT_NAME_ONLY = "kam_contact_name_only"


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_account_plan_count = fields.Integer(
        "Account Plan Count",
        compute="_compute_kam_account_plan_count",
        groups="sales_team.group_sale_salesman",
    )
    # The plans of the account, for the cockpit's "with a current plan" domains.
    kam_account_plan_ids = fields.One2many(
        "kam.account.plan",
        "partner_id",
        "Account Plans",
        groups="sales_team.group_sale_salesman",
    )

    @api.depends_context(CONTACT_NAME_ONLY)
    def _compute_display_name(self):
        if not self.env.context.get(CONTACT_NAME_ONLY):
            super()._compute_display_name()
            return
        plain = self.filtered(lambda partner: partner.is_company or not partner.name)
        super(ResPartner, plain)._compute_display_name()
        for partner in self - plain:
            partner.display_name = partner.name

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
