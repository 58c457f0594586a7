import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AccountPlanCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15")
class TestActionPlan(AccountPlanCase):
    def _activities(self, plan=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.account.plan"),
                ("res_id", "=", (plan or self.plan).id),
            ]
        )

    def _action(self, name="Meet the CFO", day=datetime.date(2026, 7, 1), user=None):
        return self.env["kam.account.plan.action"].create(
            {
                "plan_id": self.plan.id,
                "name": name,
                "user_id": (user or self.rep2).id,
                "date_deadline": day,
            }
        )

    def test_lines_become_activities_on_activation(self):
        line = self._action()
        self.assertFalse(line.activity_id, "a draft plan schedules nothing yet")
        self.assertEqual(line.status, "to_schedule")
        self.plan.action_activate()
        activity = line.activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.user_id, self.rep2)
        self.assertEqual(activity.date_deadline, datetime.date(2026, 7, 1))
        self.assertEqual(activity.summary, "Meet the CFO")
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("kam_account_plan.mail_activity_type_plan_action"),
        )
        self.assertEqual(line.status, "planned")
        # idempotent: syncing again creates nothing
        line._sync_activities()
        self.plan.write({"state": "active"})
        self.assertEqual(self._activities(), activity)

    def test_line_changes_move_the_activity(self):
        self.plan.action_activate()
        line = self._action()
        activity = line.activity_id
        line.write({"user_id": self.rep.id, "date_deadline": datetime.date(2026, 6, 1)})
        self.assertEqual(line.activity_id, activity)
        self.assertEqual(activity.user_id, self.rep)
        self.assertEqual(activity.date_deadline, datetime.date(2026, 6, 1))
        self.assertEqual(line.status, "overdue")
        self.assertEqual(self.plan.action_overdue_count, 1)
        line.date_deadline = datetime.date(2026, 6, 15)
        self.assertEqual(line.status, "today")
        self.assertEqual(len(self._activities()), 1)

    def test_owner_marks_activity_done(self):
        self.plan.action_activate()
        line = self._action()
        # the line's owner is not the plan's owner: they close it from their activities
        line.activity_id.with_user(self.rep2).action_feedback(feedback="Met, went well")
        self.assertEqual(line.date_done, datetime.date(2026, 6, 15))
        self.assertEqual(line.status, "done")
        self.assertFalse(self._activities())
        line._sync_activities()
        self.assertFalse(self._activities(), "a done line is not scheduled again")
        line.action_reopen()
        self.assertEqual(line.status, "planned")
        self.assertEqual(len(self._activities()), 1)

    def test_done_and_cancel_from_the_line(self):
        self.plan.action_activate()
        done, cancelled = self._action("A"), self._action("B")
        done.action_done()
        cancelled.action_cancel()
        self.assertEqual(done.status, "done")
        self.assertEqual(cancelled.status, "cancelled")
        self.assertFalse(self._activities())

    def test_closing_the_plan_cancels_open_actions(self):
        self.plan.action_activate()
        open_line, done_line = self._action("Open"), self._action("Done")
        done_line.action_done()
        self.plan.action_close()
        self.assertEqual(open_line.status, "cancelled")
        self.assertEqual(done_line.status, "done")
        self.assertFalse(self._activities())

    def test_unlink_line_removes_activity(self):
        self.plan.action_activate()
        line = self._action()
        self.assertTrue(self._activities())
        line.unlink()
        self.assertFalse(self._activities())
