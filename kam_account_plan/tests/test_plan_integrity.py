import datetime
import importlib.util

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, file_path, mute_logger

from .common import AccountPlanCase

CONTEXT = {"tracking_disable": True, "mail_create_nolog": True}
PERIOD = {
    "date_start": datetime.date(2031, 1, 1),
    "date_end": datetime.date(2031, 12, 31),
}
OVERLAPPING = {
    "date_start": datetime.date(2031, 7, 1),
    "date_end": datetime.date(2032, 6, 30),
}


@tagged("post_install", "-at_install")
class TestOpenPlanGuarantee(AccountPlanCase):
    """One open plan per account, company and period is the database's guarantee,
    not only a Python check that two transactions pass each without seeing the other.

    The concurrent tests commit for real (two cursors besides the test's own): they
    work on an account of their own and delete everything they committed."""

    def _committed_account(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            account = env["res.partner"].create(
                {"name": "Concurrent Corp", "is_company": True}
            )
            account_id = account.id
        self.addCleanup(self._delete_committed, account_id)
        return account_id

    def _delete_committed(self, account_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            plans = env["kam.account.plan"].search([("partner_id", "=", account_id)])
            plans.write({"state": "closed"})
            plans.unlink()
            env["res.partner"].browse(account_id).unlink()

    def _cursor_env(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _open_plans(self, account_id):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT count(*) FROM kam_account_plan WHERE partner_id = %s "
                    "AND state != 'closed'",
                    account_id,
                )
            )
            return cr.fetchone()[0]

    def test_two_transactions_cannot_both_open_a_plan_for_the_period(self):
        account_id = self._committed_account()
        env1, env2 = self._cursor_env(), self._cursor_env()
        values = {"partner_id": account_id, "name": "Concurrent plan", **PERIOD}
        # The second transaction has looked at the plans before the first commits:
        # under PostgreSQL's repeatable read, it will never see the first plan.
        env2["kam.account.plan"].search_count([("partner_id", "=", account_id)])
        env1["kam.account.plan"].create(values)
        env1.cr.commit()
        with self.assertRaisesText(ValidationError, "saved meanwhile by someone else"):
            env2["kam.account.plan"].create({**values, **OVERLAPPING})
        env2.cr.rollback()
        self.assertEqual(self._open_plans(account_id), 1)

    def test_moving_a_plan_onto_a_period_taken_meanwhile(self):
        account_id = self._committed_account()
        env1, env2 = self._cursor_env(), self._cursor_env()
        later = env1["kam.account.plan"].create(
            {
                "partner_id": account_id,
                "date_start": datetime.date(2033, 1, 1),
                "date_end": datetime.date(2033, 12, 31),
            }
        )
        env1.cr.commit()
        env2["kam.account.plan"].search_count([("partner_id", "=", account_id)])
        env1["kam.account.plan"].create({"partner_id": account_id, **PERIOD})
        env1.cr.commit()
        with self.assertRaisesText(ValidationError, "saved meanwhile by someone else"):
            env2["kam.account.plan"].browse(later.id).write(OVERLAPPING)
        env2.cr.rollback()
        self.assertEqual(self._open_plans(account_id), 2)

    def test_the_database_refuses_what_bypasses_the_orm(self):
        """Even a row inserted by SQL, past every Python check, does not commit."""
        account_id = self._committed_account()
        env1, env2 = self._cursor_env(), self._cursor_env()
        env1["kam.account.plan"].create({"partner_id": account_id, **PERIOD})
        env1.cr.commit()
        plan = env2["kam.account.plan"].create(
            {"partner_id": account_id, "state": "closed", **OVERLAPPING}
        )
        env2.flush_all()
        env2.cr.execute(
            SQL("UPDATE kam_account_plan SET state = 'draft' WHERE id = %s", plan.id)
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ExclusionViolation),
        ):
            env2.cr.commit()
        env2.cr.rollback()
        self.assertEqual(self._open_plans(account_id), 1)

    def test_one_transaction_gets_the_plan_in_the_way(self):
        """Within one transaction the Python check speaks first and names the plan."""
        with self.assertRaisesText(ValidationError, self.plan.display_name):
            self.Plan.create(
                self._plan_values(
                    date_start=datetime.date(2026, 7, 1),
                    date_end=datetime.date(2027, 6, 30),
                )
            )

    def test_migration_closes_the_older_overlapping_plans(self):
        """Plans that overlapped before the constraint existed: the running one (or
        else the newest) stays open, the others are closed."""
        draft = self.Plan.create(self._plan_values(partner_id=self.other_account.id))
        running = self.Plan.create(
            self._plan_values(
                partner_id=self.other_account.id,
                date_start=datetime.date(2027, 1, 1),
                date_end=datetime.date(2027, 12, 31),
            )
        )
        running.action_activate()
        self.env.flush_all()
        # As they could be saved before: the constraint is deferred until the end of
        # this transaction, which the test rolls back.
        self.env.cr.execute(
            SQL(
                "UPDATE kam_account_plan SET date_end = '2027-06-30' WHERE id = %s",
                draft.id,
            )
        )
        self.env.invalidate_all()
        path = file_path("kam_account_plan/migrations/18.0.1.1.0/pre-migrate.py")
        spec = importlib.util.spec_from_file_location("kap_pre_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(draft.state, "closed")
        self.assertEqual(running.state, "active")
        self.assertEqual(self.plan.state, "draft", "no overlap, untouched")
        self.env.cr.execute(
            SQL(
                "SET CONSTRAINTS %s IMMEDIATE",
                SQL.identifier("kam_account_plan_one_open_plan_per_period"),
            )
        )
