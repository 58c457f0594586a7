from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

KAM_CALL = "kam_management.mail_activity_type_kam_call"
KAM_EMAIL = "kam_management.mail_activity_type_kam_email"
KAM_VISIT = "kam_management.mail_activity_type_kam_visit"


@tagged("post_install", "-at_install")
class TestActivityType(TransactionCase):
    def test_key_account_types(self):
        """The contact reminders and the logged contacts have activity types of their
        own, named for the key accounts, on the accounts (partners)."""
        for xmlid, name, icon in (
            (KAM_CALL, "Key account call", "fa-phone"),
            (KAM_EMAIL, "Key account e-mail", "fa-envelope"),
            (KAM_VISIT, "Key account visit", "fa-car"),
        ):
            kind = self.env.ref(xmlid)
            self.assertEqual(kind.name, name)
            self.assertEqual(kind.res_model, "res.partner")
            self.assertEqual(kind.icon, icon)
            self.assertTrue(kind.active)
        self.assertEqual(self.env.ref(KAM_CALL).category, "phonecall")
        self.assertEqual(self.env.ref(KAM_CALL).decoration_type, "warning")

    def test_tier_reminders_default_to_the_key_account_types(self):
        call, email = self.env.ref(KAM_CALL), self.env.ref(KAM_EMAIL)
        new = self.env["res.company"].create({"name": "New Co"})
        # The company of the install too (its columns existed before the types).
        for company in (new, self.env.ref("base.main_company")):
            self.assertEqual(company.kam_activity_type_a_id, call)
            self.assertEqual(company.kam_activity_type_b_id, call)
            self.assertEqual(company.kam_activity_type_c_id, call)
            self.assertEqual(company.kam_activity_type_d_id, email)

    def test_upgrade_replaces_the_former_defaults_only(self):
        old_call = self.env.ref("mail.mail_activity_data_call")
        old_email = self.env.ref("mail.mail_activity_data_email")
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        Company = self.env["res.company"]
        old = Company.create({"name": "Old defaults"})
        chosen = Company.create({"name": "Own choices"})
        # Written in SQL, as the columns were before the upgrade: no refresh queued.
        self.env.flush_all()
        for company, values in (
            (old, (old_call, old_call, old_call, old_email)),
            (chosen, (meeting, old_email, None, old_call)),
        ):
            self.env.cr.execute(
                "UPDATE res_company SET kam_activity_type_a_id = %s, "
                "kam_activity_type_b_id = %s, kam_activity_type_c_id = %s, "
                "kam_activity_type_d_id = %s WHERE id = %s",
                (*(v.id if v else None for v in values), company.id),
            )
        Company.invalidate_model()
        path = file_path("kam_management/migrations/18.0.1.2.0/post-migrate.py")
        script = load_script(path, "kam_management_post_migrate_18_0_1_2_0")
        script.migrate(self.env.cr, "18.0.1.1.0")
        call, email = self.env.ref(KAM_CALL), self.env.ref(KAM_EMAIL)
        self.assertEqual(
            (
                old.kam_activity_type_a_id,
                old.kam_activity_type_b_id,
                old.kam_activity_type_c_id,
                old.kam_activity_type_d_id,
            ),
            (call, call, call, email),
        )
        # An explicit choice is kept: another type, none, or a generic type where the
        # former default was the other one.
        self.assertEqual(chosen.kam_activity_type_a_id, meeting)
        self.assertEqual(chosen.kam_activity_type_b_id, old_email)
        self.assertFalse(chosen.kam_activity_type_c_id)
        self.assertEqual(chosen.kam_activity_type_d_id, old_call)
        # A fresh install does nothing on a new database (no version).
        script.migrate(self.env.cr, None)
