from lxml import etree

from odoo.tests import tagged

from .common import KamCase

# Tier, temperature and quadrant are computed: a kanban grouped by them must not
# offer to create, quick-create, add, edit or delete a column, nor to drag a card.
FROZEN_COLUMNS = {
    "quick_create": "0",
    "group_create": "0",
    "group_edit": "0",
    "group_delete": "0",
    "records_draggable": "0",
}


@tagged("post_install", "-at_install")
class TestPartnerViews(KamCase):
    def _arch(self, xmlid, view_type):
        view = self.env.ref(xmlid)
        arch = self.Partner.with_user(self.rep).get_view(view.id, view_type)["arch"]
        return etree.fromstring(arch)

    def test_accounts_kanban_has_frozen_columns(self):
        kanban = self._arch("kam_management.view_partner_kam_kanban", "kanban")
        for attribute, value in FROZEN_COLUMNS.items():
            self.assertEqual(kanban.get(attribute), value, attribute)

    def test_heat_map_offers_no_new_card(self):
        action = self.env.ref("kam_management.action_kam_heat_map")
        kanban_view = action.view_ids.filtered(lambda v: v.view_mode == "kanban")
        self.assertEqual(
            kanban_view.view_id,
            self.env.ref("kam_management.view_partner_kam_heat_map_kanban"),
        )
        kanban = self._arch("kam_management.view_partner_kam_heat_map_kanban", "kanban")
        self.assertEqual(kanban.get("create"), "0")
        for attribute, value in FROZEN_COLUMNS.items():
            self.assertEqual(kanban.get(attribute), value, attribute)

    def test_card_has_the_log_button(self):
        action = self.env.ref("kam_management.action_kam_contact_log")
        for xmlid in (
            "kam_management.view_partner_kam_kanban",
            "kam_management.view_partner_kam_heat_map_kanban",
        ):
            kanban = self._arch(xmlid, "kanban")
            buttons = kanban.xpath(
                f"//t[@t-name='card']//button[@type='action'][@name='{action.id}']"
            )
            self.assertEqual(len(buttons), 1, xmlid)

    def test_form_buttons_stand_above_the_ratings(self):
        form = self._arch("base.view_partner_form", "form")
        page = form.xpath("//page[@name='kam']")[0]
        action = self.env.ref("kam_management.action_kam_contact_log")
        self.assertTrue(page.xpath(f".//button[@type='action'][@name='{action.id}']"))
        row = page.xpath(".//button[@name='action_kam_refresh']/..")[0]
        self.assertIn("flex-wrap", row.get("class"))
        self.assertFalse(row.xpath("ancestor::group"), "not squeezed into a group")
        self.assertEqual(
            row.xpath("following-sibling::field[1]/@name"), ["kam_score_ids"]
        )
        self.assertEqual(
            [b.get("name") for b in row.xpath("./button")],
            ["action_kam_load_criteria", "action_kam_refresh"],
        )
