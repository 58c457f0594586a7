from odoo.tests import Form, tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestOpportunityOwner(KamCase):
    def test_rep_hears_who_owns_the_account(self):
        account = self._account("Owned Co", self.rep2)
        contact = self.Partner.create({"name": "Buyer", "parent_id": account.id})
        lead = self.env["crm.lead"].with_user(self.rep).new({"name": "New deal"})
        lead.partner_id = contact
        warning = lead._onchange_partner_id_kam_manager()
        self.assertIn("Rep Two", warning["warning"]["message"])
        with Form(self.env["crm.lead"].with_user(self.rep)) as form:
            form.name = "New deal"
            form.partner_id = contact
            self.assertTrue(form.kam_owner_mismatch, "the form shows the banner")
        lead = form.record
        self.assertEqual(lead.user_id, self.rep, "the deal stays with its salesperson")
        self.assertEqual(lead.kam_account_id, account)
        self.assertEqual(lead.kam_account_manager_id, self.rep2)
        lead.sudo().user_id = self.rep2
        # The deal is rep2's now: a rep who sees only their own deals cannot read it.
        self.assertFalse(lead.with_user(self.rep2).kam_owner_mismatch)

    def test_unowned_account_keeps_the_salesperson(self):
        account = self._account("Free Co")
        with Form(self.env["crm.lead"].with_user(self.rep)) as form:
            form.name = "New deal"
            form.partner_id = account
            self.assertEqual(form.user_id, self.rep)
            self.assertFalse(form.kam_owner_mismatch)
        self.assertFalse(form.record._onchange_partner_id_kam_manager())
