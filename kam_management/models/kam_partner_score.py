from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..logic import scoring


class KamPartnerScore(models.Model):
    """The rating (0 to 10) an account manager gives an account on one criterion."""

    _name = "kam.partner.score"
    _inherit = ["kam.system.fields.mixin"]
    _description = "Key Account Criterion Rating"
    _order = "axis, sequence, id"
    _rec_name = "criterion_id"

    partner_id = fields.Many2one(
        "res.partner", "Account", required=True, ondelete="cascade", index=True
    )
    criterion_id = fields.Many2one("kam.criterion", required=True, ondelete="restrict")
    axis = fields.Selection(related="criterion_id.axis", store=True)
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    weight = fields.Float(related="criterion_id.weight", store=True)
    score = fields.Integer(default=5, required=True, help="0 (worst) to 10 (best).")
    note = fields.Char()
    # Each company rates a shared customer on its own (docs/METHOD.md#companies).
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    _sql_constraints = [
        (
            "criterion_unique",
            "UNIQUE (partner_id, criterion_id, company_id)",
            "An account is rated once per criterion and company.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        accounts = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        return self._kam_with_history(
            accounts, lambda: super(KamPartnerScore, self).create(vals_list)
        )

    def write(self, vals):
        # Record rules judge a write on the values before it: moving a rating to
        # another account (or criterion) would slip past the owner rule.
        if not self.env.su and {"partner_id", "criterion_id"}.intersection(vals):
            raise UserError(
                self.env._(
                    "A rating stays with its account and criterion: delete it and rate "
                    "the other one instead."
                )
            )
        accounts = self.partner_id
        if vals.get("partner_id"):
            accounts |= accounts.browse(vals["partner_id"])
        return self._kam_with_history(
            accounts, lambda: super(KamPartnerScore, self).write(vals)
        )

    def unlink(self):
        return self._kam_with_history(
            self.partner_id, lambda: super(KamPartnerScore, self).unlink()
        )

    def _kam_with_history(self, accounts, operation):
        """Run ``operation`` and record the moves it causes to ``accounts`` (a rating
        changes the scores, hence the quadrant), unless the account's own write
        records them already."""
        if self.env.context.get("kam_history_done"):
            return operation()
        accounts = accounts.exists()
        companies = self.company_id
        before = accounts._kam_history_snapshot()
        result = operation()
        accounts = accounts.exists()
        # The scores and the quadrant follow the ratings at once, in the companies
        # whose ratings changed.
        lines = result if isinstance(result, models.BaseModel) else self
        engine = self.env["kam.refresh"].sudo()
        for company in companies | lines.exists().company_id | self.env.company:
            engine.with_company(company)._kam_rederive(accounts)
        accounts._kam_history_record(before, "rating")
        return result

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= scoring.SCORE_MAX:
                raise ValidationError(
                    self.env._(
                        "The rating of %(account)s on %(criterion)s must be between 0 "
                        "and %(max)s, not %(score)s.",
                        account=line.partner_id.display_name,
                        criterion=line.criterion_id.name,
                        max=scoring.SCORE_MAX,
                        score=line.score,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_is_account(self):
        for line in self:
            if line.partner_id != line.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Rate the company %(company)s, not its contact.",
                        company=line.partner_id.commercial_partner_id.display_name,
                    )
                )
