from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.kam_management.jobs import try_job_lock

from ..logic import (
    CHECKLIST_CATEGORIES,
    NEXT_STEP_CATEGORIES,
    DealPosition,
    category_to_move,
    days_in_stage,
    deal_probability,
    earned_category,
    gate_missing,
    gated_transition,
    is_too_old,
    stage_ahead,
)
from .crm_stage import KAM_CATEGORIES

MANAGER_GROUP = "kam_management.group_kam_manager"
#: Writing one of these on a deal may change the probability its KAM category sets.
PROBABILITY_SYNC_FIELDS = {
    "stage_id",
    "active",
    "company_id",
    "probability",
    "automated_probability",
}
#: The stale-deal job's lock: one run at a time.
STALE_JOB_LOCK = "kam_pipeline_stages.stale_activities"
#: How many refused opportunities the gate message lists by name.
GATE_MESSAGE_LIMIT = 10

QUALIFICATION_DEAL_SIZES = [
    ("smaller", "Smaller than usual"),
    ("typical", "Typical"),
    ("larger", "Larger than usual"),
    ("much_larger", "Much larger than usual"),
]
QUALIFICATION_TIMES = [
    ("short", "Short"),
    ("medium", "Medium"),
    ("long", "Long"),
]
QUALIFICATION_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
QUALIFICATION_VERDICTS = [
    ("pursue", "Pursue"),
    ("qualify", "Pursue with care"),
    ("reconsider", "Reconsider the effort"),
]


#: Written by the system only (see ``kam.system.fields.mixin``): what the checklist
#: earned, what the qualification wizard derived, and when the deal entered its stage
#: (the days in stage and the stale-deal reminders follow it).
LEAD_SYSTEM_FIELDS = frozenset(
    {
        "kam_checklist_managed",
        "kam_checklist_category",
        "kam_checklist_probability",
        "kam_checklist_progress",
        "kam_missing_criteria_count",
        "kam_stage_ahead",
        "kam_qual_deal_size",
        "kam_qual_time_to_close",
        "kam_qual_resources",
        "kam_qual_contact_probability",
        "kam_qual_sales_reps",
        "kam_qual_meetings_min",
        "kam_qual_meetings_max",
        "kam_qual_cycle_weeks_min",
        "kam_qual_cycle_weeks_max",
        "kam_qual_pilot",
        "kam_qual_verdict",
        "kam_qual_date",
        "date_last_stage_update",
    }
)


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "kam.system.fields.mixin"]
    # The caller's values are checked at the top of create/write (see the mixin).
    _kam_check_in_crud = False

    kam_category = fields.Selection(
        related="stage_id.kam_category", string="KAM Category"
    )
    kam_stage_probability = fields.Float(
        related="stage_id.kam_probability", string="Category Probability (%)"
    )
    kam_category_sets_probability = fields.Boolean(
        string="Probability from KAM Category",
        compute="_compute_kam_category_sets_probability",
        search="_search_kam_category_sets_probability",
        help="An open deal of the KAM pipeline: its probability is the one of its "
        "category (of the category its criteria earn where the checklists set the "
        "probability), not CRM's predictive score.",
    )
    kam_checklist_line_ids = fields.One2many(
        "kam.lead.checklist.line", "lead_id", string="KAM Checklist"
    )
    kam_criterion_line_ids = fields.One2many(
        "kam.lead.checklist.line",
        "lead_id",
        string="Group Criteria",
        domain=[("kind", "=", "criterion")],
    )
    kam_question_line_ids = fields.One2many(
        "kam.lead.checklist.line",
        "lead_id",
        string="Strategic Questions",
        domain=[("kind", "=", "question")],
    )
    kam_checklist_progress = fields.Float(
        string="Checklist Progress",
        compute="_compute_kam_checklist_progress",
        store=True,
        help="Share of the current stage's criteria ticked and questions answered.",
    )
    kam_missing_criteria_count = fields.Integer(
        string="Missing Criteria",
        compute="_compute_kam_checklist_progress",
        store=True,
        help="Mandatory criteria of the current stage not ticked yet.",
    )
    kam_checklist_managed = fields.Boolean(
        string="Probability from Checklist",
        readonly=True,
        copy=False,
        help="The company lets the checklists set the probability, and the deal is "
        "in a KAM stage from the first meeting to 75%: its probability is the one "
        "of the category its ticked criteria earn.",
    )
    kam_checklist_category = fields.Selection(
        [(key, label) for key, label in KAM_CATEGORIES if key in CHECKLIST_CATEGORIES],
        string="Category Earned",
        readonly=True,
        copy=False,
        help="The highest category whose mandatory group criteria, and those of "
        "every category before it, are all ticked. Empty: none earned yet.",
    )
    kam_checklist_probability = fields.Float(
        string="Earned Probability (%)",
        readonly=True,
        copy=False,
        help="The probability of the category earned (0 when none is earned).",
    )
    kam_stage_ahead = fields.Boolean(
        string="Stage Ahead of Criteria",
        compute="_compute_kam_stage_ahead",
        store=True,
        help="The deal's stage is further than the category its ticked criteria "
        "earn: the probability follows the criteria, the stage stays.",
    )
    kam_days_in_stage = fields.Integer(
        string="Days in Stage", compute="_compute_kam_aging"
    )
    kam_max_age_days = fields.Integer(related="stage_id.kam_max_age_days")
    kam_is_too_old = fields.Boolean(
        string="Too Old",
        compute="_compute_kam_aging",
        search="_search_kam_is_too_old",
        help="The deal stayed longer than the maximum age of its stage.",
    )
    kam_no_next_step = fields.Boolean(
        string="No Next Step",
        compute="_compute_kam_no_next_step",
        search="_search_kam_no_next_step",
        help="Past the first meeting, with no planned activity.",
    )
    kam_gate_override = fields.Boolean(
        string="Override Stage Gate",
        copy=False,
        groups=MANAGER_GROUP,
        help="Lets the next forward move pass although mandatory criteria are not "
        "ticked. The override is logged in the chatter and this box clears itself.",
    )
    # Qualification after the first meeting: written by the qualification wizard only
    # (run it again to change the answers), so that the verdict follows them.
    kam_qual_deal_size = fields.Selection(
        QUALIFICATION_DEAL_SIZES,
        string="Deal Size vs Typical",
        copy=False,
        readonly=True,
    )
    kam_qual_time_to_close = fields.Selection(
        QUALIFICATION_TIMES,
        string="Time to Close and Profit",
        copy=False,
        readonly=True,
    )
    kam_qual_resources = fields.Selection(
        QUALIFICATION_LEVELS, string="Resources Needed", copy=False, readonly=True
    )
    kam_qual_contact_probability = fields.Selection(
        QUALIFICATION_LEVELS,
        string="Probability with Existing Contacts",
        copy=False,
        readonly=True,
    )
    kam_qual_sales_reps = fields.Integer(
        string="Customer's Sales Reps", copy=False, readonly=True
    )
    kam_qual_meetings_min = fields.Integer(
        string="Expected Meetings (min)", copy=False, readonly=True
    )
    kam_qual_meetings_max = fields.Integer(
        string="Expected Meetings (max)", copy=False, readonly=True
    )
    kam_qual_cycle_weeks_min = fields.Integer(
        string="Cycle Weeks (min)", copy=False, readonly=True
    )
    kam_qual_cycle_weeks_max = fields.Integer(
        string="Cycle Weeks (max)", copy=False, readonly=True
    )
    kam_qual_pilot = fields.Boolean(string="Pilot Expected", copy=False, readonly=True)
    kam_qual_verdict = fields.Selection(
        QUALIFICATION_VERDICTS,
        string="Qualification Verdict",
        copy=False,
        readonly=True,
    )
    kam_qual_date = fields.Datetime(string="Qualified On", copy=False, readonly=True)

    # -- computes

    @api.depends(
        "stage_id",
        "kam_checklist_line_ids.stage_id",
        "kam_checklist_line_ids.is_complete",
        "kam_checklist_line_ids.is_done",
        "kam_checklist_line_ids.mandatory",
        "kam_checklist_line_ids.kind",
        "kam_checklist_line_ids.template_id.active",
    )
    def _compute_kam_checklist_progress(self):
        # Load the lines of all the leads at once (not one query per lead).
        lines = self.kam_checklist_line_ids
        lines.fetch(["stage_id", "is_complete", "is_done", "kind", "template_id"])
        lines.template_id.with_context(active_test=False).fetch(["mandatory", "active"])
        for lead in self:
            # The items of the stage still in use (archived ones no longer count).
            lines = lead.kam_checklist_line_ids.filtered(
                lambda line, lead=lead: line.stage_id == lead.stage_id
                and line.template_id.active
            )
            complete = len(lines.filtered("is_complete"))
            lead.kam_checklist_progress = (
                100.0 * complete / len(lines) if lines else 0.0
            )
            lead.kam_missing_criteria_count = len(
                lines.filtered(
                    lambda line: line.kind == "criterion"
                    and line.mandatory
                    and not line.is_done
                )
            )

    @api.depends(
        "kam_checklist_managed", "kam_checklist_category", "stage_id.kam_category"
    )
    def _compute_kam_stage_ahead(self):
        for lead in self:
            lead.kam_stage_ahead = lead.kam_checklist_managed and stage_ahead(
                lead.stage_id.kam_category, lead.kam_checklist_category
            )

    @api.depends("active", "stage_id.kam_category", "stage_id.is_won")
    def _compute_kam_category_sets_probability(self):
        for lead in self:
            lead.kam_category_sets_probability = (
                lead._kam_category_probability() is not None
            )

    def _search_kam_category_sets_probability(self, operator, value):
        # The domain form of logic.deal_probability (a test checks they agree).
        domain = [
            ("active", "=", True),
            ("stage_id.kam_category", "!=", False),
            ("stage_id.is_won", "=", False),
        ]
        if self._kam_boolean_search_sign(operator, value):
            return domain
        return [("id", "not in", self.with_context(active_test=False)._search(domain))]

    def _kam_category_probability(self):
        """The probability the deal's KAM category gives it, ``None`` where CRM's
        rules apply (see ``logic.deal_probability``)."""
        self.ensure_one()
        stage = self.stage_id
        return deal_probability(
            stage.kam_category,
            stage.kam_probability,
            active=self.active,
            won=stage.is_won,
            earned=(
                self.kam_checklist_probability if self.kam_checklist_managed else None
            ),
        )

    def _compute_probabilities(self):
        """CRM's predictive score stays in ``automated_probability`` for all to see;
        the probability of a KAM deal is its category's."""
        result = super()._compute_probabilities()
        for lead in self:
            probability = lead._kam_category_probability()
            if probability is not None:
                lead.probability = probability
        return result

    def _update_automated_probabilities(self):
        """The nightly CRM update (raw SQL) moves a probability equal to the old
        score with the new one: the KAM deals get their category's back."""
        result = super()._update_automated_probabilities()
        self.invalidate_model(["probability", "automated_probability"])
        self.sudo().search(
            [("kam_category_sets_probability", "=", True)]
        )._kam_sync_probability()
        return result

    @api.depends("date_last_stage_update", "stage_id.kam_max_age_days")
    def _compute_kam_aging(self):
        now = fields.Datetime.now()
        for lead in self:
            lead.kam_days_in_stage = days_in_stage(lead.date_last_stage_update, now)
            lead.kam_is_too_old = lead.active and is_too_old(
                lead.date_last_stage_update, now, lead.stage_id.kam_max_age_days
            )

    def _search_kam_is_too_old(self, operator, value):
        positive = self._kam_boolean_search_sign(operator, value)
        now = fields.Datetime.now()
        stages = self.env["crm.stage"].search_fetch(
            [("kam_max_age_days", ">", 0)], ["kam_max_age_days"]
        )
        domain = [("id", "=", 0)]  # no stage with a maximum age: nothing is too old
        for stage in stages:
            # days_in_stage > max  <=>  entered <= now - (max + 1) days
            limit = now - timedelta(days=stage.kam_max_age_days + 1)
            domain = [
                "|",
                "&",
                ("stage_id", "=", stage.id),
                ("date_last_stage_update", "<=", limit),
                *domain,
            ]
        domain = [("active", "=", True), *domain]
        if positive:
            return domain
        return [("id", "not in", self.with_context(active_test=False)._search(domain))]

    @api.depends("stage_id.kam_category", "activity_ids", "active")
    def _compute_kam_no_next_step(self):
        for lead in self:
            lead.kam_no_next_step = (
                lead.active
                and lead.stage_id.kam_category in NEXT_STEP_CATEGORIES
                and not lead.activity_ids
            )

    def _search_kam_no_next_step(self, operator, value):
        positive = self._kam_boolean_search_sign(operator, value)
        # The deals with a planned activity, straight from the table: a deal's
        # activities are a fact about the deal whoever looks (mail.activity's own
        # search would read every activity of every deal to check its access).
        self.env["mail.activity"].flush_model(["res_model", "res_id", "active"])
        planned = SQL(
            "(SELECT a.res_id FROM mail_activity a WHERE a.res_model = %s"
            " AND a.active AND a.res_id IS NOT NULL)",
            self._name,
        )
        domain = [
            ("active", "=", True),
            ("stage_id.kam_category", "in", sorted(NEXT_STEP_CATEGORIES)),
            ("id", "not in", planned),
        ]
        if positive:
            return domain
        return [("id", "not in", self.with_context(active_test=False)._search(domain))]

    def _kam_boolean_search_sign(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._(
                    "Unsupported search on a KAM flag: %(operator)s %(value)s",
                    operator=operator,
                    value=value,
                )
            )
        return (operator == "=") == value

    # -- pipeline

    @api.model
    def _kam_pipeline_team_ids(self, team_ids):
        """The teams among ``team_ids`` that have their own KAM pipeline stages."""
        return set(team_ids) & self.env["crm.stage"]._kam_pipeline_team_ids()

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        """A team with a KAM pipeline uses its own stages, not the shared ones."""
        team_ids = {team_id} if team_id else set()
        team_ids |= set(self.team_id.ids)
        if team_ids and self._kam_pipeline_team_ids(team_ids) == team_ids:
            stages = self.env["crm.stage"].search(
                [("team_id", "in", list(team_ids)), *(domain or [])],
                order=order,
                limit=limit,
            )
            if stages:
                return stages
        return super()._stage_find(
            team_id=team_id, domain=domain, order=order, limit=limit
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The kanban of a team with a KAM pipeline shows that pipeline's columns."""
        team_id = self.env.context.get("default_team_id")
        if team_id and self._kam_pipeline_team_ids({team_id}):
            stage_ids = stages.sudo()._search(
                ["|", ("id", "in", stages.ids), ("team_id", "=", team_id)],
                order=stages._order,
            )
            return stages.browse(stage_ids)
        return super()._read_group_stage_ids(stages, domain)

    # -- CRUD

    def _kam_system_fields(self):
        return super()._kam_system_fields() | LEAD_SYSTEM_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._kam_check_values(vals) for vals in vals_list]
        leads = super().create(vals_list)
        if not self.env.su:
            # A new deal starts before the first stage: created (imported, copied)
            # straight into a later one, it passes the gates of the stages before.
            leads._kam_check_stage_gates(dict.fromkeys(leads.ids))
            leads._kam_reset_gate_override()
        kam_leads = leads.filtered("stage_id.kam_category")
        if kam_leads:
            kam_leads._kam_instantiate_checklist()
            kam_leads._kam_log_stage_entry()
            kam_leads._kam_sync_probability()
        return leads

    def write(self, vals):
        vals = self._kam_check_values(vals)
        sync = not self.env.context.get("kam_probability_sync") and bool(
            PROBABILITY_SYNC_FIELDS & set(vals)
        )
        ruled = self.filtered("kam_category_sets_probability") if sync else None
        # Any write may change where a deal stands (a new user changes the team,
        # a new team or type may give a stage): judge the result, not the values.
        before = {lead.id: lead._kam_gate_position() for lead in self}
        old_stages = {lead.id: lead.stage_id for lead in self}
        result = super().write(vals)
        changed = self.filtered(
            lambda lead: lead._kam_gate_position() != before[lead.id]
        )
        if changed:
            changed._kam_check_stage_gates(before)
            changed._kam_reset_gate_override()
        moved = changed.filtered(lambda lead: lead.stage_id != old_stages[lead.id])
        if moved:
            kam_moved = moved.filtered("stage_id.kam_category")
            kam_moved._kam_instantiate_checklist()
            kam_moved._kam_log_stage_entry()
        if sync:
            # A probability written on a KAM deal is reset to its category's; one
            # written with the move out of the KAM pipeline stays, as in CRM.
            released = self.browse()
            if "probability" not in vals:
                released = ruled - self.filtered("kam_category_sets_probability")
            self._kam_sync_probability(released=released)
        return result

    # -- probability (issues 6 and 10)

    @api.model
    def _kam_sync_company_leads(self, companies):
        """Apply (or lift) the setting of ``companies`` to their deals, in one go."""
        self.sudo().search(
            [
                ("company_id", "in", companies.ids),
                "|",
                ("kam_checklist_managed", "=", True),
                ("stage_id.kam_category", "in", list(CHECKLIST_CATEGORIES)),
            ]
        )._kam_sync_probability()

    def _kam_checklist_managed_leads(self):
        """The deals whose probability their checklist sets."""
        return self.filtered(
            lambda lead: lead.active
            and lead.company_id.kam_checklist_sets_probability
            and lead.stage_id.kam_category in CHECKLIST_CATEGORIES
            and not lead.stage_id.is_won
        )

    def _kam_sync_probability(self, move=False, released=None):
        """Give the KAM deals of ``self`` the probability of their category.

        Where the company lets the checklists set the probability, the deals of the
        stages from the first meeting to 75% first get the category their ticked
        criteria earn, and that category's probability. With ``move`` (a criterion
        was ticked), a deal whose checklist earns more than its stage moves forward
        to the stage of that category. A deal whose stage is ahead of its criteria
        stays, and its probability follows the criteria (``kam_stage_ahead`` says
        so); a deal moved back by hand stays back. The other open deals of a KAM
        stage get their stage's category probability (``logic.deal_probability``):
        a probability written by hand, CRM's predictive score or its nightly update
        never stays on them.

        :param released: deals that have just left the KAM pipeline (moved out of
            it, or their stage lost its category): they get CRM's predictive score
            back, unless CRM set their probability itself (won, lost)

        Set-based: one search for the pipelines' stages, one for their mandatory
        criteria, one query for the ticked ones, and one write per distinct result.
        """
        released = released or self.browse()
        leads = (self | released).sudo().exists()
        if not leads:
            return
        Lead = leads.with_context(kam_probability_sync=True)
        managed = leads._kam_checklist_managed_leads()
        earned = managed._kam_earned_categories() if managed else {}
        to_write = defaultdict(list)
        moves = defaultdict(list)
        for lead in leads:
            values = {}
            category, probability, stages = earned.get(lead.id, (False, None, {}))
            checklist = {
                "kam_checklist_managed": lead.id in earned,
                "kam_checklist_category": category or False,
                "kam_checklist_probability": probability or 0.0,
            }
            if (
                lead.kam_checklist_managed != checklist["kam_checklist_managed"]
                or lead.kam_checklist_category != checklist["kam_checklist_category"]
                or float_compare(
                    lead.kam_checklist_probability,
                    checklist["kam_checklist_probability"],
                    2,
                )
            ):
                values.update(checklist)
            target = move and category_to_move(lead.stage_id.kam_category, category)
            if target and stages.get(target):
                moves[stages[target]].append(lead.id)
            stage = lead.stage_id
            probability = deal_probability(
                stage.kam_category,
                stage.kam_probability,
                active=lead.active,
                won=stage.is_won,
                earned=probability,
            )
            if probability is None and lead in released:
                if lead.active and not stage.is_won:
                    probability = lead.automated_probability
            if probability is not None and float_compare(
                lead.probability, probability, 2
            ):
                values["probability"] = probability
            if values:
                to_write[tuple(sorted(values.items()))].append(lead.id)
        for values, lead_ids in to_write.items():
            Lead.browse(lead_ids).write(dict(values))
        for stage_id, lead_ids in moves.items():
            # The gate passes: every criterion up to the target category is ticked.
            leads.browse(lead_ids).write({"stage_id": stage_id})

    def _kam_earned_categories(self):
        """``{lead_id: (category, probability, {category: stage_id})}``.

        The criteria of a category are the mandatory group criteria of the stages
        of that category in the deal's pipeline (its stage's team, or the shared
        stages); the stage of a category is the first one in the pipeline order.
        """
        Stage = self.env["crm.stage"].sudo()
        pipelines = set(self.stage_id.mapped(lambda stage: stage.team_id.id))
        pipeline_domain = [("team_id", "in", [tid for tid in pipelines if tid])]
        if False in pipelines:
            pipeline_domain = ["|", ("team_id", "=", False), *pipeline_domain]
        stages = Stage.search(
            [
                ("kam_category", "in", list(CHECKLIST_CATEGORIES)),
                ("is_won", "=", False),
                *pipeline_domain,
            ],
            order="sequence, id",
        )
        stage_by_category = defaultdict(dict)  # {team_id: {category: stage}}
        for stage in stages:
            stage_by_category[stage.team_id.id].setdefault(stage.kam_category, stage)
        templates = (
            self.env["kam.stage.checklist.template"]
            .sudo()
            .search(
                [
                    ("stage_id", "in", stages.ids),
                    ("kind", "=", "criterion"),
                    ("mandatory", "=", True),
                ]
            )
        )
        mandatory = defaultdict(lambda: defaultdict(list))
        for template in templates:
            stage = template.stage_id
            mandatory[stage.team_id.id][stage.kam_category].append(template.id)
        done = self._kam_done_criteria(templates) if templates else {}
        results = {}
        for lead in self:
            team_id = lead.stage_id.team_id.id
            category = earned_category(
                CHECKLIST_CATEGORIES, mandatory[team_id], done.get(lead.id, ())
            )
            by_category = stage_by_category[team_id]
            stage = by_category.get(category)
            results[lead.id] = (
                category,
                stage.kam_probability if stage else 0.0,
                {cat: stage.id for cat, stage in by_category.items()},
            )
        return results

    # -- gating

    def _kam_gate_position(self):
        """What the gate judges of a deal: its stage and its team (the type, the
        company and the archive flag never move a deal along a pipeline)."""
        self.ensure_one()
        return (self.stage_id, self.team_id)

    def _kam_check_stage_gates(self, before):
        """Refuse the changes that take deals past stages whose mandatory criteria
        are not ticked.

        :param before: ``{lead_id: (stage, team)}``, where each deal stood before
            the change (:meth:`_kam_gate_position`); ``None`` for a new deal

        Runs after the write (so criteria ticked in the same save count), for the whole
        recordset at once; raising rolls the write back.
        """
        Stage = self.env["crm.stage"].sudo()
        stages = self.stage_id
        teams = self.team_id
        for position in before.values():
            if position:
                stages |= position[0]
                teams |= position[1]
        kam_team_ids = self._kam_pipeline_team_ids(set(teams.ids))
        if not stages.filtered("kam_category") and not (
            kam_team_ids and stages.filtered("is_won")
        ):
            return
        pipeline_stages = Stage.search(
            [
                ("kam_category", "!=", False),
                ("team_id", "in", stages.team_id.ids + list(kam_team_ids) + [False]),
            ]
        )
        keys = {stage.id: stage._kam_stage_key() for stage in pipeline_stages}
        for stage in stages.sudo():
            keys.setdefault(stage.id, stage._kam_stage_key())
        pipeline_keys = [keys[stage.id] for stage in pipeline_stages]

        def position(stage, team):
            return DealPosition(
                keys[stage.id] if stage else None,
                team.id if team.id in kam_team_ids else None,
            )

        passed_by_change = {}
        passed_by_lead = {}
        for lead in self:
            old = before.get(lead.id)
            change = (
                old and position(*old),
                position(lead.stage_id, lead.team_id),
            )
            if change not in passed_by_change:
                passed_by_change[change] = gated_transition(*change, pipeline_keys)
            if passed_by_change[change]:
                passed_by_lead[lead] = passed_by_change[change]
        if not passed_by_lead:
            return

        passed_ids = {sid for ids in passed_by_lead.values() for sid in ids}
        mandatory = (
            self.env["kam.stage.checklist.template"]
            .sudo()
            .search(
                [
                    ("stage_id", "in", list(passed_ids)),
                    ("kind", "=", "criterion"),
                    ("mandatory", "=", True),
                ]
            )
        )
        if not mandatory:
            return
        mandatory_by_stage = defaultdict(list)
        for template in mandatory:
            mandatory_by_stage[template.stage_id.id].append(template.id)
        done = self._kam_done_criteria(mandatory)

        missing_by_lead = {}
        for lead, passed in passed_by_lead.items():
            missing = gate_missing(passed, mandatory_by_stage, done.get(lead.id, ()))
            if missing:
                missing_by_lead[lead] = missing
        self._kam_apply_gate_decision(missing_by_lead)
        # Overridden: the stages passed get their checklist all the same, so that
        # ticking it later can still earn the category (and its probability).
        self._kam_instantiate_lines(
            {lead: passed_by_lead[lead] for lead in missing_by_lead}
        )

    def _kam_done_criteria(self, templates):
        """``{lead_id: {template_id}}``: the ticked criteria among ``templates``."""
        self.env["kam.lead.checklist.line"].flush_model(
            ["lead_id", "template_id", "is_done"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT lead_id, template_id FROM kam_lead_checklist_line"
                " WHERE lead_id = ANY(%s) AND template_id = ANY(%s) AND is_done",
                self.ids,
                templates.ids,
            )
        )
        done = defaultdict(set)
        for lead_id, template_id in self.env.cr.fetchall():
            done[lead_id].add(template_id)
        return done

    def _kam_apply_gate_decision(self, missing_by_lead):
        if not missing_by_lead:
            return
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        context_override = bool(self.env.context.get("kam_gate_override"))
        blocked = self.browse([lead.id for lead in missing_by_lead])
        flagged = set()
        if is_manager:
            flagged = set(
                blocked.sudo().filtered(lambda lead: lead.kam_gate_override).ids
            )
        refused = blocked.filtered(
            lambda lead: not (is_manager and (context_override or lead.id in flagged))
        )
        if refused:
            lines = []
            for lead in refused[:GATE_MESSAGE_LIMIT]:
                items = self._kam_describe_missing(missing_by_lead[lead])
                lines.append(
                    self.env._(
                        "- %(lead)s (to %(stage)s): %(items)s",
                        lead=lead.display_name,
                        stage=lead.stage_id.name,
                        items=items,
                    )
                )
            if len(refused) > GATE_MESSAGE_LIMIT:
                lines.append(
                    self.env._(
                        "... and %(count)s more opportunities.",
                        count=len(refused) - GATE_MESSAGE_LIMIT,
                    )
                )
            hint = (
                self.env._(
                    "Tick them in the KAM Checklist tab, or tick “Override Stage Gate” "
                    "to move anyway."
                )
                if is_manager
                else self.env._(
                    "Tick them in the KAM Checklist tab (one stage at a time), or "
                    "ask a KAM director to override the stage gate."
                )
            )
            raise UserError(
                self.env._(
                    "These opportunities cannot move forward: mandatory criteria "
                    "of the stages they pass are not ticked.\n%(lines)s\n%(hint)s",
                    lines="\n".join(lines),
                    hint=hint,
                )
            )
        for lead in blocked:
            items = self._kam_describe_missing(missing_by_lead[lead])
            lead.message_post(
                body=self.env._(
                    "Stage gate overridden by %(user)s to move to %(stage)s. "
                    "Criteria not ticked: %(items)s",
                    user=self.env.user.name,
                    stage=lead.stage_id.name,
                    items=items,
                ),
                # Not a comment: its author cannot rewrite it afterwards.
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _kam_describe_missing(self, missing):
        templates = self.env["kam.stage.checklist.template"].browse(
            [template_id for _stage_id, template_id in missing]
        )
        return "; ".join(f"{t.stage_id.name}: “{t.name}”" for t in templates)

    def _kam_reset_gate_override(self):
        """The override flag is one-shot: clear it once a move happened."""
        if not self.env.user.has_group(MANAGER_GROUP) and not self.env.su:
            return
        flagged = self.sudo().filtered("kam_gate_override")
        if flagged:
            super(CrmLead, flagged).write({"kam_gate_override": False})

    # -- checklist

    def _kam_instantiate_checklist(self):
        """Create the checklist lines of each lead's current stage."""
        leads = self.filtered("stage_id.kam_category")
        return self._kam_instantiate_lines({lead: [lead.stage_id.id] for lead in leads})

    def _kam_instantiate_lines(self, stage_ids_by_lead):
        """Create the checklist lines of the given stages of each lead.

        Set-based (one query for the existing lines, one create for all new lines) and
        idempotent: a lead never gets the same template twice, and the lines of earlier
        stages (with their answers) are kept.

        :param stage_ids_by_lead: ``{lead: [stage_id, ...]}``
        """
        Line = self._kam_system_env()["kam.lead.checklist.line"]
        stage_ids = {sid for ids in stage_ids_by_lead.values() for sid in ids}
        if not stage_ids:
            return Line
        templates = (
            self.env["kam.stage.checklist.template"]
            .sudo()
            .search([("stage_id", "in", list(stage_ids))])
        )
        if not templates:
            return Line
        templates_by_stage = defaultdict(list)
        for template in templates:
            templates_by_stage[template.stage_id.id].append(template.id)
        lead_ids = [lead.id for lead in stage_ids_by_lead]
        Line.flush_model(["lead_id", "template_id"])
        self.env.cr.execute(
            SQL(
                "SELECT lead_id, template_id FROM kam_lead_checklist_line"
                " WHERE lead_id = ANY(%s) AND template_id = ANY(%s)",
                lead_ids,
                templates.ids,
            )
        )
        existing = set(self.env.cr.fetchall())
        vals_list = [
            {"lead_id": lead.id, "template_id": template_id}
            for lead, lead_stage_ids in stage_ids_by_lead.items()
            for stage_id in lead_stage_ids
            for template_id in templates_by_stage.get(stage_id, ())
            if (lead.id, template_id) not in existing
        ]
        return Line.create(vals_list)

    def _kam_log_stage_entry(self):
        """Record the entry of each lead into its (KAM) stage, for the ratios."""
        now = fields.Datetime.now()
        self._kam_system_env()["kam.stage.history"].create(
            [
                {
                    "lead_id": lead.id,
                    "stage_id": lead.stage_id.id,
                    "kam_category": lead.stage_id.kam_category,
                    "date": now,
                    "user_id": lead.user_id.id,
                    "team_id": lead.team_id.id,
                    "company_id": lead.company_id.id,
                }
                for lead in self
                if lead.stage_id.kam_category
            ]
        )

    # -- aging cron

    @api.model
    def _cron_kam_stale_activities(self, batch_size=500):
        """Give the owner of each too-old deal one review activity (never a second one).

        Processes ``batch_size`` deals per call and reports the progress; deals
        that already have an open review activity are skipped, so running it
        again changes nothing.
        """
        activity_type = self.env.ref(
            "kam_pipeline_stages.mail_activity_type_kam_stale", raise_if_not_found=False
        )
        if not activity_type or not try_job_lock(self.env.cr, STALE_JOB_LOCK):
            # Another worker runs the job right now: it gives the reminders.
            return self.browse()
        Lead = self.sudo()
        domain = [
            ("kam_is_too_old", "=", True),
            ("user_id", "!=", False),
            ("activity_ids", "not any", [("activity_type_id", "=", activity_type.id)]),
        ]
        leads = Lead.search(domain, limit=batch_size, order="id")
        remaining = Lead.search_count(domain) - len(leads) if leads else 0
        leads = leads._kam_lock_rows()
        if leads:
            model_id = self.env["ir.model"]._get_id("crm.lead")
            today = fields.Date.context_today(self)
            self.env["mail.activity"].sudo().create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": lead.id,
                        "activity_type_id": activity_type.id,
                        "user_id": lead.user_id.id,
                        "date_deadline": today,
                        "summary": self._kam_stale_summary(lead),
                    }
                    for lead in leads
                ]
            )
        self.env["ir.cron"]._notify_progress(done=len(leads), remaining=remaining)
        return leads

    @api.model
    def _kam_lock_rows(self):
        """The deals of ``self`` locked for this transaction, without those another
        one holds (it is handling them)."""
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_lead WHERE id = ANY(%s) ORDER BY id"
                " FOR NO KEY UPDATE SKIP LOCKED",
                self.ids,
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda lead: lead.id in locked)

    @api.model
    def _kam_stale_summary(self, lead):
        """The review activity's summary, in the language of the deal's owner."""
        lead = lead.with_context(lang=lead.user_id.lang or self.env.lang)
        return lead.env._(
            "%(days)s days in %(stage)s (max %(max)s): review the deal",
            days=lead.kam_days_in_stage,
            stage=lead.stage_id.name,
            max=lead.stage_id.kam_max_age_days,
        )

    # -- merge

    def _merge_dependences(self, opportunities):
        """The merged deals' stage entries and checklist answers move to ``self``."""
        result = super()._merge_dependences(opportunities)
        self._kam_merge_checklist(opportunities)
        return result

    def _kam_merge_checklist(self, opportunities):
        """Move the stage history and the checklist lines of ``opportunities``.

        A line for a template ``self`` already holds stays on the merged deal (it
        goes with it), but its tick and answer complete the kept line.
        """
        self.ensure_one()
        others = opportunities - self
        if not others:
            return
        self.env["kam.stage.history"].sudo().search(
            [("lead_id", "in", others.ids)]
        ).write({"lead_id": self.id})
        Line = self.env["kam.lead.checklist.line"].sudo()
        kept = {
            line.template_id.id: line
            for line in Line.search([("lead_id", "=", self.id)])
        }
        to_move = Line
        for line in Line.search([("lead_id", "in", others.ids)], order="id"):
            target = kept.get(line.template_id.id)
            if not target:
                kept[line.template_id.id] = line
                to_move |= line
                continue
            vals = {}
            if line.is_done and not target.is_done:
                vals["is_done"] = True
            if (line.answer or "").strip() and not (target.answer or "").strip():
                vals["answer"] = line.answer
            if vals:
                target.write(vals)
                target.write(
                    {"done_user_id": line.done_user_id.id, "done_date": line.done_date}
                )
        to_move.write({"lead_id": self.id})

    # -- actions

    def action_kam_open_qualification(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Qualify the Deal"),
            "res_model": "kam.qualification.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }
