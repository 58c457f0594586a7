"""Benchmark of the directors' cockpit (kam.cockpit.get_cockpit_data): query count and
time at 10,000 and 100,000 accounts, in the same run, with every panel of the
installed KAM addons (revenue, pipeline, plan coverage and gaps, win/loss, movement,
heat map a quarter ago).

Not a test: it measures. The accounts come from bench_kam_cron's data builder (won
deals, messages); their KAM figures (tier, temperature, key account, next contact,
purchases, decline) are then set straight in SQL rather than by the daily job, which
bench_kam_cron measures. Done activities, meetings, daily cadence snapshots over six
months and cadence breaches are added in SQL too. Equal query counts at both sizes
mean the cockpit is bounded: its queries do not grow with the number of accounts.
Everything happens in one transaction that is rolled back.

    $ODOO_PYTHON benchmarks/bench_kam_cockpit.py -d DB [--sizes 10000,100000]

DB must have kam_management installed (scripts/run_tests.sh leaves one: kam_test).
"""

import argparse
import datetime
import time

from bench_kam_cron import build_data, per_company
from benchlib import odoo_env, run_counted


def add_kam_figures(env, partners):
    """Tiers with the pyramid's proportions (10% A, 20% B, 30% C, 40% D), every
    temperature, next contacts spread over four months around today (about a third
    overdue), purchases and declines; activities, meetings, snapshots, breaches."""
    cr = env.cr
    ids = partners.ids
    # The KAM fields are per company (one jsonb column, a value per company): the
    # current company's value of each.
    figures = {
        "kam_tier": "CASE WHEN p.id %% 10 = 0 THEN 'a' WHEN p.id %% 10 < 3 THEN 'b'"
        " WHEN p.id %% 10 < 6 THEN 'c' ELSE 'd' END",
        "kam_is_key_account": "(p.id %% 10 = 0)",
        "kam_temperature": "(ARRAY['hot', 'warm', 'mild', 'cool', 'cold', 'none'])"
        "[1 + p.id %% 6]",
        "kam_next_contact_date": "CURRENT_DATE + (p.id %% 120 - 40)",
        "kam_purchase_count_12m": "CASE WHEN p.id %% 10 < 6 THEN p.id %% 5 + 1"
        " ELSE 0 END",
        "kam_revenue_declining": "(p.id %% 13 = 0)",
        "kam_revenue_trend": "CASE WHEN p.id %% 13 = 0 THEN -30 ELSE 5 END",
        "kam_refresh_date": "CURRENT_DATE",
    }
    company = env.company.id
    if per_company(env):
        assignments = ", ".join(
            f"{name} = COALESCE({name}, '{{}}'::jsonb)"
            f" || jsonb_build_object('{company}', {value})"
            for name, value in figures.items()
        )
    else:
        assignments = ", ".join(f"{name} = {value}" for name, value in figures.items())
    cr.execute(
        f"UPDATE res_partner p SET {assignments} WHERE p.id = ANY(%s)",  # noqa: S608
        (ids,),
    )
    manager, next_contact = "p.kam_manager_id", "p.kam_next_contact_date"
    if per_company(env):
        manager = f"(p.kam_manager_id->>'{company}')::int"
        next_contact = f"(p.kam_next_contact_date->>'{company}')::date"
    call = env.ref("mail.mail_activity_data_call").id
    cr.execute(
        "INSERT INTO mail_message (model, res_id, message_type, mail_activity_type_id,"
        " date, body)"
        " SELECT 'res.partner', p, 'notification', %s,"
        " now() - (p %% 150) * interval '1 day', 'Call done'"
        " FROM unnest(%s::int[]) AS t(p)",
        (call, ids[::2]),
    )
    cr.execute(
        "INSERT INTO calendar_event (name, start, stop, duration, active, privacy,"
        " show_as, create_date, write_date)"
        " SELECT 'Bench meeting ' || p, now() - (p %% 150) * interval '1 day',"
        " now() - (p %% 150) * interval '1 day' + interval '1 hour', 1, true,"
        " 'public', 'busy', now(), now()"
        " FROM unnest(%s::int[]) AS t(p) RETURNING id",
        (ids[::5],),
    )
    events = [row[0] for row in cr.fetchall()]
    cr.execute(
        "INSERT INTO calendar_event_res_partner_rel (calendar_event_id, res_partner_id)"
        " SELECT e, p FROM unnest(%s::int[], %s::int[]) AS t(e, p)",
        (events, ids[::5][: len(events)]),
    )
    # Six months of daily snapshots, as the daily job leaves them.
    Snapshot = env["kam.cadence.snapshot"]
    today = datetime.date.today()
    Snapshot._kam_take_snapshot(today)
    cr.execute(
        """
        INSERT INTO kam_cadence_snapshot (date, manager_id, team_id, tier, company_id,
               account_count, compliant_count, overdue_count, compliance_rate)
        SELECT s.date - d, s.manager_id, s.team_id, s.tier, s.company_id,
               s.account_count, s.compliant_count - (d %% 3),
               s.overdue_count + (d %% 3), s.compliance_rate
          FROM kam_cadence_snapshot s, generate_series(1, 180) d
         WHERE s.date = %s AND s.compliant_count >= 2
            ON CONFLICT DO NOTHING
        """,
        (today,),
    )
    cr.execute(
        "INSERT INTO kam_account_history (partner_id, date, kind, old_value,"
        " new_value, old_label, new_label, cause, manager_id, company_id)"
        " SELECT p.id, now() - (p.id %% 180) * interval '1 day', 'cadence_breach',"
        f" 'in_time', 'overdue', 'in_time', 'overdue', 'refresh', {manager},"
        f" {company} FROM res_partner p"
        f" WHERE p.id = ANY(%s) AND {manager} IS NOT NULL"
        f" AND {next_contact} <= CURRENT_DATE",
        (ids,),
    )
    # Tier and temperature moves over the last four months: the movement panel and
    # the heat map a quarter ago read them.
    cr.execute(
        "INSERT INTO kam_account_history (partner_id, date, kind, old_value,"
        " new_value, old_label, new_label, cause, manager_id, company_id)"
        " SELECT p.id, now() - (p.id %% 120) * interval '1 day', k.kind,"
        f" k.old, k.new, k.old, k.new, 'refresh', {manager}, {company}"
        " FROM res_partner p, (VALUES ('tier', 'b', 'a'), ('tier', 'a', 'c'),"
        " ('quadrant', 'target', 'key'), ('temperature', 'cold', 'hot')) AS"
        " k(kind, old, new)"
        " WHERE p.id = ANY(%s) AND p.id %% 7 = 0",
        (ids,),
    )
    env.invalidate_all()


def measure(env, label, accounts, **kwargs):
    env.invalidate_all()
    data, queries, elapsed = run_counted(
        env, lambda: env["kam.cockpit"].get_cockpit_data(**kwargs)
    )
    print(
        f"{label:<30} {accounts:>8} accounts {elapsed:>7.2f} s {queries:>4} queries"
        f"  heat map {data['heat_map']['total']:>6}, risks {len(data['risks']):>3},"
        f" reps {len(data['compliance']['reps']):>2},"
        f" panels {','.join(panel['code'] for panel in data['panels'])}"
    )
    return queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--leads-per-partner", type=int, default=1)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    with odoo_env(args.database) as env:
        built = 0
        counts = []
        for size in sizes:
            started = time.perf_counter()
            partners, _deals = build_data(
                env, size - built, args.leads_per_partner, env.company, seed=size
            )
            env.cr.execute("DELETE FROM kam_cadence_snapshot")
            add_kam_figures(env, partners)
            built = size
            print(
                f"data: +{len(partners)} accounts (total {built}) built in "
                f"{time.perf_counter() - started:.1f} s"
            )
            if not counts:
                # The first call fills the caches (settings, xml ids, views): not
                # counted.
                measure(env, "cockpit, warm-up", built)
            for period in (90, 365):
                counts.append(
                    measure(
                        env,
                        f"cockpit, {period} days, key only",
                        built,
                        period_days=period,
                    )
                )
            counts.append(
                measure(env, "cockpit, 90 days, all tiers", built, key_only=False)
            )
        print(
            "bounded: the same query count at every size"
            if len(set(counts)) == 1
            else f"query counts differ: {counts}"
        )


if __name__ == "__main__":
    main()
