"""Benchmark of a batch's revenue lookup (kam.revenue._kam_revenue_stats and
_kam_prospects, what the daily job reads for each batch of accounts), with the
baseline in the same run.

Not a test: it measures. It builds the daily job's benchmark data
(``bench_kam_cron.build_data``: N accounts, about three won deals each over 18
months), has PostgreSQL analyze the tables as autovacuum does on a live database,
then times the lookups of batches of accounts two ways, alternately, batch after
batch:

- the engine: each source filters its documents on their own partner, among the
  batch's accounts and their people (``_kam_source_rows(source, partner_ids)``);
- the baseline: the same query with the batch filtered on the commercial partner
  only, as before (``_kam_source_rows`` ignoring ``partner_ids``), which leaves
  PostgreSQL free to read and hash every won deal to keep a batch's.

Both must find the same figures; the script says so. Everything happens in one
transaction that is rolled back: the database is left as it was.

    $ODOO_PYTHON benchmarks/bench_kam_revenue.py -d DB [--partners 100000]
        [--batches 20] [--batch-size 1000]

DB must have kam_management installed (scripts/run_tests.sh leaves one: kam_test).
"""

import argparse
import statistics
import time
from unittest.mock import patch

from bench_kam_cron import _today, analyze, build_data
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
    args = parser.parse_args()

    with odoo_env(args.database) as env:
        partners, deals = build_data(env, args.partners, 3, env.company)
        analyze(env, "res_partner", "crm_lead", "crm_stage")
        print(f"data: {len(partners)} accounts, {deals} won deals (analyzed)")
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
