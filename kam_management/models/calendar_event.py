from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def action_kam_nearby(self):
        """The accounts worth visiting near this meeting, on its day (the user's)."""
        self.ensure_one()
        self.check_access("read")
        day = fields.Date.context_today(self, self.start) if self.start else None
        if self.allday and self.start_date:
            day = self.start_date
        return self.env["kam.day.plan"].action_kam_open(day=day, event=self)
