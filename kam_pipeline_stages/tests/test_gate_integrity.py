"""The stage gate holds whatever the way a deal gets somewhere (issue 9).

Every test acts as the rep through the paths an RPC client has: ``write``,
``web_save``, ``create``, ``load``, ``copy``, merge, conversion, archive/restore.
"""

from contextlib import closing

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KamPipelineCase


@tagged("post_install", "-at_install", "kam")
class TestGateIntegrity(KamPipelineCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generic_won = cls.env["crm.stage"].create(
            {"name": "Generic Won", "sequence": 70, "is_won": True}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Plain Team"})
        cls.gated = cls.stage_fm | cls.stage_held | cls.stage_fifty | cls.stage_75
        cls.Lead = cls.env["crm.lead"].with_user(cls.rep)

    # -- helpers

    def _unmet_stages(self, lead):
        """The stages of the KAM pipeline with a mandatory criterion the deal has
        not ticked (computed here from the templates, not by the gate)."""
        criteria = self.env["kam.stage.checklist.template"].search(
            [
                ("stage_id", "in", self.gated.ids),
                ("kind", "=", "criterion"),
                ("mandatory", "=", True),
            ]
        )
        done = lead.kam_checklist_line_ids.filtered("is_done").template_id
        return (criteria - done).stage_id

    def _past_stages(self, lead):
        """The gated stages of the KAM pipeline the deal stands past."""
        stage = lead.stage_id
        if stage.team_id == self.team and stage.kam_category not in (
            False,
            "no_next_step",
        ):
            return self.gated.filtered(
                lambda s: (s.sequence, s.id) < (stage.sequence, stage.id)
            )
        if stage.is_won and lead.team_id == self.team:
            return self.gated
        return self.env["crm.stage"]

    def _assert_not_forged(self, lead, path=()):
        forged = self._past_stages(lead) & self._unmet_stages(lead)
        self.assertFalse(
            forged,
            f"{lead.stage_id.name} (team {lead.team_id.name or '-'}) reached past "
            f"unmet gates {forged.mapped('name')} by {list(path)}",
        )

    def _assert_refused(self, lead, vals, user=None):
        before = (lead.stage_id, lead.team_id)
        with self.assertRaises(UserError):
            lead.with_user(user or self.rep).write(vals)
        lead.invalidate_recordset()
        self.assertEqual((lead.stage_id, lead.team_id), before)

    # -- the reported forgery

    def test_team_given_back_after_a_generic_won_is_gated(self):
        lead = self._lead()
        lead.with_user(self.rep).write({"stage_id": self.stage_generic.id})
        # Won outside any KAM team: no KAM figure, free.
        lead.with_user(self.rep).write(
            {"team_id": False, "stage_id": self.generic_won.id}
        )
        # Given back to the key-account team, it would stand past its whole pipeline.
        self._assert_refused(lead, {"team_id": self.team.id})
        self._assert_not_forged(lead)

    def test_same_sequence_through_web_save(self):
        lead = self._lead()
        rep_lead = lead.with_user(self.rep)
        spec = {"stage_id": {}, "team_id": {}}
        rep_lead.web_save({"stage_id": self.stage_generic.id}, specification=spec)
        rep_lead.web_save(
            {"team_id": False, "stage_id": self.generic_won.id}, specification=spec
        )
        with self.assertRaises(UserError):
            rep_lead.web_save({"team_id": self.team.id}, specification=spec)
        lead.invalidate_recordset()
        self.assertFalse(lead.team_id)

    def test_a_new_salesperson_bringing_the_team_is_gated(self):
        """The write names the user; the team follows (crm computes it)."""
        self.team.member_ids |= self.rep2
        lead = self._lead(stage=self.stage_generic, team_id=False)
        lead.with_user(self.rep).write({"stage_id": self.generic_won.id})
        self.assertFalse(lead.team_id)
        with self.assertRaises(UserError):
            lead.with_user(self.rep).write({"user_id": self.rep2.id})
        lead.invalidate_recordset()
        self.assertFalse(lead.team_id)
        self.assertEqual(lead.user_id, self.rep)

    # -- entries

    def test_create_straight_into_a_later_stage_is_gated(self):
        vals = {
            "name": "Straight to 50%",
            "type": "opportunity",
            "partner_id": self.partner.id,
            "team_id": self.team.id,
            "user_id": self.rep.id,
        }
        for stage in (self.stage_held, self.stage_fifty, self.stage_won):
            with self.assertRaises(UserError):
                self.Lead.create({**vals, "stage_id": stage.id})
        with self.assertRaises(UserError):
            self.Lead.create({**vals, "stage_id": self.generic_won.id})
        # The first stage, the parking column and other pipelines stay open.
        for stage in (self.stage_fm, self.stage_park):
            self.assertEqual(
                self.Lead.create({**vals, "stage_id": stage.id}).stage_id, stage
            )
        plain = self.Lead.create(
            {**vals, "team_id": self.other_team.id, "stage_id": self.generic_won.id}
        )
        self.assertEqual(plain.stage_id, self.generic_won)

    def test_import_straight_into_a_later_stage_is_refused(self):
        result = self.Lead.load(
            ["name", "type", "team_id/.id", "stage_id/.id", "user_id/.id"],
            [
                [
                    "Imported at 75%",
                    "opportunity",
                    str(self.team.id),
                    str(self.stage_75.id),
                    str(self.rep.id),
                ]
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(
            any("cannot move forward" in m["message"] for m in result["messages"])
        )
        self.assertFalse(
            self.env["crm.lead"].search([("name", "=", "Imported at 75%")])
        )

    def test_copy_starts_at_the_first_stage_and_cannot_be_placed_further(self):
        lead = self._lead(stage=self.stage_held)  # placed there by the system
        copy = lead.with_user(self.rep).copy()
        self.assertEqual(copy.stage_id, self.stage_fm)
        with self.assertRaises(UserError):
            lead.with_user(self.rep).copy({"stage_id": self.stage_75.id})

    def test_director_creates_further_with_a_logged_override(self):
        vals = {
            "name": "Director's deal",
            "type": "opportunity",
            "team_id": self.team.id,
            "stage_id": self.stage_fifty.id,
        }
        Lead = self.env["crm.lead"].with_user(self.director)
        with self.assertRaises(UserError) as caught:
            Lead.create(vals)
        self.assertIn("Override Stage Gate", str(caught.exception))
        lead = Lead.create({**vals, "kam_gate_override": True})
        self.assertEqual(lead.stage_id, self.stage_fifty)
        self.assertFalse(lead.sudo().kam_gate_override, "one-shot")
        log = lead.message_ids.filtered(lambda m: "overridden" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("Dora Director", log.body)
        self.assertEqual(log.message_type, "notification")
        # The stages passed get their checklist: ticking it can earn the category.
        self.assertEqual(
            lead.kam_checklist_line_ids.stage_id,
            self.stage_fm | self.stage_held | self.stage_fifty,
        )

    def test_checklist_managed_deal_created_further_can_earn_its_category(self):
        self.env.company.kam_checklist_sets_probability = True
        lead = (
            self.env["crm.lead"]
            .with_user(self.director)
            .with_context(kam_gate_override=True)
            .create(
                {
                    "name": "Managed deal",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "stage_id": self.stage_fifty.id,
                }
            )
        )
        self.assertEqual(lead.probability, 0.0)
        self._tick(lead, self.stage_fm, user=self.director)
        self._tick(lead, self.stage_held, user=self.director)
        self.assertEqual(lead.kam_checklist_category, "meeting_held")
        self.assertEqual(lead.probability, self.stage_held.kam_probability)

    def test_merge_cannot_bring_a_won_deal_into_the_team(self):
        won = self._lead(name="Won elsewhere", stage=self.stage_generic, team_id=False)
        won.with_user(self.rep).write({"stage_id": self.generic_won.id})
        other = self._lead(name="Other", stage=self.stage_generic, team_id=False)
        with self.assertRaises(UserError):
            (won | other).with_user(self.rep)._merge_opportunity(team_id=self.team.id)
        self.assertTrue(won.exists() and other.exists())
        self.assertFalse(won.team_id)

    def test_merging_deals_that_passed_their_gates_stays_possible(self):
        ahead = self._lead(name="Ahead")
        self._tick(ahead, self.stage_fm)
        ahead.with_user(self.rep).write({"stage_id": self.stage_held.id})
        behind = self._lead(name="Behind")
        head = (ahead | behind).with_user(self.rep)._merge_opportunity()
        self.assertEqual(head, ahead)
        self.assertEqual(head.stage_id, self.stage_held)
        self.assertFalse(behind.exists())

    def test_conversion_to_the_team_is_gated(self):
        lead = self._lead(
            name="Plain lead", type="lead", stage=self.stage_generic, team_id=False
        )
        lead.with_user(self.rep).write({"stage_id": self.generic_won.id})
        with self.assertRaises(UserError):
            lead.with_user(self.rep).write({"type": "opportunity"})
            lead.with_user(self.rep)._handle_salesmen_assignment(team_id=self.team.id)
        lead.invalidate_recordset()
        self.assertFalse(lead.team_id)

    def test_archived_deals_and_leads_are_gated_the_same(self):
        lead = self._lead()
        lead.with_user(self.rep).action_archive()
        self._assert_refused(lead, {"stage_id": self.stage_fifty.id})
        lead.with_user(self.rep).action_unarchive()
        lead.with_user(self.rep).write({"type": "lead"})
        self._assert_refused(lead, {"stage_id": self.stage_fifty.id})
        # Restoring or converting a deal that passed its gates stays free.
        self._tick(lead, self.stage_fm)
        lead.with_user(self.rep).write(
            {"type": "opportunity", "stage_id": self.stage_held.id}
        )
        lead.with_user(self.rep).action_archive()
        lead.with_user(self.rep).action_unarchive()
        self.assertEqual(lead.stage_id, self.stage_held)

    def test_company_change_with_a_move_is_gated(self):
        company2 = self.env["res.company"].create({"name": "KAM Gate Co"})
        self.rep.company_ids |= company2
        lead = self._lead()
        self._assert_refused(
            lead.with_context(allowed_company_ids=[self.env.company.id, company2.id]),
            {"company_id": company2.id, "stage_id": self.stage_fifty.id},
        )

    # -- exhaustive

    def test_no_sequence_of_writes_forges_a_stage(self):
        """Every sequence of up to 3 writes of team, stage, type and archive flag
        (and of team and stage at once) by the rep, from the first stage with nothing
        ticked: none ends past an unmet gate. Depth-first with savepoints; a state
        already explored with as many writes left is not explored again (the gate
        depends on the deal's state only)."""
        teams = {"KAM": self.team.id, "other": self.other_team.id, "none": False}
        stages = {
            "generic": self.stage_generic.id,
            "KAM early": self.stage_fm.id,
            "KAM later": self.stage_fifty.id,
            "generic won": self.generic_won.id,
            "KAM won": self.stage_won.id,
        }
        writes = (
            [{"team_id": team} for team in teams.values()]
            + [{"stage_id": stage} for stage in stages.values()]
            + [{"type": "lead"}, {"type": "opportunity"}]
            + [{"active": False}, {"active": True}]
            + [
                {"team_id": team, "stage_id": stage}
                for team in teams.values()
                for stage in stages.values()
            ]
        )
        lead = self._lead(name="Explored deal")
        rep_lead = lead.with_user(self.rep)
        cr = self.env.cr
        explored = {}
        counts = {"accepted": 0, "refused": 0}

        def state():
            return (lead.stage_id.id, lead.team_id.id, lead.type, lead.active)

        def explore(path, left):
            for vals in writes:
                with closing(cr.savepoint()):
                    try:
                        with cr.savepoint():
                            rep_lead.write(dict(vals))  # crm adds to vals
                    except UserError:
                        counts["refused"] += 1
                        continue
                    counts["accepted"] += 1
                    self._assert_not_forged(lead, [*path, vals])
                    reached = state()
                    if left > 1 and explored.get(reached, 0) < left - 1:
                        explored[reached] = left - 1
                        explore([*path, vals], left - 1)

        explored[state()] = 3
        explore([], 3)
        # The exploration did explore (and the gate refused something).
        self.assertGreater(counts["accepted"], 100)
        self.assertGreater(counts["refused"], 100)
        self.assertGreater(len(explored), 20)
