from odoo.tests import HttpCase, tagged

# Waits for the view to render its records, then reports; any JS error fails the test.
CHECK_RECORDS = """
const deadline = Date.now() + 20000;
(function poll() {
    const cards = document.querySelectorAll("%(selector)s");
    if (cards.length >= %(count)s) {
        console.log("test successful");
    } else if (Date.now() > deadline) {
        console.error("no record rendered in %(selector)s");
    } else {
        setTimeout(poll, 200);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestKamUi(HttpCase):
    """The KAM screens open in a real browser, on a desktop and on a phone-sized
    screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        account = cls.env["res.partner"].create(
            {
                "name": "UI Steel",
                "is_company": True,
                "kam_manager_id": cls.env.ref("base.user_admin").id,
            }
        )
        account._kam_refresh(account.create_date.date())

    def _open(self, action, selector, count=1, **kw):
        url = f"/odoo/action-{action}"
        code = CHECK_RECORDS % {"selector": selector, "count": count}
        self.browser_js(url, code, ready="", login="admin", timeout=60, **kw)

    def test_heat_map_kanban(self):
        self._open(
            "kam_management.action_kam_heat_map",
            ".o_kanban_record:not(.o_kanban_ghost)",
        )

    def test_accounts_list(self):
        self._open("kam_management.action_kam_accounts?view_type=list", ".o_data_row")

    def test_heat_map_on_a_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._open(
            "kam_management.action_kam_heat_map",
            ".o_kanban_record:not(.o_kanban_ghost)",
        )

    def test_cockpit(self):
        self._open("kam_management.action_kam_cockpit", ".o_kam_cockpit .card", count=3)

    def test_cockpit_on_a_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._open("kam_management.action_kam_cockpit", ".o_kam_cockpit .card", count=3)
