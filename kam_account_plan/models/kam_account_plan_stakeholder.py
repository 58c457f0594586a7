from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import logic

# The buying roles; the coverage map (kam_management) reads the decision makers and
# influencers by these keys (its logic.coverage.ROLE_LEVELS).
STAKEHOLDER_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("influencer", "Influencer"),
    ("user", "User"),
    ("gatekeeper", "Gatekeeper"),
    ("sponsor", "Sponsor"),
]


class KamAccountPlanStakeholder(models.Model):
    _name = "kam.account.plan.stakeholder"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Stakeholder"
    _order = "plan_id, is_key desc, sequence, id"

    account_id = fields.Many2one(related="plan_id.partner_id", string="Key Account")
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        required=True,
        index=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', account_id), ('id', '!=', account_id)]",
    )
    role = fields.Selection(
        STAKEHOLDER_ROLES,
        required=True,
        default="influencer",
    )
    attitude = fields.Selection(
        [
            ("champion", "Champion"),
            ("supporter", "Supporter"),
            ("neutral", "Neutral"),
            ("skeptic", "Skeptic"),
            ("opponent", "Opponent"),
        ],
        default="neutral",
        required=True,
    )
    access_level = fields.Selection(
        [("none", "No access"), ("low", "Low"), ("medium", "Medium"), ("high", "High")],
        "Our Access Level",
        default="low",
        required=True,
    )
    is_key = fields.Boolean("Key Stakeholder", default=True)
    # A snapshot taken by the system: typed by hand, it would hide a role change.
    # Precomputed: taken when the line is created, not at a later flush that would
    # already see a new position.
    function_at_plan = fields.Char(
        "Job Position on Plan",
        compute="_compute_function_at_plan",
        store=True,
        precompute=True,
        help="The contact's job position when added to the plan: a different current "
        "position signals a role change.",
    )
    # The buying role when the line was recorded (or the change last acknowledged):
    # a later change of ``role`` is a role change, as a new job position is.
    role_at_plan = fields.Selection(
        STAKEHOLDER_ROLES,
        string="Role on Plan",
        compute="_compute_role_at_plan",
        store=True,
        precompute=True,
        help="The stakeholder's role when added to the plan: a different role now "
        "signals a role change.",
    )
    current_function = fields.Char(
        related="partner_id.function", string="Current Job Position"
    )
    has_left = fields.Boolean(
        "Left the Customer", help="Tick when the contact left the customer."
    )
    status = fields.Selection(
        [
            (logic.STAKEHOLDER_ACTIVE, "In place"),
            (logic.STAKEHOLDER_ROLE_CHANGED, "Role changed"),
            (logic.STAKEHOLDER_LEFT, "Left"),
        ],
        compute="_compute_status",
        store=True,
    )
    last_contact_date = fields.Date("Last Contact")
    note = fields.Text()

    # The plan names its account: a stakeholder is the contact's own name.
    @api.depends("partner_id.name")
    def _compute_display_name(self):
        for stakeholder in self:
            stakeholder.display_name = stakeholder.partner_id.name or False

    @api.depends(
        "has_left",
        "function_at_plan",
        "role",
        "role_at_plan",
        "partner_id.active",
        "partner_id.function",
        "partner_id.commercial_partner_id",
        "plan_id.partner_id",
    )
    def _compute_status(self):
        for stakeholder in self:
            contact = stakeholder.partner_id.with_context(active_test=False)
            stakeholder.status = logic.stakeholder_status(
                contact_active=contact.active,
                same_company=contact.commercial_partner_id
                == stakeholder.plan_id.partner_id.commercial_partner_id,
                marked_left=stakeholder.has_left,
                function_at_plan=stakeholder.function_at_plan,
                current_function=contact.function,
                role_at_plan=stakeholder.role_at_plan,
                current_role=stakeholder.role,
            )

    # On the contact only: a later change of their job position is the role change
    # the snapshot is there to reveal.
    @api.depends("partner_id")
    def _compute_function_at_plan(self):
        for stakeholder in self:
            stakeholder.function_at_plan = stakeholder.partner_id.function or False

    # On the contact only, as the job position: the role the line was created with.
    @api.depends("partner_id")
    def _compute_role_at_plan(self):
        for stakeholder in self:
            stakeholder.role_at_plan = stakeholder.role or False

    def action_acknowledge_change(self):
        """The change is known: the current job position and role become the
        reference of the plan (the stakeholder is in place again)."""
        self.plan_id.check_access("write")
        for stakeholder in self.sudo():
            stakeholder.write(
                {
                    "function_at_plan": stakeholder.partner_id.function or False,
                    "role_at_plan": stakeholder.role,
                }
            )
        return True

    @api.constrains("partner_id", "plan_id")
    def _check_partner_of_account(self):
        for stakeholder in self:
            account = stakeholder.plan_id.partner_id.commercial_partner_id
            if stakeholder.partner_id.commercial_partner_id != account:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(account)s: a stakeholder of "
                        "an account plan "
                        "must belong to the customer's company.",
                        contact=stakeholder.partner_id.display_name,
                        account=account.display_name,
                    )
                )
