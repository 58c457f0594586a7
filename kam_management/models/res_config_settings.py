from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_revenue_source = fields.Selection(
        related="company_id.kam_revenue_source", readonly=False
    )
    kam_benchmark_method = fields.Selection(
        related="company_id.kam_benchmark_method", readonly=False
    )
    kam_benchmark_top_n = fields.Integer(
        related="company_id.kam_benchmark_top_n", readonly=False
    )
    kam_tier_b_ratio = fields.Float(
        related="company_id.kam_tier_b_ratio", readonly=False
    )
    kam_tier_c_ratio = fields.Float(
        related="company_id.kam_tier_c_ratio", readonly=False
    )
    kam_tier_a_from = fields.Float(related="company_id.kam_tier_a_from", readonly=False)
    kam_tier_b_from = fields.Float(related="company_id.kam_tier_b_from", readonly=False)
    kam_cadence_a = fields.Integer(related="company_id.kam_cadence_a", readonly=False)
    kam_cadence_b = fields.Integer(related="company_id.kam_cadence_b", readonly=False)
    kam_cadence_c = fields.Integer(related="company_id.kam_cadence_c", readonly=False)
    kam_cadence_d = fields.Integer(related="company_id.kam_cadence_d", readonly=False)
    kam_activity_type_a_id = fields.Many2one(
        related="company_id.kam_activity_type_a_id",
        string="Tier A Reminder",
        readonly=False,
    )
    kam_activity_type_b_id = fields.Many2one(
        related="company_id.kam_activity_type_b_id",
        string="Tier B Reminder",
        readonly=False,
    )
    kam_activity_type_c_id = fields.Many2one(
        related="company_id.kam_activity_type_c_id",
        string="Tier C Reminder",
        readonly=False,
    )
    kam_activity_type_d_id = fields.Many2one(
        related="company_id.kam_activity_type_d_id",
        string="Tier D Reminder",
        readonly=False,
    )
    kam_temperature_hot = fields.Float(
        related="company_id.kam_temperature_hot", readonly=False
    )
    kam_temperature_warm = fields.Float(
        related="company_id.kam_temperature_warm", readonly=False
    )
    kam_temperature_mild = fields.Float(
        related="company_id.kam_temperature_mild", readonly=False
    )
    kam_temperature_cool = fields.Float(
        related="company_id.kam_temperature_cool", readonly=False
    )
    kam_attractiveness_threshold = fields.Float(
        related="company_id.kam_attractiveness_threshold", readonly=False
    )
    kam_relationship_threshold = fields.Float(
        related="company_id.kam_relationship_threshold", readonly=False
    )
    kam_decline_threshold = fields.Float(
        related="company_id.kam_decline_threshold", readonly=False
    )
    kam_ltv_years = fields.Float(related="company_id.kam_ltv_years", readonly=False)
    kam_lookalike_min_match = fields.Integer(
        related="company_id.kam_lookalike_min_match", readonly=False
    )
    kam_activity_minutes = fields.Integer(
        related="company_id.kam_activity_minutes", readonly=False
    )
    kam_silence_days = fields.Integer(
        related="company_id.kam_silence_days", readonly=False
    )
    kam_nearby_km = fields.Float(related="company_id.kam_nearby_km", readonly=False)
    company_currency_id = fields.Many2one(
        "res.currency",
        related="company_id.currency_id",
        string="Company Currency",
        readonly=True,
    )
    kam_benchmark_revenue = fields.Monetary(
        related="company_id.kam_benchmark_revenue", currency_field="company_currency_id"
    )
