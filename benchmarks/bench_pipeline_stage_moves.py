"""Benchmark: moving opportunities across KAM stages, batch write vs a per-record loop.

Run with the Odoo 18.0 python on a database where kam_pipeline_stages is installed:

    python benchmarks/bench_pipeline_stage_moves.py -d DB [-n 10000] [--naive 1000]

It creates the opportunities in "First Meeting Scheduled", ticks their
mandatory criteria and moves them to "First Meeting Held (25%)": once with one
``write`` on the whole recordset (the batch path: gating, checklist instantiation
and stage log are set-based) and once record by record (the naive loop, as N
separate RPC calls would). It prints the SQL queries per record
(``cr.sql_log_count``) and the time of each, then rolls back: nothing is left in
the database. Mail tracking is disabled for both runs so that the numbers
measure this addon, not crm's chatter.
"""

import argparse
import sys

from benchlib import odoo_env, run_counted


def _make_leads(env, count, stage, team, prefix):
    leads = env["crm.lead"].create(
        [
            {
                "name": f"{prefix} {index}",
                "type": "opportunity",
                "team_id": team.id,
                "stage_id": stage.id,
                "user_id": env.uid,
            }
            for index in range(count)
        ]
    )
    leads.kam_criterion_line_ids.filtered(lambda line: line.stage_id == stage).write(
        {"is_done": True}
    )
    env.flush_all()
    return leads


def _measure(env, func):
    env.invalidate_all()
    _result, queries, seconds = run_counted(env, func)
    return queries, seconds


def run(env, count, naive_count):
    ref = env.ref
    team = ref("kam_pipeline_stages.crm_team_key_accounts")
    first = ref("kam_pipeline_stages.crm_stage_kam_first_meeting")
    held = ref("kam_pipeline_stages.crm_stage_kam_meeting_held")
    Line = env["kam.lead.checklist.line"]

    batch = _make_leads(env, count, first, team, "Bench batch")
    queries, seconds = _measure(env, lambda: batch.write({"stage_id": held.id}))
    assert set(batch.mapped("stage_id.id")) == {held.id}
    lines = Line.search_count(
        [("lead_id", "in", batch.ids), ("stage_id", "=", held.id)]
    )
    per_stage = len(held.kam_checklist_template_ids)
    assert lines == count * per_stage, (lines, count, per_stage)
    batch_result = (count, queries, seconds)

    naive = _make_leads(env, naive_count, first, team, "Bench naive")

    def loop():
        for lead in naive:
            lead.write({"stage_id": held.id})
            env.flush_all()

    queries_n, seconds_n = _measure(env, loop)
    assert set(naive.mapped("stage_id.id")) == {held.id}
    naive_result = (naive_count, queries_n, seconds_n)
    return batch_result, naive_result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--count", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=1_000)
    args = parser.parse_args(argv)

    with odoo_env(args.database) as env:
        (n, q, s), (nn, qn, sn) = run(env, args.count, args.naive)
    print(
        f"batch write: {n} opportunities, {q} queries ({q / n:.3f}/record), "
        f"{s:.2f}s ({s / n * 1000:.2f} ms/record)"
    )
    print(
        f"naive loop:  {nn} opportunities, {qn} queries ({qn / nn:.2f}/record), "
        f"{sn:.2f}s ({sn / nn * 1000:.2f} ms/record)"
    )
    print(f"queries per record: batch {q / n:.3f} vs naive {qn / nn:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
