from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..logic import PARKING_CATEGORY, StageKey, default_probability

KAM_CATEGORIES = [
    ("first_meeting", "First meeting scheduled"),
    ("meeting_held", "First meeting held (25%)"),
    ("fifty", "50%"),
    ("seventy_five", "75%"),
    ("won", "Won"),
    ("no_next_step", "No next step"),
]


#: A longer maximum age is no limit at all, and further back than ``datetime`` goes.
MAX_AGE_DAYS_LIMIT = 36500


class CrmStage(models.Model):
    _name = "crm.stage"
    _inherit = ["crm.stage", "kam.system.fields.mixin"]
    # The caller's values are checked at the top of create/write (see the mixin).
    _kam_check_in_crud = False

    kam_category = fields.Selection(
        KAM_CATEGORIES,
        string="KAM Category",
        help="Probability category of the key-account pipeline (Schiffman). Only "
        "stages with a category take part in the KAM checklists, gating and aging.",
    )
    kam_probability = fields.Float(
        string="Category Probability (%)",
        compute="_compute_kam_probability",
        store=True,
        readonly=False,
        help="The odds this category stands for: 25% is one chance in four. It is "
        "the probability of the open deals of the stage.",
    )
    kam_max_age_days = fields.Integer(
        string="Maximum Age (days)",
        help="A deal staying longer than this in the stage is flagged too old and its "
        "owner gets a review activity. 0: no limit.",
    )
    kam_checklist_template_ids = fields.One2many(
        "kam.stage.checklist.template",
        "stage_id",
        string="Checklist",
    )
    kam_criterion_count = fields.Integer(
        string="Group Criteria Count", compute="_compute_kam_template_counts"
    )
    kam_question_count = fields.Integer(
        string="Strategic Questions Count", compute="_compute_kam_template_counts"
    )

    # Fields that decide which teams have a KAM pipeline of their own.
    _kam_pipeline_fields = frozenset({"team_id", "kam_category"})

    @api.model
    @tools.ormcache()
    def _kam_pipeline_team_ids(self):
        """The teams that have KAM stages of their own. Cached: every write of a
        deal asks (the gate, the stage a team change gives), and CRM's lead
        assignment writes deals one by one."""
        stages = self.sudo().search(
            [("team_id", "!=", False), ("kam_category", "!=", False)]
        )
        return frozenset(stages.team_id.ids)

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create([self._kam_check_values(vals) for vals in vals_list])
        self.env.registry.clear_cache()  # _kam_pipeline_team_ids
        return stages

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _kam_pipeline_team_ids
        return result

    def write(self, vals):
        vals = self._kam_check_values(vals)
        Lead = self.env["crm.lead"].sudo()
        rule_fields = {"kam_probability", "kam_category", "is_won"}
        ruled_domain = [
            ("stage_id", "in", self.ids),
            ("kam_category_sets_probability", "=", True),
        ]
        # The deals whose probability these stages set before the write: a stage
        # losing its category (or becoming a won stage) gives them back to CRM.
        ruled = Lead.browse()
        if rule_fields & set(vals):
            ruled = Lead.search(ruled_domain)
        # The pipelines before the write: a stage leaving one changes it too.
        old_teams = self.team_id
        old_shared = any(not stage.team_id for stage in self)
        result = super().write(vals)
        if self._kam_pipeline_fields & set(vals):
            self.env.registry.clear_cache()  # _kam_pipeline_team_ids
        leads = Lead.browse()
        if rule_fields & set(vals):
            leads = Lead.search(ruled_domain)
        changed = rule_fields | {"team_id", "sequence"}
        if changed & set(vals) and self.env["res.company"].sudo().search_count(
            [("kam_checklist_sets_probability", "=", True)], limit=1
        ):
            # The category earned and its probability may change for the deals of
            # these stages' pipelines whose checklist sets the probability.
            teams = self.team_id | old_teams
            domain = [("stage_id.team_id", "in", teams.ids)]
            if old_shared or any(not stage.team_id for stage in self):
                domain = ["|", ("stage_id.team_id", "=", False), *domain]
            leads |= Lead.search(
                [
                    "|",
                    ("stage_id", "in", self.ids),
                    "&",
                    ("kam_checklist_managed", "=", True),
                    *domain,
                ]
            )
        if leads or ruled:
            leads._kam_sync_probability(released=ruled - leads)
        return result

    @api.constrains("kam_max_age_days", "kam_probability")
    def _check_kam_values(self):
        for stage in self:
            if stage.kam_max_age_days < 0:
                raise ValidationError(
                    self.env._(
                        "The maximum age of stage “%(stage)s” cannot be negative.",
                        stage=stage.name,
                    )
                )
            if stage.kam_max_age_days > MAX_AGE_DAYS_LIMIT:
                raise ValidationError(
                    self.env._(
                        "The maximum age of stage “%(stage)s” cannot exceed %(max)s "
                        "days.",
                        stage=stage.name,
                        max=MAX_AGE_DAYS_LIMIT,
                    )
                )
            if not 0.0 <= stage.kam_probability <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The category probability of stage “%(stage)s” must be "
                        "between 0 and 100.",
                        stage=stage.name,
                    )
                )

    @api.depends("kam_category")
    def _compute_kam_probability(self):
        for stage in self:
            stage.kam_probability = default_probability(stage.kam_category)

    @api.depends("kam_checklist_template_ids.kind")
    def _compute_kam_template_counts(self):
        for stage in self:
            templates = stage.kam_checklist_template_ids
            stage.kam_criterion_count = len(
                templates.filtered(lambda t: t.kind == "criterion")
            )
            stage.kam_question_count = len(templates) - stage.kam_criterion_count

    def _kam_stage_key(self):
        """The :class:`StageKey` the gating logic works on."""
        self.ensure_one()
        return StageKey(
            id=self.id,
            sequence=self.sequence,
            pipeline=self.team_id.id or None,
            gated=bool(self.kam_category) and self.kam_category != PARKING_CATEGORY,
            parking=self.kam_category == PARKING_CATEGORY,
            won=self.is_won,
        )
