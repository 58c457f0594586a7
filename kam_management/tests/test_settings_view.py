from lxml import etree

from odoo.tests import HttpCase, TransactionCase, tagged

KAM_SETTINGS = ("kam_tiering", "kam_cadence", "kam_temperature", "kam_quadrant")

# Opens the CRM settings, then checks the key account block in the browser: every
# input has a visible label, a dropdown shows its whole choice, nothing is wider
# than the screen. Any problem is reported as an error (the test fails).
CHECK_SETTINGS = """
const ids = %(ids)s;
const deadline = Date.now() + 30000;
function problems() {
    const found = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) {
        found.push(`the page is wider than the ${width}px screen`);
    }
    const canvas = document.createElement("canvas").getContext("2d");
    for (const id of ids) {
        const setting = document.getElementById(id);
        const box = setting.getBoundingClientRect();
        if (box.right > width + 1 || setting.scrollWidth > setting.clientWidth + 1) {
            found.push(`setting ${id} is wider than the screen`);
        }
        for (const input of setting.querySelectorAll("input, select")) {
            const selector = `label[for="${input.id}"]`;
            const label = input.id && document.querySelector(selector);
            if (!label || !label.textContent.trim() || !label.offsetParent) {
                found.push(`${input.id || input.outerHTML} has no visible label`);
            }
            if (input.tagName === "SELECT" && input.selectedIndex >= 0) {
                const style = getComputedStyle(input);
                canvas.font = style.font;
                const text = input.options[input.selectedIndex].text;
                const room = input.clientWidth
                    - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                if (canvas.measureText(text).width > room + 1) {
                    found.push(`${input.id} cuts "${text}" short`);
                }
            }
        }
    }
    return found;
}
(function poll() {
    if (ids.every((id) => document.getElementById(id))) {
        const found = problems();
        if (found.length) {
            console.error("the key account settings: " + found.join("; "));
        } else {
            console.log("test successful");
        }
    } else if (Date.now() > deadline) {
        console.error("the key account settings did not render");
    } else {
        setTimeout(poll, 200);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestSettingsView(TransactionCase):
    def test_every_setting_has_a_label(self):
        """Every field of the key account block, the tier reminders included, has a
        label of its own."""
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        block = etree.fromstring(arch).xpath("//block[@name='kam_settings']")[0]
        names = [field.get("name") for field in block.iter("field")]
        self.assertIn("kam_activity_type_a_id", names)
        labelled = {label.get("for") for label in block.iter("label")}
        # A <setting string="..."> labels its field (Odoo's checkbox settings), also
        # those the other KAM addons add to the block.
        labelled |= {
            field.get("name")
            for setting in block.iter("setting")
            if setting.get("string")
            for field in setting.iter("field")
        }
        self.assertEqual(
            [name for name in names if name not in labelled],
            [],
            "fields of the key account settings without a label",
        )


@tagged("post_install", "-at_install")
class TestSettingsInTheBrowser(HttpCase):
    def _check(self):
        self.env.company.kam_benchmark_method = "top_n_average"
        code = CHECK_SETTINGS % {"ids": list(KAM_SETTINGS)}
        self.browser_js("/odoo/settings#crm", code, ready="", login="admin", timeout=90)

    def test_settings_on_a_desktop(self):
        self._check()

    def test_settings_on_a_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._check()
