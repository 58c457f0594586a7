from collections import defaultdict

from odoo import api, models

from .. import logic

CHANGED_STATUSES = (logic.STAKEHOLDER_LEFT, logic.STAKEHOLDER_ROLE_CHANGED)


class KamCockpit(models.AbstractModel):
    _inherit = "kam.cockpit"

    @api.model
    def _kam_cockpit_stakeholder_changes(self):
        """``{account id: [text]}``: the key stakeholders of the accounts' open plans
        who left or changed role, in one query for all accounts.

        Key accounts fail most often through changes of key people
        (docs/METHOD.md#accounts-at-risk): the director sees them beside the revenue and
        contact risks.
        """
        stakeholders = self.env["kam.account.plan.stakeholder"].search_fetch(
            [
                ("is_key", "=", True),
                ("status", "in", CHANGED_STATUSES),
                ("plan_id.state", "in", ("active", "review")),
            ],
            ["plan_id", "partner_id", "status", "role", "role_at_plan"],
        )
        changes = defaultdict(list)
        for stakeholder in stakeholders:
            account = stakeholder.plan_id.partner_id.commercial_partner_id
            contact = stakeholder.partner_id.with_context(active_test=False)
            roles = dict(stakeholder._fields["role"]._description_selection(self.env))
            if stakeholder.status == logic.STAKEHOLDER_LEFT:
                text = self.env._("%(contact)s left", contact=contact.name)
            elif (
                stakeholder.role_at_plan
                and stakeholder.role_at_plan != stakeholder.role
            ):
                text = self.env._(
                    "%(contact)s is now %(role)s on the plan, was %(before)s",
                    contact=contact.name,
                    role=roles.get(stakeholder.role, stakeholder.role),
                    before=roles.get(
                        stakeholder.role_at_plan, stakeholder.role_at_plan
                    ),
                )
            else:
                # No parentheses: the cockpit puts the whole detail in parentheses.
                text = self.env._(
                    "%(contact)s changed role, now %(function)s",
                    contact=contact.name,
                    function=contact.function or self.env._("no job position"),
                )
            if text not in changes[account.id]:
                changes[account.id].append(text)
        return changes

    @api.model
    def _kam_cockpit_risk_kinds(self, accounts_domain):
        kinds = super()._kam_cockpit_risk_kinds(accounts_domain)
        changes = self._kam_cockpit_stakeholder_changes()
        kinds.append(
            {
                "code": "stakeholder_change",
                "label": self.env._("Key stakeholder left or changed role"),
                "domain": accounts_domain + [("id", "in", list(changes))],
                "order": "kam_tier asc, id",
                "detail": lambda partner: "; ".join(changes.get(partner.id, [])),
            }
        )
        return kinds
