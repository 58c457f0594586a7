from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import logic

# Changing one of these on a line moves its open activity along.
ACTIVITY_FIELDS = {
    "name": "summary",
    "description": "note",
    "user_id": "user_id",
    "date_deadline": "date_deadline",
    "activity_type_id": "activity_type_id",
}


class KamAccountPlanAction(models.Model):
    _name = "kam.account.plan.action"
    _inherit = ["kam.account.plan.line.mixin"]
    _description = "Account Plan Action"
    _order = "plan_id, date_deadline, sequence, id"

    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, string="Key Account"
    )
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    sequence = fields.Integer(default=10)
    name = fields.Char("Action", required=True)
    description = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        required=True,
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    date_deadline = fields.Date(
        "Due Date", required=True, default=fields.Date.context_today
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        "Activity Type",
        default=lambda self: self.env.ref(
            "kam_account_plan.mail_activity_type_plan_action", raise_if_not_found=False
        ),
        domain="[('res_model', 'in', (False, 'kam.account.plan'))]",
    )
    activity_id = fields.Many2one(
        "mail.activity",
        "Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
    )
    date_done = fields.Date("Done On", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", "Done By", readonly=True, copy=False)
    is_cancelled = fields.Boolean("Cancelled", readonly=True, copy=False)
    cancelled_by_close = fields.Boolean(
        "Cancelled by Plan Closing",
        readonly=True,
        copy=False,
        help="Cancelled because its plan was closed: reopened when the plan is reset "
        "to draft.",
    )
    status = fields.Selection(
        [
            ("to_schedule", "To Schedule"),
            ("planned", "Planned"),
            ("today", "Today"),
            ("overdue", "Overdue"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_status",
    )

    @api.depends(
        "date_done",
        "is_cancelled",
        "activity_id",
        "activity_id.date_deadline",
        "activity_id.active",
    )
    def _compute_status(self):
        today = fields.Date.context_today(self)
        for line in self:
            activity = line.activity_id.sudo().with_context(active_test=False)
            line.status = logic.action_status(
                done=bool(line.date_done),
                cancelled=line.is_cancelled,
                deadline=activity.date_deadline
                if activity and activity.active
                else None,
                today=today,
            )

    @api.constrains("date_deadline", "plan_id")
    def _check_deadline(self):
        for line in self:
            if (
                line.date_deadline
                and line.plan_id.date_start
                and line.date_deadline < line.plan_id.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The action %(action)s is due (%(deadline)s) before the plan "
                        "starts (%(start)s).",
                        action=line.name,
                        deadline=line.date_deadline,
                        start=line.plan_id.date_start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._sync_activities()
        return lines

    def write(self, vals):
        res = super().write(vals)
        changed = ACTIVITY_FIELDS.keys() & vals.keys()
        if changed:
            self._sync_activities(changed)
        return res

    def unlink(self):
        self.activity_id.filtered("active").sudo().unlink()
        return super().unlink()

    def _sync_activities(self, changed_fields=()):
        """Turn open lines of active plans into activities for their owners.

        Idempotent: a line gets one activity on its plan. ``changed_fields`` (line
        fields just written) are carried over to the line's open activity. Lines of
        closed plans lose their open activity and are cancelled.
        """
        closing = self.filtered(
            lambda line: line.plan_id.state == "closed" and not line.date_done
        )
        if closing:
            closing.activity_id.filtered("active").sudo().unlink()
            closing.filtered(lambda line: not line.is_cancelled).sudo().write(
                {"is_cancelled": True, "cancelled_by_close": True}
            )
        to_sync = self.filtered(
            lambda line: line.plan_id.state in ("active", "review")
            and not line.date_done
            and not line.is_cancelled
        )
        create_lines = self.browse()
        create_vals_list = []
        model_id = None
        for line in to_sync:
            activity = line.activity_id
            values = {
                "summary": line.name,
                "note": line.description or False,
                "user_id": line.user_id.id,
                "date_deadline": line.date_deadline,
            }
            if line.activity_type_id:
                values["activity_type_id"] = line.activity_type_id.id
            if activity and activity.active:
                updates = {
                    ACTIVITY_FIELDS[name]: values[ACTIVITY_FIELDS[name]]
                    for name in changed_fields
                    if ACTIVITY_FIELDS[name] in values
                }
                if updates:
                    activity.sudo().write(updates)
                continue
            if self.env.context.get("mail_activity_automation_skip"):
                continue
            if model_id is None:
                model_id = self.env["ir.model"]._get_id("kam.account.plan")
            activity_type = line.activity_type_id
            create_vals_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "summary": values["summary"] or activity_type.summary,
                    "automated": True,
                    "note": values["note"] or activity_type.default_note,
                    "date_deadline": values["date_deadline"],
                    "res_model_id": model_id,
                    "res_id": line.plan_id.id,
                    "user_id": values["user_id"]
                    or activity_type.default_user_id.id
                    or self.env.uid,
                }
            )
            create_lines |= line
        # One create for all the new activities (activity_schedule() per line would
        # create them one by one).
        if create_vals_list:
            # mail.activity.create() subscribes each owner to the plans of their new
            # activities in one insert, once per activity: two new activities of one
            # owner on one plan would subscribe them twice. Subscribe them first.
            plan_ids_by_user = defaultdict(set)
            for vals in create_vals_list:
                plan_ids_by_user[vals["user_id"]].add(vals["res_id"])
            plan_model = self.env["kam.account.plan"].sudo()
            for user_id, plan_ids in plan_ids_by_user.items():
                partner = self.env["res.users"].sudo().browse(user_id).partner_id
                plan_model.browse(sorted(plan_ids)).message_subscribe(
                    partner_ids=partner.ids
                )
            activities = self.env["mail.activity"].create(create_vals_list)
            for line, activity in zip(create_lines, activities, strict=True):
                line.sudo().activity_id = activity

    def action_cancel(self):
        self.check_access("write")
        self.activity_id.filtered("active").sudo().unlink()
        self.sudo().write({"is_cancelled": True, "cancelled_by_close": False})
        return True

    def action_reopen(self):
        self.check_access("write")
        self.sudo().write(
            {
                "is_cancelled": False,
                "cancelled_by_close": False,
                "date_done": False,
                "done_by_id": False,
                "activity_id": False,
            }
        )
        self._sync_activities()
        return True

    def action_done(self):
        """Mark done, through the activity when there is one (the chatter keeps it)."""
        with_activity = self.filtered(lambda line: line.activity_id.active)
        with_activity.activity_id.action_feedback()
        without_activity = self - with_activity
        without_activity.check_access("write")
        without_activity._record_done()
        return True

    def _record_done(self):
        """Done today by the current user. The caller checked the user's right."""
        self.sudo().write(
            {"date_done": fields.Date.context_today(self), "done_by_id": self.env.uid}
        )
