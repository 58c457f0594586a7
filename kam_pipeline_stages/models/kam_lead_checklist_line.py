from odoo import api, fields, models

#: What a user may write on a line: its tick and its answer. Everything else (who
#: ticked it and when, the deal and item it belongs to, the values copied from the
#: item) is written by the system only; the system creates the lines.
LINE_USER_FIELDS = frozenset({"is_done", "answer"})


class KamLeadChecklistLine(models.Model):
    _name = "kam.lead.checklist.line"
    _inherit = ["kam.system.fields.mixin"]
    _description = "KAM Opportunity Checklist Item"
    _order = "stage_sequence, stage_id, sequence, id"
    _rec_name = "name"

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True
    )
    template_id = fields.Many2one(
        "kam.stage.checklist.template",
        string="Checklist Item",
        required=True,
        ondelete="restrict",
        index=True,
    )
    name = fields.Char(related="template_id.name")
    description = fields.Text(related="template_id.description")
    kind = fields.Selection(related="template_id.kind", store=True, precompute=True)
    mandatory = fields.Boolean(related="template_id.mandatory")
    sequence = fields.Integer(
        related="template_id.sequence", store=True, precompute=True
    )
    stage_id = fields.Many2one(
        related="template_id.stage_id", store=True, index=True, precompute=True
    )
    stage_sequence = fields.Integer(
        related="template_id.stage_id.sequence",
        string="Stage Sequence",
        store=True,
        precompute=True,
    )
    company_id = fields.Many2one(
        related="lead_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    is_done = fields.Boolean(string="Done")
    answer = fields.Text()
    is_complete = fields.Boolean(
        string="Complete",
        compute="_compute_is_complete",
        store=True,
        precompute=True,
        help="A criterion ticked, or a question answered.",
    )
    done_user_id = fields.Many2one("res.users", string="Done By", readonly=True)
    done_date = fields.Datetime(string="Done On", readonly=True)

    _sql_constraints = [
        (
            "lead_template_unique",
            "UNIQUE(lead_id, template_id)",
            "An opportunity holds each checklist item only once.",
        ),
    ]

    @api.depends("kind", "is_done", "answer")
    def _compute_is_complete(self):
        for line in self:
            if line.kind == "question":
                line.is_complete = bool((line.answer or "").strip())
            else:
                line.is_complete = line.is_done

    def _kam_system_fields(self):
        stored = {name for name, field in self._fields.items() if field.store}
        return super()._kam_system_fields() | (stored - LINE_USER_FIELDS)

    # Record rules are checked before a write: re-targeting a line would attach it to
    # a deal (or a criterion) the user has no right on; the audit fields would claim
    # someone else ticked it. kam.system.fields.mixin refuses both; the audit is
    # stamped here, by the system, after the user's own values.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        for line, vals in zip(lines, vals_list, strict=True):
            line._kam_stamp_done(vals)
        if any(line.kind == "criterion" and line.is_done for line in lines):
            lines.lead_id._kam_sync_probability(move=True)
        return lines

    def write(self, vals):
        leads = self.lead_id
        result = super().write(vals)
        self._kam_stamp_done(vals)
        if {"is_done", "template_id", "lead_id"} & set(vals):
            # Every deal concerned at once: the category its criteria earn.
            (leads | self.lead_id)._kam_sync_probability(move=True)
        return result

    def _kam_stamp_done(self, vals):
        """Who ticked or answered the lines, and when: the current user, now (the
        system alone may give other values, e.g. on a merge)."""
        if not {"is_done", "answer"} & set(vals) or (
            self.env.su and {"done_user_id", "done_date"} & set(vals)
        ):
            return
        done = vals.get("is_done") or bool((vals.get("answer") or "").strip())
        self.with_env(self._kam_system_env()).write(
            {
                "done_user_id": self.env.uid if done else False,
                "done_date": fields.Datetime.now() if done else False,
            }
        )

    def unlink(self):
        leads = self.filtered("is_done").lead_id
        result = super().unlink()
        leads._kam_sync_probability()
        return result
