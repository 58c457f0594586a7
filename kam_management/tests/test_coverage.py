import datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KamCase


@tagged("post_install", "-at_install")
class TestCoverage(KamCase):
    """The coverage map (docs/METHOD.md#coverage): each evidence source pairs one of
    our people with one of theirs; single and multi-threaded accounts; the cockpit's
    risk; who may see what."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._account(
            "Coverage Co",
            cls.rep,
            kam_tier_override="a",
            kam_tier_override_reason="Strategic",
        )
        cls.ceo = cls.Partner.create(
            {"name": "Cora CEO", "parent_id": cls.account.id, "function": "CEO"}
        )
        cls.buyer = cls.Partner.create(
            {"name": "Bob Buyer", "parent_id": cls.account.id, "function": "Buyer"}
        )
        cls.deal = cls.env["crm.lead"].create(
            {
                "name": "Coverage deal",
                "type": "opportunity",
                "partner_id": cls.buyer.id,
                "user_id": cls.rep.id,
            }
        )
        cls.yesterday = cls.today - datetime.timedelta(days=1)
        cls.engine = cls.env["kam.coverage"]

    def _pairs(self, account=None):
        account = account or self.account
        return self.engine._kam_coverage(account)[account.id]["pairs"]

    def _message(self, record, author, recipients=(), call=False, activity=False):
        values = {
            "model": record._name,
            "res_id": record.id,
            "body": "Hello",
            "author_id": author.id,
            "partner_ids": [(6, 0, [p.id for p in recipients])],
            "date": datetime.datetime.combine(self.yesterday, datetime.time(9)),
        }
        if call or activity:
            kind = (
                "mail.mail_activity_data_call"
                if call
                else "mail.mail_activity_data_todo"
            )
            values.update(
                message_type="notification",
                subtype_id=self.env.ref("mail.mt_activities").id,
                mail_activity_type_id=self.env.ref(kind).id,
            )
        else:
            values.update(
                message_type="email", subtype_id=self.env.ref("mail.mt_comment").id
            )
        return self.env["mail.message"].create(values)

    # -- evidence sources
    def test_meeting_with_both_attending(self):
        start = datetime.datetime.combine(self.yesterday, datetime.time(10))
        self.env["calendar.event"].create(
            {
                "name": "Review",
                "start": start,
                "stop": start + datetime.timedelta(hours=1),
                "partner_ids": [(6, 0, [self.rep.partner_id.id, self.ceo.id])],
            }
        )
        pair = self._pairs()[(self.rep.partner_id.id, self.ceo.id)]
        self.assertEqual((pair["meeting"], pair["count"]), (1, 1))
        self.assertEqual(pair["last"], self.yesterday)
        # A meeting to come is no contact yet.
        later = start + datetime.timedelta(days=3)
        self.env["calendar.event"].create(
            {
                "name": "Next review",
                "start": later,
                "stop": later + datetime.timedelta(hours=1),
                "partner_ids": [(6, 0, [self.rep2.partner_id.id, self.buyer.id])],
            }
        )
        self.assertNotIn((self.rep2.partner_id.id, self.buyer.id), self._pairs())

    def test_logged_call_on_a_contact(self):
        self._message(self.ceo, self.rep.partner_id, call=True)
        pair = self._pairs()[(self.rep.partner_id.id, self.ceo.id)]
        self.assertEqual((pair["call"], pair["activity"], pair["count"]), (1, 0, 1))

    def test_done_activity_on_the_account(self):
        activity = self.account.with_user(self.rep).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.rep.id, summary="Visit"
        )
        activity.with_user(self.rep).action_feedback(feedback="Done")
        pairs = self._pairs()
        # On the account itself, their side is the company.
        pair = pairs[(self.rep.partner_id.id, self.account.id)]
        self.assertEqual(pair["activity"], 1)

    def test_done_activity_on_a_deal_with_a_recipient(self):
        self._message(self.deal, self.rep2.partner_id, [self.ceo], activity=True)
        pairs = self._pairs()
        self.assertEqual(pairs[(self.rep2.partner_id.id, self.ceo.id)]["activity"], 1)
        # The recipient of their side, not the deal's contact.
        self.assertNotIn((self.rep2.partner_id.id, self.buyer.id), pairs)

    def test_message_sent_on_a_deal(self):
        self._message(self.deal, self.rep2.partner_id)
        pair = self._pairs()[(self.rep2.partner_id.id, self.buyer.id)]
        self.assertEqual(pair["sent"], 1)

    def test_message_received_on_the_account_and_a_deal(self):
        # To one of ours: that person.
        self._message(self.account, self.ceo, [self.rep2.partner_id])
        # On a deal, to nobody of ours: the deal's salesperson.
        self._message(self.deal, self.buyer)
        # On a contact, to nobody: the account's manager.
        self._message(self.buyer, self.buyer)
        pairs = self._pairs()
        self.assertEqual(pairs[(self.rep2.partner_id.id, self.ceo.id)]["received"], 1)
        self.assertEqual(pairs[(self.rep.partner_id.id, self.buyer.id)]["received"], 2)

    def test_notes_and_old_evidence_do_not_count(self):
        note = self._message(self.ceo, self.rep.partner_id)
        note.subtype_id = self.env.ref("mail.mt_note")
        old = self._message(self.buyer, self.rep.partner_id)
        old.date = datetime.datetime.combine(
            self.today - datetime.timedelta(days=400), datetime.time(9)
        )
        self.assertEqual(self._pairs(), {})

    # -- classification
    def test_single_threaded_then_multi_threaded(self):
        self._message(self.ceo, self.rep.partner_id, call=True)
        self._message(self.buyer, self.rep.partner_id, call=True)
        summary = self.engine._kam_coverage(self.account)[self.account.id]
        # One of ours for two of theirs: a bow-tie.
        self.assertEqual(summary["klass"], "single")
        self.assertEqual(self.account.kam_coverage_class, "single")
        self._message(self.buyer, self.director.partner_id, call=True)
        self._message(self.ceo, self.director.partner_id, call=True)
        summary = self.engine._kam_coverage(self.account)[self.account.id]
        # Two of ours, two of theirs at two levels (executive, operational).
        self.assertEqual(summary["klass"], "multi")
        self.assertEqual(summary["level_shares"]["executive"], 50.0)
        self.account.invalidate_recordset(["kam_coverage_class"])
        self.assertEqual(self.account.kam_coverage_class, "multi")

    def test_no_contact_is_no_thread(self):
        summary = self.engine._kam_coverage(self.account)[self.account.id]
        self.assertEqual(summary["klass"], "none")
        # The account's contacts and manager are on the map, unreached.
        lines = self.engine._kam_coverage_lines({self.account.id: summary})
        theirs = {v.get("their_partner_id") for v in lines} - {None}
        self.assertEqual(theirs, {self.ceo.id, self.buyer.id})
        ours = {v.get("our_partner_id") for v in lines} - {None}
        self.assertEqual(ours, {self.rep.partner_id.id})

    def test_queries_do_not_grow_with_accounts(self):
        accounts = self.Partner.create(
            [{"name": f"Many {i}", "is_company": True} for i in range(30)]
        )
        for account in accounts:
            contact = self.Partner.create({"name": "C", "parent_id": account.id})
            self._message(contact, self.rep.partner_id, call=True)
        self.env.invalidate_all()
        self.engine._kam_coverage(accounts[:3])
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=12):
            summaries = self.engine._kam_coverage(accounts)
        self.assertEqual({s["klass"] for s in summaries.values()}, {"single"})

    # -- cockpit and badges
    def test_cockpit_lists_single_threaded_key_accounts(self):
        self._refresh_all()
        self.assertTrue(self.account.kam_is_key_account)
        self._message(self.ceo, self.rep.partner_id, call=True)
        data = self.env["kam.cockpit"].with_user(self.director).get_cockpit_data()
        kinds = {k["code"]: k for k in data["risk_kinds"]}
        self.assertIn(
            self.account, self.Partner.search(kinds["single_threaded"]["domain"])
        )
        risk = next(r for r in data["risks"] if r["partner_id"] == self.account.id)
        reason = next(r for r in risk["reasons"] if r["code"] == "single_threaded")
        self.assertIn("Rep One", reason["detail"])
        self.assertIn("Cora CEO", reason["detail"])
        # Threads on both sides at two levels: no longer at risk.
        self._message(self.buyer, self.director.partner_id, call=True)
        self._message(self.buyer, self.rep2.partner_id, call=True)
        self._message(self.ceo, self.rep2.partner_id, call=True)
        data = self.env["kam.cockpit"].with_user(self.director).get_cockpit_data()
        kinds = {k["code"]: k for k in data["risk_kinds"]}
        self.assertNotIn(
            self.account, self.Partner.search(kinds["single_threaded"]["domain"])
        )

    def test_next_contacts_planned_once(self):
        self._message(self.buyer, self.rep.partner_id, call=True)
        self.account.with_user(self.rep).action_kam_coverage_suggest()
        activities = self.account.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("kam_management.mail_activity_type_kam_visit")
        )
        self.assertEqual(len(activities), 1)
        self.assertIn("Cora CEO", activities.summary)
        self.account.with_user(self.rep).action_kam_coverage_suggest()
        self.assertEqual(len(self.account.activity_ids), 1)

    # -- access and companies
    def test_map_lines_for_readable_accounts_only(self):
        self._message(self.ceo, self.rep.partner_id, call=True)
        action = self.account.with_user(self.rep).action_kam_coverage_map()
        lines = (
            self.env["kam.coverage.line"].with_user(self.rep).search(action["domain"])
        )
        self.assertIn(self.ceo, lines.their_partner_id)
        # The lines are the builder's: rep Two sees none of them.
        self.assertFalse(
            self.env["kam.coverage.line"].with_user(self.rep2).search(action["domain"])
        )
        # Only the system writes lines: a rep cannot forge a map over RPC.
        with self.assertRaises(AccessError):
            self.env["kam.coverage.line"].with_user(self.rep).create(
                {
                    "account_id": self.account.id,
                    "date_from": self.today,
                    "date_to": self.today,
                    "interaction_count": 99,
                }
            )
        other_company = self.env["res.company"].create({"name": "Other Co Ltd"})
        hidden = self._account("Hidden Co", company_id=other_company.id)
        with self.assertRaises(AccessError):
            hidden.with_user(self.rep).action_kam_coverage_map()

    def test_other_companies_people_do_not_count(self):
        other_company = self.env["res.company"].create({"name": "Sister Co"})
        outsider = new_test_user(
            self.env,
            login="kam_sister",
            groups="kam_management.group_kam_user",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self._message(self.ceo, outsider.partner_id, call=True)
        self.assertEqual(self._pairs(), {})
        summary = self.engine.with_company(other_company)._kam_coverage(self.account)
        self.assertIn(
            (outsider.partner_id.id, self.ceo.id), summary[self.account.id]["pairs"]
        )

    def test_overview_pivot_of_key_accounts(self):
        self._refresh_all()
        self._message(self.ceo, self.rep.partner_id, call=True)
        action = self.Partner.with_user(self.director).action_kam_coverage_overview()
        figures = self.env[action["res_model"]].with_user(self.director).search([])
        line = figures.filtered(lambda f: f.account_id == self.account)
        self.assertEqual((line.coverage_class, line.tier), ("single", "a"))
        self.assertEqual((line.our_count, line.their_count), (1, 1))

    # -- suggested ratings
    def test_suggested_ratings_wait_for_the_manager(self):
        access = self.env.ref("kam_management.kam_criterion_attractiveness_access")
        contacts = self.env.ref("kam_management.kam_criterion_relationship_contacts")
        self.env["kam.partner.score"].create(
            {"partner_id": self.account.id, "criterion_id": contacts.id, "score": 9}
        )
        self._message(self.ceo, self.rep.partner_id, call=True)
        action = self.account.with_user(self.rep).action_kam_coverage_rating()
        wizard = (
            self.env["kam.coverage.rating"].with_user(self.rep).browse(action["res_id"])
        )
        lines = {line.criterion_id: line for line in wizard.line_ids}
        self.assertEqual(set(lines), {access, contacts})
        # Single-threaded, its one contact an executive.
        self.assertEqual(lines[contacts].suggested_score, 3)
        self.assertEqual(lines[contacts].current_score, 9)
        self.assertEqual(lines[access].suggested_score, 10)
        # Nothing changed yet.
        scores = self.account.kam_score_ids
        self.assertEqual(scores.mapped("score"), [9])
        lines[contacts].apply = False
        wizard.action_apply()
        self.assertEqual(
            {s.criterion_id: s.score for s in self.account.kam_score_ids},
            {contacts: 9, access: 10},
        )
