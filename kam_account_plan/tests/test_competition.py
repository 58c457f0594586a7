from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
class TestCompetition(AccountPlanCase):
    """Deals lost to and won against the competitors named in a plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Pumps", "is_company": True})
        cls.rival = Partner.create({"name": "Rival Valves", "is_company": True})
        Reason = cls.env["crm.lost.reason"]
        cls.price = Reason.create({"name": "Too expensive"})
        cls.delivery = Reason.create({"name": "Delivery time"})
        cls.plan.competitor_ids = [
            Command.create({"competitor_partner_id": cls.acme.id}),
            Command.create({"competitor_partner_id": cls.rival.id, "name": "Rival"}),
            Command.create({"name": "Local workshop"}),
        ]
        cls.line_acme, cls.line_rival, cls.line_local = cls.plan.competitor_ids

    def _deal(self, partner, name, **values):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": 1000,
                **values,
            }
        )

    def _lose(self, leads, reason=None, lost_to=None):
        self.env["crm.lead.lost"].create(
            {
                "lead_ids": [Command.set(leads.ids)],
                "lost_reason_id": reason and reason.id,
                "kam_lost_to_id": lost_to and lost_to.id,
            }
        ).action_lost_reason_apply()

    def _build_deals(self):
        lost_here = self._deal(self.account, "Lost 1")
        lost_contact = self._deal(self.cfo, "Lost 2")
        lost_elsewhere = self._deal(self.other_account, "Lost 3")
        lost_unknown = self._deal(self.account, "Lost 4")
        self._lose(lost_here, self.price, self.acme)
        self._lose(lost_contact, self.delivery, self.acme)
        self._lose(lost_elsewhere, self.price, self.acme)
        self._lose(lost_unknown, self.price)
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        won_here = self._deal(
            self.account,
            "Won 1",
            kam_competitor_ids=[Command.set((self.acme | self.rival).ids)],
            stage_id=won.id,
        )
        won_elsewhere = self._deal(
            self.other_account,
            "Won 2",
            kam_competitor_ids=[Command.set(self.acme.ids)],
            stage_id=won.id,
        )
        # still open: neither won nor lost
        self._deal(
            self.account,
            "Open",
            kam_competitor_ids=[Command.set(self.acme.ids)],
        )
        return lost_here | lost_contact, lost_elsewhere, won_here, won_elsewhere

    def test_lost_wizard_records_the_competitor(self):
        lead = self._deal(self.account, "Pumps retrofit")
        wizard = Form(self.env["crm.lead.lost"].with_context(default_lead_ids=lead.ids))
        wizard.lost_reason_id = self.price
        wizard.kam_lost_to_id = self.acme
        wizard.save().action_lost_reason_apply()
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.kam_lost_to_id, self.acme)
        self.assertEqual(lead.lost_reason_id, self.price)
        # without a competitor, nothing is written
        other = self._deal(self.account, "Valves")
        self._lose(other, self.price)
        self.assertFalse(other.kam_lost_to_id)

    def test_competitor_line_named_from_partner(self):
        self.assertEqual(self.line_acme.name, "Acme Pumps")
        self.assertEqual(self.line_rival.name, "Rival")

    def test_win_loss_on_plan_lines(self):
        lost_here, lost_elsewhere, won_here, won_elsewhere = self._build_deals()
        self.env.invalidate_all()
        self.assertEqual(self.line_acme.lost_count, 2)
        self.assertEqual(self.line_acme.lost_count_all, 3)
        self.assertEqual(self.line_acme.won_count, 1)
        self.assertEqual(self.line_acme.won_count_all, 2)
        self.assertEqual(
            self.line_acme.lost_reasons, "Delivery time (1), Too expensive (1)"
        )
        self.assertEqual(
            self.line_acme.lost_reasons_all, "Too expensive (2), Delivery time (1)"
        )
        self.assertEqual(
            (self.line_rival.lost_count, self.line_rival.lost_count_all), (0, 0)
        )
        self.assertEqual(
            (self.line_rival.won_count, self.line_rival.won_count_all), (1, 1)
        )
        self.assertFalse(self.line_rival.lost_reasons)
        self.assertEqual(
            (
                self.line_local.lost_count,
                self.line_local.lost_count_all,
                self.line_local.won_count,
                self.line_local.won_count_all,
            ),
            (0, 0, 0, 0),
        )
        # the buttons open the same opportunities
        Lead = self.env["crm.lead"].with_context(active_test=False)
        for method, expected in (
            ("action_view_lost", lost_here),
            ("action_view_lost_all", lost_here | lost_elsewhere),
            ("action_view_won", won_here),
            ("action_view_won_all", won_here | won_elsewhere),
        ):
            action = getattr(self.line_acme, method)()
            self.assertEqual(action["res_model"], "crm.lead")
            self.assertEqual(Lead.search(action["domain"]), expected, method)

    def test_win_loss_set_based(self):
        self._build_deals()
        self.env.invalidate_all()
        Lead = self.registry["crm.lead"]
        original = Lead._read_group
        with patch.object(
            Lead, "_read_group", autospec=True, side_effect=original
        ) as read_group:
            lines = self.plan.competitor_ids
            lines.mapped("lost_count")
            lines.mapped("won_count_all")
        self.assertEqual(read_group.call_count, 2)

    def test_report_shows_win_loss(self):
        self._build_deals()
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "kam_account_plan.action_report_account_plan", self.plan.ids
        )
        html = html.decode()
        self.assertIn("Win/Loss Against Competitors", html)
        self.assertIn("Too expensive (2), Delivery time (1)", html)
        self.assertIn("Gap to Plan", html)

    def test_opportunity_form_competition_group(self):
        lead = self._deal(self.account, "Form deal")
        with Form(lead) as form:
            form.kam_competitor_ids.add(self.acme)
            form.kam_competitor_ids.add(self.rival)
        self.assertEqual(lead.kam_competitor_ids, self.acme | self.rival)
        view = self.env.ref(
            "kam_account_plan.crm_lead_view_form_inherit_kam_account_plan"
        )
        self.assertIn("kam_lost_to_id", view.arch)
