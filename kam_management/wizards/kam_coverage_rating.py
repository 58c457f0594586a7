from odoo import api, fields, models
from odoo.exceptions import UserError

from ..logic import coverage

# The criteria the coverage map can suggest a rating for (data/kam_criterion_data.xml).
CRITERIA = {
    "access": "kam_management.kam_criterion_attractiveness_access",
    "contacts": "kam_management.kam_criterion_relationship_contacts",
}


class KamCoverageRating(models.TransientModel):
    """The ratings the coverage map suggests for "Access to key people" and
    "Contacts in the customer's company" (docs/METHOD.md#coverage), beside the
    current ones: the manager applies them or not; nothing changes until then."""

    _name = "kam.coverage.rating"
    _description = "Ratings suggested by the coverage map"

    account_id = fields.Many2one("res.partner", "Key Account", required=True)
    line_ids = fields.One2many("kam.coverage.rating.line", "wizard_id", "Ratings")

    @api.model
    def _kam_suggestions(self, account):
        """``[(criterion, current rating or False, suggested rating)]``."""
        summary = self.env["kam.coverage"]._kam_coverage(account)[account.id]
        reached = {their for _our, their in summary["pairs"]}
        ratings = coverage.suggested_rating(
            summary["klass"], summary["level_shares"], len(reached)
        )
        current = {
            line.criterion_id: line.score
            for line in account.kam_score_ids
            if line.company_id == self.env.company
        }
        result = []
        for key, xmlid in CRITERIA.items():
            criterion = self.env.ref(xmlid, raise_if_not_found=False)
            if criterion and criterion.active:
                result.append((criterion, current.get(criterion, False), ratings[key]))
        return result

    @api.model
    def _kam_open(self, account):
        account.check_access("read")
        wizard = self.create(
            {
                "account_id": account.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "criterion_id": criterion.id,
                            "current_score": current,
                            "has_current": current is not False,
                            "suggested_score": suggested,
                            "apply": current is False or current != suggested,
                        },
                    )
                    for criterion, current, suggested in self._kam_suggestions(account)
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suggested Ratings"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        """Rate the account with the ticked suggestions, as the user (whose rights
        on ratings apply)."""
        self.ensure_one()
        scores = self.env["kam.partner.score"]
        # The suggestions are recomputed: what the wizard holds is for display.
        suggested = {
            criterion: value
            for criterion, _current, value in self._kam_suggestions(self.account_id)
        }
        for line in self.line_ids.filtered("apply"):
            if line.criterion_id not in suggested:
                raise UserError(self.env._("This criterion takes no suggestion."))
            value = suggested[line.criterion_id]
            existing = scores.search(
                [
                    ("partner_id", "=", self.account_id.id),
                    ("criterion_id", "=", line.criterion_id.id),
                    ("company_id", "=", self.env.company.id),
                ]
            )
            if existing:
                existing.write({"score": value})
            else:
                scores.create(
                    {
                        "partner_id": self.account_id.id,
                        "criterion_id": line.criterion_id.id,
                        "score": value,
                        "note": self.env._("Suggested by the coverage map"),
                    }
                )
        return {"type": "ir.actions.act_window_close"}


class KamCoverageRatingLine(models.TransientModel):
    _name = "kam.coverage.rating.line"
    _description = "Rating suggested by the coverage map"

    wizard_id = fields.Many2one(
        "kam.coverage.rating", required=True, ondelete="cascade"
    )
    criterion_id = fields.Many2one("kam.criterion", required=True, readonly=True)
    has_current = fields.Boolean(readonly=True)
    current_score = fields.Integer("Current Rating", readonly=True)
    suggested_score = fields.Integer("Suggested Rating", readonly=True)
    apply = fields.Boolean()
