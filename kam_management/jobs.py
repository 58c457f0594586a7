"""What the KAM jobs share: one run of a job at a time."""

from odoo.tools import SQL


def try_job_lock(cr, job):
    """Take the transaction-level advisory lock of ``job`` (a name unique to the job,
    e.g. ``"kam_account_plan.review_cron"``); False when another transaction holds it.

    Two runs of a job (two workers, or "Run manually" while the scheduler runs it)
    that each looked for open activities before the other committed would create
    them twice: the second run skips. The lock goes with the transaction's commit
    or rollback.
    """
    cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", job))
    return cr.fetchone()[0]
