"""Benchmark of the daily KAM job against a naive per-record loop, in the same run.

Not a test: it measures. It builds N accounts with a year and a half of history (won
opportunities, messages, meetings are left out) straight in SQL, then times and counts
the SQL queries of

- the daily job as the cron runs it (``_cron_kam_daily`` batch after batch), on all N;
- a naive per-record loop (searches and writes account by account), on a sample;
- the daily job on that same sample, for a like-for-like comparison.

Everything happens in one transaction that is rolled back: the database is left as it
was. With ``--commit`` each batch is committed, as Odoo's cron runner does (what the
batches update no longer piles up in one transaction), and the data stays: use it on a
database made for it, as ``compare_kam_cron.py`` does.

    $ODOO_PYTHON benchmarks/bench_kam_cron.py -d DB [--partners 100000] [--sample 2000]
        [--companies 2]

DB must have kam_management installed (scripts/run_tests.sh leaves one: kam_test).
With ``--companies 2`` the accounts are shared by two companies (Odoo's default:
``company_id`` empty), each with its own deals, and the job refreshes every account
for each company: the rows counted are accounts x companies.

The script runs against the addons of any revision (company-dependent KAM fields or
not): ``benchmarks/compare_kam_cron.py`` runs it on a previous revision and on the
working tree, one after the other, for a side-by-side table.
"""

import argparse
import datetime
import random
import time

from benchlib import odoo_env, run_counted
from freezegun import freeze_time


def _today(env):
    # The job's "today" is the user's date, not the server's: use the same one.
    from odoo import fields

    return fields.Date.context_today(env["res.partner"])


def per_company(env):
    """Whether the KAM fields are per company (jsonb) in this revision."""
    return bool(env["res.partner"]._fields["kam_manager_id"].company_dependent)


def companies(env, count):
    """The current company and ``count - 1`` more."""
    result = env.company
    for index in range(1, count):
        result |= env["res.company"].create({"name": f"Bench Company {index + 1}"})
    return result


def build_data(env, partners, leads_per_partner, bench_companies, seed=42):
    """N companies, about ``leads_per_partner`` won deals each over 18 months (spread
    over ``bench_companies``), a third with a recent message, a manager for every other
    account. With one company the accounts belong to it, with more they are shared."""
    cr = env.cr
    rng = random.Random(seed)
    users = env["res.users"].search([("share", "=", False)], limit=5).ids
    won = env["crm.stage"].search([("is_won", "=", True)], limit=1).id
    comment = env.ref("mail.mt_comment").id
    company = env.company.id if len(bench_companies) == 1 else None
    manager = "(%s::int[])[1 + g %% %s]"
    if per_company(env):
        keys = ", ".join(f"'{c.id}', {manager}" for c in bench_companies)
        manager = f"jsonb_build_object({keys})"
    cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 company_id, create_date, write_date, kam_manager_id)
        SELECT 'Bench Co ' || g, 'Bench Co ' || g, true, true, 'contact', %s,
               now() - interval '2 years', now(),
               CASE WHEN g %% 2 = 0 THEN {manager} END
          FROM generate_series(1, %s) g
        RETURNING id
        """,
        (
            company,
            *[arg for _c in bench_companies for arg in (users, len(users))][
                : 2 * (len(bench_companies) if per_company(env) else 1)
            ],
            partners,
        ),
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (ids,)
    )
    # Deals: a heavy-tailed revenue distribution, so that every tier is populated.
    rows = []
    today = _today(env)
    for pid in ids:
        size = rng.paretovariate(1.3) * 1000
        for _ in range(rng.randint(0, 2 * leads_per_partner)):
            day = today - datetime.timedelta(days=rng.randint(1, 540))
            seller = bench_companies[rng.randrange(len(bench_companies))].id
            rows.append((pid, round(size * rng.uniform(0.5, 1.5), 2), day, seller))
    for start in range(0, len(rows), 50_000):
        chunk = rows[start : start + 50_000]
        cr.execute(
            "INSERT INTO crm_lead (name, type, active, partner_id, expected_revenue,"
            " stage_id, probability, date_closed, company_id, create_date, write_date)"
            " SELECT 'Bench deal', 'opportunity', true, p, r, %s, 100, d::timestamp,"
            " c, now(), now()"
            " FROM unnest(%s::int[], %s::numeric[], %s::date[], %s::int[])"
            " AS t(p, r, d, c)",
            (
                won,
                [r[0] for r in chunk],
                [r[1] for r in chunk],
                [r[2] for r in chunk],
                [r[3] for r in chunk],
            ),
        )
    messaged = ids[::3]
    cr.execute(
        "INSERT INTO mail_message (model, res_id, message_type, subtype_id, date, body)"
        " SELECT 'res.partner', p, 'comment', %s,"
        " now() - (p %% 120) * interval '1 day', 'Call'"
        " FROM unnest(%s::int[]) AS t(p)",
        (comment, messaged),
    )
    # As in production, the planner knows the tables (autovacuum would analyze them).
    analyze(env, "res_partner", "crm_lead", "mail_message")
    env.invalidate_all()
    return env["res.partner"].browse(ids), len(rows)


def analyze(env, *tables):
    """ANALYZE the tables that exist (in this revision), as autovacuum would after
    a day's writes: the planner sees the rows of this very transaction too."""
    for table in tables:
        env.cr.execute("SELECT to_regclass(%s)", (table,))
        if env.cr.fetchone()[0]:
            env.cr.execute(f"ANALYZE {table}")


def reset(env, partners, bench_companies):
    env.cr.execute(
        "UPDATE res_partner SET kam_refresh_date = NULL, kam_last_contact_date = NULL"
        " WHERE id = ANY(%s)",
        (partners.ids,),
    )
    env.cr.execute(
        "DELETE FROM mail_activity WHERE res_model = 'res.partner' AND res_id = "
        "ANY(%s)",
        (partners.ids,),
    )
    bench_companies.kam_benchmark_date = False
    if "kam_refresh_cursor_date" in env["res.company"]._fields:
        # The job's position of the day goes with the refresh dates.
        bench_companies.kam_refresh_cursor_date = False
    env.invalidate_all()


def measure(env, label, function, rows):
    batches, queries, elapsed = run_counted(env, function)
    result = {
        "label": label,
        "rows": rows,
        "seconds": elapsed,
        "rows_per_second": rows / elapsed if elapsed else float("inf"),
        "queries": queries,
        "queries_per_row": queries / rows if rows else 0,
        "batches": batches,
    }
    print(
        f"{label:<34} {rows:>8} rows {elapsed:>8.2f} s "
        f"{result['rows_per_second']:>9.0f} rows/s "
        f"{queries:>8} queries {result['queries_per_row']:>6.2f} q/row"
        + (f" {queries / batches:>7.1f} q/batch" if batches else "")
    )
    return result


def job(env, domain_ids, batch_size, bench_companies, commit=False):
    """The cron's loop, restricted to the given accounts (the others are marked
    fresh, in every company). ``commit``: a commit after every batch, as Odoo's cron
    runner does."""
    partner = env["res.partner"]
    today = _today(env)
    fresh = "%s::date"
    if per_company(env):
        keys = ", ".join(f"'{c.id}', %s::date" for c in env["res.company"].search([]))
        fresh = f"jsonb_build_object({keys})"
    env.cr.execute(
        f"UPDATE res_partner SET kam_refresh_date = {fresh} WHERE parent_id IS NULL "
        "AND NOT id = ANY(%s)",
        (*[today] * fresh.count("%s"), domain_ids),
    )
    env.invalidate_all()
    batches = 0
    while True:
        batches += 1
        remaining = partner._cron_kam_daily(batch_size=batch_size)
        if commit:
            env.cr.commit()
        if not remaining:
            return batches


def naive(env, partners):
    """What one writes first: a search per account and per source, a write per
    account."""
    from odoo.addons.kam_management.logic import cadence, tiering

    today = _today(env)
    start = today - datetime.timedelta(days=365)
    company = env.company
    lead_model = env["crm.lead"]
    for partner in partners:
        leads = lead_model.search(
            [
                ("partner_id", "child_of", partner.id),
                ("stage_id.is_won", "=", True),
                ("date_closed", ">=", start),
            ]
        )
        revenue = sum(leads.mapped("expected_revenue"))
        last = env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)],
            order="date desc",
            limit=1,
        )
        tier = tiering.compute_tier(revenue, company.kam_benchmark_revenue)
        partner.write(
            {
                "kam_revenue_12m": revenue,
                "kam_tier_computed": tier,
                "kam_last_contact_date": last.date.date() if last else False,
                "kam_refresh_date": today,
            }
        )
        due = cadence.next_contact_date(
            partner.kam_last_contact_date, cadence.cadence_days(tier), today
        )
        if partner.kam_manager_id and cadence.is_overdue(due, today):
            if not env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
            ):
                partner.activity_schedule(
                    "mail.mail_activity_data_call", user_id=partner.kam_manager_id.id
                )
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--leads-per-partner", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--companies", type=int, default=1)
    parser.add_argument(
        "--skip-naive", action="store_true", help="only the daily job on all accounts"
    )
    parser.add_argument(
        "--commit",
        action="store_true",
        help="commit after every batch, as the cron runner does: what a batch "
        "updated is then out of the way of the next (pruned, HOT updates), but the "
        "data stays; only on a database made for the benchmark "
        "(compare_kam_cron.py makes its own)",
    )
    args = parser.parse_args()

    with odoo_env(args.database) as env:
        started = time.perf_counter()
        bench_companies = companies(env, args.companies)
        partners, deals = build_data(
            env, args.partners, args.leads_per_partner, bench_companies
        )
        kept = "committed with the batches" if args.commit else "rolled back at the end"
        print(
            f"data: {len(partners)} accounts, {deals} won deals, "
            f"{len(bench_companies)} compan{'y' if args.companies == 1 else 'ies'}"
            f" ({'per-company' if per_company(env) else 'one set of'} KAM fields), "
            f"built in {time.perf_counter() - started:.1f} s ({kept})"
        )

        def run(ids):
            return job(env, ids, args.batch_size, bench_companies, args.commit)

        # Each account is refreshed once per company that may see it.
        per_account = len(bench_companies) if per_company(env) else 1
        sample = partners[: args.sample]
        if not args.skip_naive:
            # The benchmark first: the naive loop reads it, it does not compute it.
            env["res.company"].browse(env.company.id)._kam_refresh_benchmarks(
                _today(env), force=True
            )
            reset(env, partners, bench_companies)
            measure(
                env,
                "naive per-record loop (sample)",
                lambda: naive(env, sample),
                len(sample),
            )
            reset(env, partners, bench_companies)
            measure(
                env,
                "daily job (same sample)",
                lambda: run(sample.ids),
                len(sample) * per_account,
            )
        reset(env, partners, bench_companies)
        measure(
            env,
            f"daily job (all {len(partners)})",
            lambda: run(partners.ids),
            len(partners) * per_account,
        )
        # The next day: what every day after the first costs (few moves to record,
        # the reminders already open). Overnight, autovacuum has analyzed what the
        # first run wrote (without it the planner takes the first run's open
        # activities for none and scans them all for every batch).
        analyze(
            env, "res_partner", "mail_activity", "mail_followers", "kam_account_history"
        )
        with freeze_time(_today(env) + datetime.timedelta(days=1), tick=True):
            measure(
                env,
                "daily job, next day (all)",
                lambda: run(partners.ids),
                len(partners) * per_account,
            )


if __name__ == "__main__":
    main()
