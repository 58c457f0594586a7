from odoo.addons.kam_management.tests.common import KamCase


class KamPipelineCase(KamCase):
    """The KAM pipeline (team, its six stages) and two generic stages, on
    kam_management's test base (its users and clean slate)."""

    kam_context = {"tracking_disable": True}
    kam_users = {
        "rep": ("kam_pipe_rep", "Rita Rep", KamCase.kam_users["rep"][2]),
        "rep2": ("kam_pipe_rep2", "Oscar Other", KamCase.kam_users["rep2"][2]),
        "director": (
            "kam_pipe_director",
            "Dora Director",
            KamCase.kam_users["director"][2],
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.team = ref("kam_pipeline_stages.crm_team_key_accounts")
        cls.stage_fm = ref("kam_pipeline_stages.crm_stage_kam_first_meeting")
        cls.stage_held = ref("kam_pipeline_stages.crm_stage_kam_meeting_held")
        cls.stage_fifty = ref("kam_pipeline_stages.crm_stage_kam_fifty")
        cls.stage_75 = ref("kam_pipeline_stages.crm_stage_kam_seventy_five")
        cls.stage_won = ref("kam_pipeline_stages.crm_stage_kam_won")
        cls.stage_park = ref("kam_pipeline_stages.crm_stage_kam_no_next_step")
        cls.stage_generic = cls.env["crm.stage"].create(
            {"name": "Generic New", "sequence": 0}
        )
        cls.stage_generic_2 = cls.env["crm.stage"].create(
            {"name": "Generic Qualified", "sequence": 1}
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Acme Steel", "is_company": True}
        )

    @classmethod
    def _lead(cls, name="Acme training deal", stage=None, user=None, **vals):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": cls.partner.id,
                "team_id": cls.team.id,
                "user_id": (user or cls.rep).id,
                "stage_id": (stage or cls.stage_fm).id,
                **vals,
            }
        )

    @staticmethod
    def _criteria(lead, stage):
        return lead.kam_checklist_line_ids.filtered(
            lambda line: line.stage_id == stage and line.kind == "criterion"
        )

    def _tick(self, lead, stage, user=None):
        lines = self._criteria(lead, stage)
        if user:
            lines = lines.with_user(user)
        lines.write({"is_done": True})
        return lines
