from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

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
        stakeholders = self.env["kam.account.plan.stakeholder"]
        # One query: the stakeholders the user may read (the ORM's query, record
        # rules included), with their account and the contact's name and job.
        query = stakeholders._search(
            [
                ("is_key", "=", True),
                ("status", "in", CHANGED_STATUSES),
                ("plan_id.state", "in", ("active", "review")),
            ],
            order="id",
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(a.commercial_partner_id, a.id), s.status, s.role,
                       s.role_at_plan, c.name, c.function
                  FROM kam_account_plan_stakeholder s
                  JOIN kam_account_plan p ON p.id = s.plan_id
                  JOIN res_partner a ON a.id = p.partner_id
                  JOIN res_partner c ON c.id = s.partner_id
                 WHERE s.id IN %s
              ORDER BY s.id
                """,
                query.subselect(),
            )
        )
        rows = self.env.cr.fetchall()
        # After the fetch: the labels may take a query of their own (translations).
        roles = dict(stakeholders._fields["role"]._description_selection(self.env))
        changes = defaultdict(list)
        for account_id, status, role, role_at_plan, name, function in rows:
            if status == logic.STAKEHOLDER_LEFT:
                text = self.env._("%(contact)s left", contact=name)
            elif role_at_plan and role_at_plan != role:
                text = self.env._(
                    "%(contact)s is now %(role)s on the plan, was %(before)s",
                    contact=name,
                    role=roles.get(role, role),
                    before=roles.get(role_at_plan, role_at_plan),
                )
            else:
                # No parentheses: the cockpit puts the whole detail in parentheses.
                text = self.env._(
                    "%(contact)s changed role, now %(function)s",
                    contact=name,
                    function=function or self.env._("no job position"),
                )
            if text not in changes[account_id]:
                changes[account_id].append(text)
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
