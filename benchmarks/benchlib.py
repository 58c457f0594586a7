"""What the benchmarks share: an Odoo environment on a database, inside a transaction
that is always rolled back, and the count of one run's SQL queries and time.

Run them with the Odoo python: ``$ODOO_PYTHON benchmarks/<name>.py -d DB``;
this module finds the addons path the way scripts/kam_odoo.py does.
"""

import contextlib
import os
import sys
import time

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts")
)

from kam_odoo import addons_path  # noqa: E402

# Benchmarks measure the work, not the chatter: no creation messages, no tracking.
BENCH_CONTEXT = {
    "mail_create_nolog": True,
    "tracking_disable": True,
    "mail_notrack": True,
}


@contextlib.contextmanager
def odoo_env(database, context=None):
    """A superuser environment on ``database``; everything done in it is rolled back."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        ["-d", database, f"--addons-path={addons_path()}", "--log-level=warn"]
    )
    with Registry(database).cursor() as cr:
        try:
            yield odoo.api.Environment(
                cr, odoo.SUPERUSER_ID, dict(BENCH_CONTEXT, **(context or {}))
            )
        finally:
            cr.rollback()


def run_counted(env, function):
    """Run ``function`` with the pending writes flushed before and after; return its
    result, the SQL queries it made and the seconds it took."""
    env.flush_all()
    queries, started = env.cr.sql_log_count, time.perf_counter()
    result = function()
    env.flush_all()
    return result, env.cr.sql_log_count - queries, time.perf_counter() - started


def print_measure(label, rows, unit, elapsed, queries, extra=""):
    """One line of a benchmark's table: rows, time, rows per second, queries."""
    print(
        f"{label:<30} {rows:>7} {unit} {elapsed:>7.2f} s "
        f"{rows / elapsed if elapsed else 0:>8.0f} {unit}/s "
        f"{queries:>7} queries ({queries / rows if rows else 0:.2f}/{unit.rstrip('s')})"
        f"{extra}"
    )
