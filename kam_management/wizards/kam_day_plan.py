from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..logic import territory

LEVELS = [
    (territory.LEVEL_DISTANCE, "Within the radius"),
    (territory.LEVEL_CITY, "Same city"),
    (territory.LEVEL_STATE, "Same region"),
]


class KamDayPlan(models.TransientModel):
    """A rep's day (docs/METHOD.md#territory): their meetings with accounts, and
    around each the other accounts worth visiting on the same trip, one tap from a
    planned visit. Built by the system for the user who opens it; only the day is
    theirs to change."""

    _name = "kam.day.plan"
    _inherit = ["kam.system.fields.mixin"]
    _description = "Key Account Day Plan"

    date = fields.Date(
        "Day", required=True, default=lambda self: fields.Date.context_today(self)
    )
    event_id = fields.Many2one(
        "calendar.event", "Meeting", readonly=True, ondelete="cascade"
    )
    activity_id = fields.Many2one(
        "mail.activity", "Meeting Activity", readonly=True, ondelete="cascade"
    )
    line_ids = fields.One2many(
        "kam.day.plan.line", "plan_id", "Meetings and Stops", readonly=True
    )
    meeting_count = fields.Integer("Meetings", readonly=True)
    suggestion_count = fields.Integer("Stops Worth a Visit", readonly=True)
    summary = fields.Char(compute="_compute_summary")

    @api.depends("date", "event_id", "activity_id")
    def _compute_display_name(self):
        for plan in self:
            day = format_date(self.env, plan.date) if plan.date else ""
            if plan.event_id or plan.activity_id:
                meeting = plan.event_id.name or plan.activity_id.display_name
                plan.display_name = self.env._(
                    "Worth visiting nearby: %(meeting)s", meeting=meeting
                )
            else:
                plan.display_name = self.env._("My day: %(day)s", day=day)

    @api.depends("meeting_count", "suggestion_count")
    def _compute_summary(self):
        for plan in self:
            meetings, stops = plan.meeting_count, plan.suggestion_count
            plan.summary = self.env._(
                "Meetings with accounts: %(meetings)s · stops worth a visit: %(stops)s",
                meetings=meetings,
                stops=stops,
            )

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        plans._kam_build()
        return plans

    def write(self, vals):
        res = super().write(vals)
        if "date" in vals:
            self._kam_build()
        return res

    def _kam_build(self):
        """(Re)build the lines: each meeting, then the stops worth a visit near it
        (an account once a day, where it is first suggested). A visit planned from
        here is a meeting of the day the next time."""
        Territory = self.env["kam.territory"]
        for plan in self:
            event = plan.event_id if plan.event_id else None
            activity = plan.activity_id if plan.activity_id else None
            meetings = Territory._kam_meetings(
                plan.date, event=event, activity=activity
            )
            met = {meeting["account"].id for meeting in meetings}
            seen = set(met)
            lines = []
            for meeting in meetings:
                account = meeting["account"]
                lines.append(
                    {
                        "kind": "meeting",
                        "sequence": len(lines),
                        "name": meeting["name"],
                        "start": meeting["start"],
                        "account_id": account.id,
                        "near_account_id": account.id,
                        "event_id": meeting["event"].id,
                        "activity_id": meeting["activity"].id,
                    }
                )
                for row in Territory._kam_nearby(account, plan.date):
                    if row["id"] in seen:
                        continue
                    seen.add(row["id"])
                    lines.append(
                        {
                            "kind": "stop",
                            "sequence": len(lines),
                            "name": row["name"],
                            "account_id": row["id"],
                            "near_account_id": account.id,
                            "event_id": meeting["event"].id,
                            "activity_id": meeting["activity"].id,
                            "level": row["level"],
                            "distance_km": row["distance_km"] or 0.0,
                            "reason": row["reasons"],
                        }
                    )
            system = plan._kam_system_env()
            system["kam.day.plan"].browse(plan.id).write(
                {
                    "line_ids": [(5, 0, 0)] + [(0, 0, line) for line in lines],
                    "meeting_count": len(meetings),
                    "suggestion_count": len(lines) - len(meetings),
                }
            )

    def action_kam_refresh(self):
        self._kam_build()
        return True

    @api.model
    def action_kam_open(self, day=None, event=None, activity=None):
        """The day plan of the user, opened on a phone-friendly form."""
        values = {"date": day or fields.Date.context_today(self)}
        plan = self.create(values)
        if event or activity:
            # The meeting the plan is about, if the user may read it.
            for meeting in (event, activity):
                if meeting:
                    meeting.check_access("read")
            plan._kam_system_env()["kam.day.plan"].browse(plan.id).write(
                {
                    "event_id": event.id if event else False,
                    "activity_id": activity.id if activity else False,
                }
            )
            plan._kam_build()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Worth visiting nearby")
            if (event or activity)
            else self.env._("My day"),
            "res_model": "kam.day.plan",
            "res_id": plan.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("kam_management.kam_day_plan_view_form").id, "form")
            ],
            "target": "current",
        }


class KamDayPlanLine(models.TransientModel):
    _name = "kam.day.plan.line"
    _inherit = ["kam.system.fields.mixin"]
    _description = "Key Account Day Plan Line"
    _order = "sequence, id"

    plan_id = fields.Many2one(
        "kam.day.plan", required=True, readonly=True, ondelete="cascade"
    )
    sequence = fields.Integer(readonly=True)
    kind = fields.Selection(
        [("meeting", "Meeting"), ("stop", "Worth a visit")], readonly=True
    )
    name = fields.Char("Title", readonly=True)
    start = fields.Datetime("Starts At", readonly=True)
    account_id = fields.Many2one("res.partner", "Account", readonly=True)
    near_account_id = fields.Many2one("res.partner", "Near", readonly=True)
    event_id = fields.Many2one("calendar.event", "Meeting", readonly=True)
    activity_id = fields.Many2one("mail.activity", "Meeting Activity", readonly=True)
    level = fields.Selection(LEVELS, "How Near", readonly=True)
    distance_km = fields.Float("Distance (km)", digits=(16, 1), readonly=True)
    reason = fields.Char("Why Visit", readonly=True)
    planned = fields.Boolean("Visit Planned", readonly=True)
    city = fields.Char(related="account_id.city", string="City")
    time_label = fields.Char("Time", compute="_compute_time_label")

    @api.depends("start", "activity_id", "event_id")
    def _compute_time_label(self):
        for line in self:
            if line.kind == "meeting" and line.event_id and line.start:
                local = fields.Datetime.context_timestamp(line, line.start)
                line.time_label = local.strftime("%H:%M")
            elif line.kind == "meeting":
                line.time_label = self.env._("Any time")
            else:
                line.time_label = ""

    def action_kam_plan_visit(self):
        """Plan a visit to the stop on the plan's day: a meeting activity for the
        user, unless one is there already."""
        self.ensure_one()
        if self.kind != "stop":
            raise UserError(self.env._("Only a suggested stop can be planned."))
        account = self.account_id
        allowed = account.filtered_domain(
            self.env["res.partner"]._kam_account_domain(self.env.company)
        )
        if not allowed:
            raise UserError(
                self.env._(
                    "%(account)s is not an account of %(company)s.",
                    account=account.display_name,
                    company=self.env.company.name,
                )
            )
        self.env["kam.territory"]._kam_plan_visit(
            account, self.plan_id.date, near=self.near_account_id
        )
        self._kam_system_env()[self._name].browse(self.id).write({"planned": True})
        return True

    def action_kam_open_account(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.account_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
