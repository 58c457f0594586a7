import datetime

from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .common import AccountPlanCase

LANGUAGES = ("en_US", "ru_RU", "zh_CN")
RISK_FIELDS = (
    "risk_stakeholder_change",
    "risk_revenue_decline",
    "risk_contact_overdue",
    "risk_no_feedback",
)


def parenthesis_depth(text):
    """The deepest nesting of parentheses, ASCII or full-width, in ``text``."""
    depth = deepest = 0
    for char in text:
        if char in "(（":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")）":
            depth -= 1
    return deepest


@tagged("post_install", "-at_install")
class TestPlanDisplay(AccountPlanCase):
    """What the plan shows: its risk banner, its product categories and its
    stakeholders, in English, Russian and Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in LANGUAGES[1:]:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["kam_account_plan"], list(LANGUAGES[1:]), overwrite=True
        )
        # A category under "All": its full name is "All / Seals".
        cls.categ_seals = cls.env["product.category"].create(
            {
                "name": "Seals",
                "parent_id": cls.env.ref("product.product_category_all").id,
            }
        )
        cls.plan.write(
            {
                "stakeholder_ids": [
                    Command.create(
                        {
                            "partner_id": cls.cfo.id,
                            "role": "decision_maker",
                            "is_key": True,
                        }
                    ),
                ],
                "revenue_line_ids": [
                    Command.create(
                        {
                            "period_date": datetime.date(2026, 1, 1),
                            "product_categ_id": cls.categ_seals.id,
                            "amount": 1000,
                        }
                    ),
                ],
                "product_line_ids": [
                    Command.create(
                        {"product_categ_id": cls.categ_seals.id, "name": "Gaskets"}
                    ),
                ],
                "whitespace_ids": [
                    Command.create(
                        {
                            "unit_name": "Rolling mill",
                            "product_categ_id": cls.categ_seals.id,
                            "status": "none",
                        }
                    ),
                ],
            }
        )
        cls.stakeholder = cls.plan.stakeholder_ids
        cls.form_view = cls.env.ref("kam_account_plan.kam_account_plan_view_form")

    def _form_arch(self, lang="en_US"):
        return etree.fromstring(
            self.Plan.with_context(lang=lang).get_view(self.form_view.id, "form")[
                "arch"
            ]
        )

    def _fields_in_form(self, one2many, name):
        """The ``name`` fields of the subviews (list, form, kanban) of ``one2many``."""
        nodes = self._form_arch().xpath(
            f"//field[@name='{one2many}']//field[@name='{name}']"
        )
        self.assertTrue(nodes, f"{one2many} shows {name}")
        return nodes

    # -- risk banner
    def test_risk_banner_is_one_clean_sentence(self):
        plan = self.plan
        for name in RISK_FIELDS:
            plan[name] = True  # computed, not stored: set for the display only
        for lang in LANGUAGES:
            summary = plan.with_context(lang=lang).risk_summary
            if lang != "en_US":
                self.assertNotIn("stakeholder", summary, f"{lang}: translated")
            self.assertFalse(summary.rstrip().endswith((";", "；", ",", "，")), summary)
            self.assertEqual(parenthesis_depth(summary), 0, summary)
            banner = self._form_arch(lang).xpath("//div[@role='alert']")[0]
            text = " ".join("".join(banner.itertext()).split())
            self.assertFalse(text.endswith((";", "；")), f"{lang}: {text}")
            self.assertEqual(
                banner.xpath(".//field/@name"), ["risk_summary"], "one sentence"
            )

    def test_risk_banner_lists_the_signals_on(self):
        plan = self.plan
        for name in RISK_FIELDS:
            plan[name] = False
        plan.risk_revenue_decline = True
        self.assertEqual(plan.risk_summary, "revenue is declining")
        plan.risk_no_feedback = True
        self.assertEqual(
            plan.risk_summary,
            "revenue is declining and no complaint nor feedback for a long time",
        )
        plan.risk_revenue_decline = plan.risk_no_feedback = False
        self.assertFalse(plan.risk_summary)

    def test_risk_texts_do_not_nest_parentheses(self):
        """The cockpit puts an account's stakeholder changes in parentheses: the
        changes themselves must have none, in any language."""
        self.plan.action_activate()
        self.cfo.function = "Head of Supply Chain"  # changed role
        for lang in LANGUAGES:
            cockpit = self.env["kam.cockpit"].with_context(lang=lang)
            changes = cockpit._kam_cockpit_stakeholder_changes()[self.account.id]
            self.assertEqual(len(changes), 1)
            self.assertIn("Head of Supply Chain", changes[0])
            shown = f"({'; '.join(changes)})"  # as the cockpit shows the detail
            self.assertEqual(parenthesis_depth(shown), 1, f"{lang}: {shown}")
            plan = self.plan.with_context(lang=lang)
            for label in plan._get_risk_labels() + [plan.risk_summary]:
                self.assertEqual(parenthesis_depth(f"({label})"), 1, label)

    # -- product categories
    def test_categories_show_their_own_name(self):
        self.assertEqual(self.categ_seals.display_name, "All / Seals")
        for one2many in ("revenue_line_ids", "product_line_ids", "whitespace_ids"):
            for node in self._fields_in_form(one2many, "product_categ_id"):
                self.assertIn("'hierarchical_naming': False", node.get("context", ""))
        # what the web client reads for the lines
        data = self.plan.web_read(
            {
                "whitespace_ids": {
                    "fields": {
                        "product_categ_id": {
                            "fields": {"display_name": {}},
                            "context": {"hierarchical_naming": False},
                        }
                    }
                }
            }
        )[0]
        categ = data["whitespace_ids"][0]["product_categ_id"]
        self.assertEqual(categ["display_name"], "Seals")
        matrix = self.plan._get_whitespace_matrix()
        self.assertEqual(matrix["categories"], ["Seals"])
        self.assertNotIn("All / Seals", self.plan.whitespace_matrix_html)
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "kam_account_plan.action_report_account_plan", self.plan.ids
        )
        html = html.decode()
        self.assertIn("Seals", html)
        self.assertNotIn("All / Seals", html)

    # -- stakeholders
    def test_stakeholders_show_the_contact_name(self):
        self.assertEqual(self.cfo.display_name, "Globex, Hank Scorpio")
        self.assertEqual(self.stakeholder.display_name, "Hank Scorpio")
        name_only = {"kam_contact_name_only": True}
        self.assertEqual(
            self.cfo.with_context(**name_only).display_name, "Hank Scorpio"
        )
        self.assertEqual(self.account.with_context(**name_only).display_name, "Globex")
        # the list, the card and the line's form: the contact, by their own name
        for node in self._fields_in_form("stakeholder_ids", "partner_id"):
            self.assertIn("'kam_contact_name_only': True", node.get("context"))
        data = self.plan.web_read(
            {
                "stakeholder_ids": {
                    "fields": {
                        "partner_id": {
                            "fields": {"display_name": {}},
                            "context": name_only,
                        }
                    }
                }
            }
        )[0]
        contact = data["stakeholder_ids"][0]["partner_id"]
        self.assertEqual(contact, {"id": self.cfo.id, "display_name": "Hank Scorpio"})
        # and picking a contact offers them by name too
        found = (
            self.env["res.partner"]
            .with_context(**name_only)
            .name_search("Hank", [("commercial_partner_id", "=", self.account.id)])
        )
        self.assertEqual(found, [(self.cfo.id, "Hank Scorpio")])

    # -- labels
    def test_fields_have_proper_labels(self):
        labels = {
            ("kam.account.plan", "state"): "Status",
            ("kam.account.plan", "action_count"): "Actions",
            ("kam.account.plan", "action_overdue_count"): "Overdue Actions",
            ("kam.account.plan", "investment_total"): "Investment Cost",
            ("kam.account.plan", "next_review_date"): "Next Review",
            ("kam.account.plan.issue", "state"): "Status",
            ("kam.account.plan.product.line", "kind"): "Type",
            ("kam.account.plan.stakeholder", "plan_id"): "Account Plan",
            ("kam.account.plan.action", "plan_id"): "Account Plan",
        }
        for (model, name), label in labels.items():
            self.assertEqual(self.env[model]._fields[name].string, label, name)
        fields = self.env["ir.model.fields"].search(
            [("model", "=like", "kam.account.plan%")]
        )
        technical = fields.filtered(
            lambda field: field.field_description.lower().startswith("kam ")
        )
        self.assertFalse(technical.mapped("name"))
