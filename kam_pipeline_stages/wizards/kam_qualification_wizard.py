from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic import estimate_qualification
from ..models.crm_lead import (
    QUALIFICATION_DEAL_SIZES,
    QUALIFICATION_LEVELS,
    QUALIFICATION_TIMES,
    QUALIFICATION_VERDICTS,
)


class KamQualificationWizard(models.TransientModel):
    _name = "kam.qualification.wizard"
    _description = "KAM Qualification after the First Meeting"
    _inherit = ["kam.system.fields.mixin"]

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade"
    )
    deal_size = fields.Selection(
        QUALIFICATION_DEAL_SIZES,
        string="How large is this deal compared with your usual deals?",
        required=True,
        default="typical",
    )
    time_to_close = fields.Selection(
        QUALIFICATION_TIMES,
        string="How long until it closes and pays?",
        required=True,
        default="medium",
    )
    resources = fields.Selection(
        QUALIFICATION_LEVELS,
        string="What resources (time, missed chances, costs) will it take?",
        required=True,
        default="medium",
    )
    contact_probability = fields.Selection(
        QUALIFICATION_LEVELS,
        string="How likely is closing with your existing contacts?",
        required=True,
        default="medium",
    )
    sales_reps = fields.Integer(
        string="How many sales reps does the customer have?", default=10
    )
    meetings_min = fields.Integer(
        string="Expected Meetings (min)", compute="_compute_estimate"
    )
    meetings_max = fields.Integer(
        string="Expected Meetings (max)", compute="_compute_estimate"
    )
    cycle_weeks_min = fields.Integer(
        string="Cycle Weeks (min)", compute="_compute_estimate"
    )
    cycle_weeks_max = fields.Integer(
        string="Cycle Weeks (max)", compute="_compute_estimate"
    )
    pilot = fields.Boolean(string="Pilot Expected", compute="_compute_estimate")
    pilot_visits = fields.Char(compute="_compute_estimate")
    verdict = fields.Selection(QUALIFICATION_VERDICTS, compute="_compute_estimate")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        lead = self.env["crm.lead"].browse(values.get("lead_id"))
        if lead.exists() and lead.kam_qual_date:
            values.update(
                deal_size=lead.kam_qual_deal_size or values.get("deal_size"),
                time_to_close=lead.kam_qual_time_to_close
                or values.get("time_to_close"),
                resources=lead.kam_qual_resources or values.get("resources"),
                contact_probability=lead.kam_qual_contact_probability
                or values.get("contact_probability"),
                sales_reps=lead.kam_qual_sales_reps,
            )
        return values

    @api.constrains("sales_reps")
    def _check_sales_reps(self):
        for wizard in self:
            if wizard.sales_reps < 0:
                raise ValidationError(
                    self.env._("The number of sales reps cannot be negative.")
                )

    def _estimate(self):
        self.ensure_one()
        if self.sales_reps < 0 or not (
            self.deal_size
            and self.time_to_close
            and self.resources
            and self.contact_probability
        ):
            return None
        return estimate_qualification(
            self.sales_reps,
            self.deal_size,
            self.time_to_close,
            self.resources,
            self.contact_probability,
        )

    @api.depends(
        "sales_reps", "deal_size", "time_to_close", "resources", "contact_probability"
    )
    def _compute_estimate(self):
        for wizard in self:
            estimate = wizard._estimate()
            if estimate is None:
                wizard.update(
                    {
                        "meetings_min": 0,
                        "meetings_max": 0,
                        "cycle_weeks_min": 0,
                        "cycle_weeks_max": 0,
                        "pilot": False,
                        "pilot_visits": False,
                        "verdict": False,
                    }
                )
                continue
            wizard.update(
                {
                    "meetings_min": estimate.meetings_min,
                    "meetings_max": estimate.meetings_max,
                    "cycle_weeks_min": estimate.cycle_weeks_min,
                    "cycle_weeks_max": estimate.cycle_weeks_max,
                    "pilot": estimate.has_pilot,
                    "pilot_visits": estimate.has_pilot
                    and self.env._(
                        "%(vmin)s-%(vmax)s visits over %(wmin)s-%(wmax)s weeks",
                        vmin=estimate.pilot_visits_min,
                        vmax=estimate.pilot_visits_max,
                        wmin=estimate.pilot_weeks_min,
                        wmax=estimate.pilot_weeks_max,
                    ),
                    "verdict": estimate.verdict,
                }
            )

    def action_apply(self):
        """Store the answers and the proposed effort on the opportunity."""
        self.ensure_one()
        estimate = self._estimate()
        if estimate is None:
            raise ValidationError(
                self.env._(
                    "Answer the four questions and give a number of sales reps of 0 or "
                    "more."
                )
            )
        lead = self.lead_id
        # The qualification is a figure only this wizard derives: the user must be
        # allowed to edit the deal, the values are written by the system.
        lead.check_access("write")
        lead.sudo().write(
            {
                "kam_qual_deal_size": self.deal_size,
                "kam_qual_time_to_close": self.time_to_close,
                "kam_qual_resources": self.resources,
                "kam_qual_contact_probability": self.contact_probability,
                "kam_qual_sales_reps": self.sales_reps,
                "kam_qual_meetings_min": estimate.meetings_min,
                "kam_qual_meetings_max": estimate.meetings_max,
                "kam_qual_cycle_weeks_min": estimate.cycle_weeks_min,
                "kam_qual_cycle_weeks_max": estimate.cycle_weeks_max,
                "kam_qual_pilot": estimate.has_pilot,
                "kam_qual_verdict": estimate.verdict,
                "kam_qual_date": fields.Datetime.now(),
            }
        )
        verdicts = dict(self._fields["verdict"]._description_selection(self.env))
        lead.message_post(
            body=self.env._(
                "Qualified: %(reps)s sales reps at the customer; expect "
                "%(mmin)s-%(mmax)s meetings over %(wmin)s-%(wmax)s weeks. Verdict: "
                "%(verdict)s.",
                reps=self.sales_reps,
                mmin=estimate.meetings_min,
                mmax=estimate.meetings_max,
                wmin=estimate.cycle_weeks_min,
                wmax=estimate.cycle_weeks_max,
                verdict=verdicts.get(estimate.verdict, estimate.verdict),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
