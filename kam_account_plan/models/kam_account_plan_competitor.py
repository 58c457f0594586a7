from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import logic


class KamAccountPlanCompetitor(models.Model):
    _name = "kam.account.plan.competitor"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Competitor"
    _order = "plan_id, sequence, id"

    account_id = fields.Many2one(related="plan_id.partner_id", string="Key Account")
    sequence = fields.Integer(default=10)
    competitor_partner_id = fields.Many2one(
        "res.partner",
        "Competitor Company",
        check_company=True,
        index="btree_not_null",
        domain="[('is_company', '=', True)]",
        help="The competitor as a company: its deals won and lost against us are "
        "counted from the opportunities ('Lost to', 'Competitors on this deal').",
    )
    name = fields.Char("Competitor", required=True)
    share_of_wallet = fields.Float(
        "Share of Wallet (%)", help="Estimated share of the customer's spend."
    )
    threat_level = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium",
        required=True,
    )
    strengths = fields.Text()
    weaknesses = fields.Text()
    counter_tactics = fields.Text("Our Counter-Tactics")

    # -- win/loss record (from the opportunities, not stored: it moves with every deal)
    lost_count = fields.Integer(
        "Lost to Them (Account)",
        compute="_compute_win_loss",
        help="Opportunities of this account lost to this competitor.",
    )
    lost_count_all = fields.Integer(
        "Lost to Them (All)",
        compute="_compute_win_loss",
        help="Opportunities of all accounts lost to this competitor.",
    )
    won_count = fields.Integer(
        "Won Against Them (Account)",
        compute="_compute_win_loss",
        help="Won opportunities of this account on which this competitor competed.",
    )
    won_count_all = fields.Integer(
        "Won Against Them (All)",
        compute="_compute_win_loss",
        help="Won opportunities of all accounts on which this competitor competed.",
    )
    lost_reasons = fields.Char(
        "Lost Reasons (Account)",
        compute="_compute_win_loss",
        help="Why this account's deals went to this competitor, most frequent first.",
    )
    lost_reasons_all = fields.Char(
        "Lost Reasons (All)",
        compute="_compute_win_loss",
        help="Why deals of all accounts went to this competitor, most frequent first.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"]
        for vals in vals_list:
            # The competitor's company is enough to name the line.
            if not vals.get("name") and vals.get("competitor_partner_id"):
                partner = partners.browse(vals["competitor_partner_id"])
                vals["name"] = partner.commercial_partner_id.name
        return super().create(vals_list)

    @api.onchange("competitor_partner_id")
    def _onchange_competitor_partner_id(self):
        if self.competitor_partner_id and not self.name:
            self.name = self.competitor_partner_id.commercial_partner_id.name

    @api.constrains("share_of_wallet")
    def _check_share_of_wallet(self):
        for competitor in self:
            if not 0.0 <= competitor.share_of_wallet <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The share of wallet of %(competitor)s must be between 0 "
                        "and 100.",
                        competitor=competitor.name,
                    )
                )

    # -- win/loss
    @api.model
    def _lost_to_domain(self, competitors):
        """Opportunities lost to ``competitors``: archived with probability 0."""
        return [
            ("type", "=", "opportunity"),
            ("active", "=", False),
            ("probability", "=", 0),
            ("kam_lost_to_id", "in", competitors.ids),
        ]

    @api.model
    def _won_against_domain(self, competitors):
        """Won opportunities on which one of ``competitors`` competed."""
        return [
            ("type", "=", "opportunity"),
            ("stage_id.is_won", "=", True),
            ("kam_competitor_ids", "in", competitors.ids),
        ]

    @api.depends("competitor_partner_id", "plan_id.partner_id")
    def _compute_win_loss(self):
        # Two grouped reads for all the lines, whatever their number: the lost deals by
        # competitor, customer and reason, the won deals by competitor and customer.
        competitors = self.competitor_partner_id.commercial_partner_id
        # {(competitor, account): {reason: count}} and {competitor: {reason: count}}
        lost = defaultdict(lambda: defaultdict(int))
        lost_all = defaultdict(lambda: defaultdict(int))
        won = defaultdict(int)
        won_all = defaultdict(int)
        if competitors:
            leads = self.env["crm.lead"].with_context(active_test=False)
            for competitor, customer, reason, count in leads._read_group(
                self._lost_to_domain(competitors),
                ["kam_lost_to_id", "partner_id", "lost_reason_id"],
                ["__count"],
            ):
                competitor_id = competitor.commercial_partner_id.id
                account_id = customer.commercial_partner_id.id
                lost[competitor_id, account_id][reason.name or None] += count
                lost_all[competitor_id][reason.name or None] += count
            for competitor, customer, count in leads._read_group(
                self._won_against_domain(competitors),
                ["kam_competitor_ids", "partner_id"],
                ["__count"],
            ):
                competitor_id = competitor.commercial_partner_id.id
                won[competitor_id, customer.commercial_partner_id.id] += count
                won_all[competitor_id] += count
        no_reason = self.env._("No reason given")
        for line in self:
            competitor_id = line.competitor_partner_id.commercial_partner_id.id
            account_id = line.plan_id.partner_id.commercial_partner_id.id
            reasons = lost.get((competitor_id, account_id), {})
            reasons_all = lost_all.get(competitor_id, {})
            line.lost_count = sum(reasons.values())
            line.lost_count_all = sum(reasons_all.values())
            line.won_count = won.get((competitor_id, account_id), 0)
            line.won_count_all = won_all.get(competitor_id, 0)
            line.lost_reasons = logic.reason_summary(reasons, no_reason) or False
            line.lost_reasons_all = (
                logic.reason_summary(reasons_all, no_reason) or False
            )

    def _action_view_opportunities(self, domain, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("crm.crm_case_tree_view_oppor").id, "list"),
                (False, "form"),
            ],
            "domain": domain,
            "context": {"active_test": False, "create": False},
        }

    def _account_domain(self):
        return [
            (
                "partner_id",
                "child_of",
                self.plan_id.partner_id.commercial_partner_id.ids,
            )
        ]

    # The four buttons of a competitor line: the deals lost to it or won against it,
    # at this account or at every account.
    def action_view_lost(self):
        return self._action_view_outcome("lost", at_account=True)

    def action_view_lost_all(self):
        return self._action_view_outcome("lost", at_account=False)

    def action_view_won(self):
        return self._action_view_outcome("won", at_account=True)

    def action_view_won_all(self):
        return self._action_view_outcome("won", at_account=False)

    def _action_view_outcome(self, outcome, at_account):
        competitors = self.competitor_partner_id.commercial_partner_id
        if outcome == "lost":
            domain = self._lost_to_domain(competitors)
            title = self.env._("Lost to %(competitor)s", competitor=self.name)
        else:
            domain = self._won_against_domain(competitors)
            title = self.env._("Won against %(competitor)s", competitor=self.name)
        if at_account:
            domain += self._account_domain()
        return self._action_view_opportunities(domain, title)
