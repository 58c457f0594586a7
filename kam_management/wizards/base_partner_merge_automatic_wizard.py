from odoo import models

from ..models.kam_system_fields import DROP_SYSTEM_FIELDS


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # The merge copies every plain field of the merged partners onto the one kept.
        # The KAM figures are not copied: the deals, activities and messages move to the
        # partner kept, and its next refresh derives its figures from them.
        result = super()._update_values(
            src_partners, dst_partner.with_context(**{DROP_SYSTEM_FIELDS: True})
        )
        dst_partner.commercial_partner_id.sudo().write({"kam_refresh_date": False})
        return result
