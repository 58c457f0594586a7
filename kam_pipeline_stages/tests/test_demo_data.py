from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "kam")
class TestDemoData(TransactionCase):
    def test_the_administrator_pipeline_shows_no_kam_column(self):
        """crm's guided tour drags the administrator's cards across "My Pipeline"
        (Sales team): a demo deal of the administrator in a KAM stage would add the
        KAM columns there, and the tour's drop would meet the stage gate."""
        if not self.env.ref(
            "kam_pipeline_stages.kam_demo_pipeline_lead_volga", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")
        admin = self.env.ref("base.user_admin")
        self.assertFalse(
            self.env["crm.lead"].search_count(
                [
                    ("user_id", "=", admin.id),
                    ("stage_id.kam_category", "!=", False),
                ]
            )
        )
