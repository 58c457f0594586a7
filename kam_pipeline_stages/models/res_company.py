from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_checklist_sets_probability = fields.Boolean(
        string="Checklists Set the Probability",
        default=False,
        help="The ticked group criteria of the KAM checklists set the probability "
        "category of the company's opportunities, instead of their stage.",
    )

    def write(self, vals):
        if "kam_checklist_sets_probability" not in vals:
            return super().write(vals)
        before = {
            company.id: company.kam_checklist_sets_probability for company in self
        }
        result = super().write(vals)
        changed = self.filtered(
            lambda company: company.kam_checklist_sets_probability != before[company.id]
        )
        if changed:
            self.env["crm.lead"]._kam_sync_company_leads(changed)
        return result
