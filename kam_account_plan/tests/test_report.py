import datetime
from collections import Counter

from lxml import html as lxml_html

from odoo import Command
from odoo.tests import tagged

from .common import PLAN_FIGURES, AccountPlanCase


@tagged("post_install", "-at_install")
class TestReport(AccountPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.write(
            {
                "executive_summary": "<p>Become the preferred pump supplier</p>",
                "swot_strengths": "Service network",
                "relationship_type": "developing",
                "revenue_line_ids": [
                    Command.create(
                        {
                            "period_date": datetime.date(2026, 4, 1),
                            "product_categ_id": cls.categ_pumps.id,
                            "amount": 20000,
                            "probability": 50,
                        }
                    )
                ],
                "stakeholder_ids": [
                    Command.create({"partner_id": cls.cfo.id, "role": "decision_maker"})
                ],
                "competitor_ids": [
                    Command.create(
                        {
                            "name": "Acme Pumps",
                            "strengths": "Price",
                            "counter_tactics": "Total cost of ownership study",
                        }
                    )
                ],
                "whitespace_ids": [
                    Command.create(
                        {
                            "unit_name": "Plant Springfield",
                            "product_categ_id": cls.categ_valves.id,
                            "status": "competitor",
                        }
                    )
                ],
                "action_ids": [
                    Command.create(
                        {
                            "name": "Plant tour",
                            "date_deadline": datetime.date(2026, 5, 1),
                        }
                    )
                ],
                "investment_ids": [
                    Command.create(
                        {"category": "demos", "name": "Pilot", "amount": 5000}
                    )
                ],
            }
        )

    def test_report_html(self):
        self.cfo.action_archive()  # a risk signal is printed too
        html, report_format = self.env["ir.actions.report"]._render_qweb_html(
            "kam_account_plan.action_report_account_plan", self.plan.ids
        )
        self.assertEqual(report_format, "html")
        html = html.decode()
        for text in (
            self.plan.code,
            "Globex",
            "Become the preferred pump supplier",
            "Executive Summary",
            "Service network",
            "Revenue Forecast",
            "Hank Scorpio",
            "Decision Maker",
            "Acme Pumps",
            "Total cost of ownership study",
            "Plant Springfield",
            "Buys from a competitor",
            "Plant tour",
            "Partnership Evaluation",
            "Pilot",
            "Key Stakeholder Left or Changed Role",
        ):
            self.assertIn(text, html)

    def test_report_shows_each_figure_once(self):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "kam_account_plan.action_report_account_plan", self.plan.ids
        )
        texts = Counter(
            text.strip() for text in lxml_html.fromstring(html.decode()).itertext()
        )
        # The printed labels are the form's, each once.
        for name in PLAN_FIGURES:
            label = self.Plan._fields[name].string
            self.assertEqual(texts[label], 1, label)
        for label in ("Forecast", "Plan (Forecast)", "Actual Revenue", "Achieved"):
            self.assertNotIn(label, texts)

    def test_report_pdf_when_wkhtmltopdf_is_there(self):
        report = self.env["ir.actions.report"]
        if report.get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed")
        report = report.with_context(force_report_rendering=True)
        # wkhtmltopdf would fetch the report's assets from this very server, whose
        # request waits for the locks this test's transaction holds while the test
        # waits for wkhtmltopdf: a deadlock under Odoo's runner. The report is
        # rendered from its own HTML (unstyled), which is what this test checks.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        pdf, report_format = report._render_qweb_pdf(
            "kam_account_plan.action_report_account_plan", self.plan.ids
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_demo_plans_render(self):
        uralsteel = self.env.ref(
            "kam_account_plan.demo_plan_uralsteel", raise_if_not_found=False
        )
        if not uralsteel:
            self.skipTest("no demo data")
        shanghai = self.env.ref("kam_account_plan.demo_plan_shanghai_precision")
        self.assertEqual(uralsteel.state, "active")
        self.assertEqual(shanghai.state, "review")
        for plan, texts in (
            (
                uralsteel,
                ("Uralsteel JSC", "Ural Hydraulics", "Win/Loss", "Sergey Morozov"),
            ),
            (
                shanghai,
                ("Shanghai Precision", "Jiangsu Fluid Technology", "Wang Lei"),
            ),
        ):
            html, __ = self.env["ir.actions.report"]._render_qweb_html(
                "kam_account_plan.action_report_account_plan", plan.ids
            )
            html = html.decode()
            for text in (*texts, "Gap to Plan", "Executive Summary", "SWOT"):
                self.assertIn(text, html, plan.name)

    def test_demo_plans_show_what_they_are_meant_to(self):
        uralsteel = self.env.ref(
            "kam_account_plan.demo_plan_uralsteel", raise_if_not_found=False
        )
        if not uralsteel:
            self.skipTest("no demo data")
        shanghai = self.env.ref("kam_account_plan.demo_plan_shanghai_precision")
        # the key stakeholder who left shows as a risk
        self.assertTrue(uralsteel.risk_stakeholder_change)
        self.assertTrue(shanghai.risk_stakeholder_change)  # a role change
        for plan in uralsteel | shanghai:
            self.assertTrue(plan.action_ids.activity_id)
            self.assertTrue(plan.whitespace_ids)
            self.assertTrue(plan.partnership_score)
            self.assertTrue(plan.forecast_total)
            self.assertTrue(plan.figures_date)
            for line in plan.competitor_ids:
                self.assertTrue(line.lost_count_all, line.name)
                self.assertTrue(line.won_count_all, line.name)
