"""Benchmark of a batch's revenue lookup (kam.revenue._kam_revenue_stats and
_kam_prospects, what the daily job reads for each batch of accounts), with the
baseline in the same run.

Not a test: it measures. It builds the daily job's benchmark data
(``bench_kam_cron.build_data``: N accounts, about three won deals each over 18
months), commits it and has PostgreSQL vacuum and analyze the tables, as autovacuum
does on a live database (statistics taken inside the transaction that wrote the rows,
or none, make the planner's choice a matter of chance), after ``--days`` days of the
daily job's rewrites of every account, then times the lookups of batches of accounts two
ways, alternately, batch after batch:

- the engine: each source filters its documents on their own partner, among the
  batch's accounts and their people (``_kam_source_rows(source, partner_ids)``);
- the baseline: the same query with the batch filtered on the commercial partner
  only, as before (``_kam_source_rows`` ignoring ``partner_ids``), which leaves
  PostgreSQL free to read and hash every won deal to keep a batch's.

Both must find the same figures; the script says so. The data is committed and
deleted at the end: run it on a database made for it, with kam_management installed
(``scripts/kam_odoo.py odoo -d DB -i kam_management --stop-after-init``).

    $ODOO_PYTHON benchmarks/bench_kam_revenue.py -d DB [--partners 100000]
        [--batches 20] [--batch-size 1000]
"""

import argparse
import statistics
import time
from unittest.mock import patch

from bench_kam_cron import _today, build_data
from benchlib import odoo_env


def lookup(env, partners, company, today):
    revenues = env["kam.revenue"]
    return (
        revenues._kam_revenue_stats(partners, company, today),
        revenues._kam_prospects(partners, company),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--days", type=int, default=3, help="days of the daily job before (0: none)"
    )
    args = parser.parse_args()

    with odoo_env(args.database) as env:
        partners, deals = build_data(env, args.partners, 3, env.company)
        env.cr.commit()
        try:
            # A few days of the daily job: each rewrites every account's row (its
            # refresh date), and autovacuum follows.
            for day in range(args.days):
                env.cr.execute(
                    "UPDATE res_partner SET kam_refresh_date = jsonb_build_object("
                    "%s, CURRENT_DATE - %s) WHERE id = ANY(%s)",
                    (str(env.company.id), args.days - day, partners.ids),
                )
                env.cr.commit()
                vacuum_analyze(env, "res_partner")
            vacuum_analyze(env, "res_partner", "crm_lead", "crm_stage")
            print(f"data: {len(partners)} accounts, {deals} won deals (analyzed)")
            measure(env, partners, args)
        finally:
            env.cr.rollback()
            env.cr.execute(
                "DELETE FROM mail_message WHERE model = 'res.partner'"
                " AND res_id = ANY(%(ids)s);"
                "DELETE FROM crm_lead WHERE partner_id = ANY(%(ids)s);"
                "DELETE FROM res_partner WHERE id = ANY(%(ids)s)",
                {"ids": partners.ids},
            )
            env.cr.commit()


def vacuum_analyze(env, *tables):
    """What autovacuum does to a table that stopped changing: VACUUM (the visibility
    map) and ANALYZE (the statistics), which the planner's choice depends on. VACUUM
    runs outside a transaction."""
    connection = env.cr._cnx
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
    finally:
        connection.autocommit = False


def measure(env, partners, args):
    """Time the lookups of ``args.batches`` batches both ways, alternately."""
    company, today = env.company, _today(env)
    revenue_model = env.registry["kam.revenue"]
    original = revenue_model._kam_source_rows

    def baseline_rows(model, source, partner_ids=None):
        return original(model, source)

    step = max(len(partners) // args.batches, args.batch_size)
    timings = {"engine": [], "baseline": []}
    same = True
    for index in range(args.batches):
        start = (index * step) % max(len(partners) - args.batch_size, 1)
        batch = partners[start : start + args.batch_size]
        results = {}
        order = ("engine", "baseline") if index % 2 else ("baseline", "engine")
        for label in order:
            started = time.perf_counter()
            if label == "baseline":
                with patch.object(revenue_model, "_kam_source_rows", baseline_rows):
                    results[label] = lookup(env, batch, company, today)
            else:
                results[label] = lookup(env, batch, company, today)
            timings[label].append(time.perf_counter() - started)
        same = same and results["engine"] == results["baseline"]
    for label, values in timings.items():
        print(
            f"{label:<9} {args.batches} batches of {args.batch_size}: "
            f"median {statistics.median(values) * 1000:7.1f} ms, "
            f"best {min(values) * 1000:7.1f} ms a batch"
        )
    print(f"same figures: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
