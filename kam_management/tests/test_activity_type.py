from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestActivityType(TransactionCase):
    def test_key_account_contact_type(self):
        """The contact reminders have an activity type of their own, named for the key
        accounts, on the accounts (partners)."""
        kind = self.env.ref("kam_management.mail_activity_type_kam_contact")
        self.assertEqual(kind.name, "Key account contact")
        self.assertEqual(kind.category, "default")
        self.assertEqual(kind.res_model, "res.partner")
        self.assertEqual(kind.decoration_type, "warning")
        self.assertTrue(kind.icon.startswith("fa-"))
        self.assertTrue(kind.active)
