"""Benchmark of the plan figures (pipeline, actuals, win/loss) against naive loops.

Not a test: it measures. It builds N key accounts (SQL) with one active plan each (ORM,
in one create), OPPS open opportunities and one won deal per account, and a competitor
line per plan with deals lost to and won against it (SQL), then times and counts the SQL
queries of

- ``_refresh_plan_figures`` (one pipeline query for all plans, one revenue call per
  company and period) against a naive loop (a lead search and a revenue call per plan);
- the win/loss figures of all competitor lines (two grouped reads) against a naive
  loop (four counts per line).

Everything happens in one transaction that is rolled back: the database is left as
it was.

    $ODOO_PYTHON benchmarks/bench_account_plan_figures.py -d DB [--plans 1000]

DB must have kam_account_plan installed (scripts/run_tests.sh leaves one).
"""

import argparse
import datetime
import time

from benchlib import odoo_env, print_measure, run_counted


def build(env, count, opportunities):
    cr = env.cr
    company = env.company.id
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 company_id, create_date, write_date)
        SELECT 'Figures Bench ' || g, 'Figures Bench ' || g, true, true, 'contact',
               %s, now(), now()
          FROM generate_series(1, %s + 1) g
        RETURNING id
        """,
        (company, count),
    )
    ids = [row[0] for row in cr.fetchall()]
    competitor, ids = ids[0], ids[1:]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        (ids + [competitor],),
    )
    open_stage = env["crm.stage"].search([("is_won", "=", False)], limit=1).id
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1).id
    reason = env["crm.lost.reason"].search([], limit=1).id
    today = datetime.date.today()
    # open pipeline, a won deal and a deal lost to the competitor per account
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, partner_id, company_id, stage_id, active,
                              expected_revenue, probability, date_deadline,
                              kam_lost_to_id, lost_reason_id, date_closed,
                              create_date, write_date)
        SELECT 'Bench deal', 'opportunity', p, %(company)s, %(open)s, true,
               1000 * o, 10 * (o %% 10), %(today)s::date + o, NULL::int, NULL::int,
               NULL::timestamp, now(), now()
          FROM unnest(%(ids)s) p, generate_series(1, %(opps)s) o
        UNION ALL
        SELECT 'Bench won', 'opportunity', p, %(company)s, %(won)s, true, 5000, 100,
               NULL, NULL, NULL, now() - interval '1 day', now(), now()
          FROM unnest(%(ids)s) p
        UNION ALL
        SELECT 'Bench lost', 'opportunity', p, %(company)s, %(open)s, false, 7000, 0,
               NULL, %(competitor)s, %(reason)s, NULL, now(), now()
          FROM unnest(%(ids)s) p
        RETURNING id, name
        """,
        {
            "company": company,
            "open": open_stage,
            "won": won_stage,
            "today": today,
            "ids": ids,
            "opps": opportunities,
            "competitor": competitor,
            "reason": reason,
        },
    )
    won_ids = [lead_id for lead_id, name in cr.fetchall() if name == "Bench won"]
    cr.execute(
        """
        INSERT INTO kam_crm_lead_competitor_rel (lead_id, partner_id)
        SELECT unnest(%s::int[]), %s
        """,
        (won_ids, competitor),
    )
    env.invalidate_all()
    start = today - datetime.timedelta(days=120)
    plans = env["kam.account.plan"].create(
        [
            {
                "partner_id": partner_id,
                "date_start": start,
                "date_end": start + datetime.timedelta(days=364),
                "state": "active",
                "evaluation_ids": [],
                "competitor_ids": [
                    (0, 0, {"name": "Rival", "competitor_partner_id": competitor})
                ],
            }
            for partner_id in ids
        ]
    )
    return plans


def naive_figures(env, plans):
    partners = env["res.partner"]
    leads = env["crm.lead"]
    today = datetime.date.today()
    for plan in plans:
        account = plan.partner_id.commercial_partner_id
        opportunities = leads.search(
            [
                ("partner_id", "child_of", account.ids),
                ("type", "=", "opportunity"),
                ("stage_id.is_won", "=", False),
                ("company_id", "=", plan.company_id.id),
                "|",
                ("date_deadline", "=", False),
                "&",
                ("date_deadline", ">=", plan.date_start),
                ("date_deadline", "<=", plan.date_end),
            ]
        )
        plan.pipeline_weighted = sum(
            lead.expected_revenue * lead.probability / 100 for lead in opportunities
        )
        plan.actual_to_date = partners._kam_revenue_by_partner(
            plan.date_start, min(today, plan.date_end), partner_ids=account.ids
        ).get(account.id, 0.0)
    return 1


def naive_win_loss(env, lines):
    leads = env["crm.lead"].with_context(active_test=False)
    result = {}
    for line in lines:
        competitor = line.competitor_partner_id
        account = line.plan_id.partner_id
        lost = line._lost_to_domain(competitor)
        won = line._won_against_domain(competitor)
        here = [("partner_id", "child_of", account.ids)]
        result[line.id] = (
            leads.search_count(lost + here),
            leads.search_count(lost),
            leads.search_count(won + here),
            leads.search_count(won),
        )
    return 1


def set_based_win_loss(env, lines):
    # browsed afresh: the prefetching of the lines is the one of a plan list
    env["kam.account.plan.competitor"].browse(lines.ids).mapped("lost_count")
    return 1


def measure(env, label, function, rows):
    _result, queries, elapsed = run_counted(env, function)
    print_measure(label, rows, "rows", elapsed, queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--opportunities", type=int, default=5)
    args = parser.parse_args()

    with odoo_env(args.database) as env:
        started = time.perf_counter()
        plans = build(env, args.plans, args.opportunities)
        lines = plans.competitor_ids
        print(
            f"data: {len(plans)} active plans, {args.opportunities} open "
            f"opportunities, a won and a lost deal per account, built in "
            f"{time.perf_counter() - started:.1f} s (rolled back at the end)"
        )
        env.invalidate_all()
        measure(
            env, "naive figures loop", lambda: naive_figures(env, plans), len(plans)
        )
        env.invalidate_all()
        measure(env, "_refresh_plan_figures", plans._refresh_plan_figures, len(plans))
        env.invalidate_all()
        measure(
            env, "naive win/loss loop", lambda: naive_win_loss(env, lines), len(lines)
        )
        measure(
            env,
            "win/loss (2 read_groups)",
            lambda: set_based_win_loss(env, lines),
            len(lines),
        )


if __name__ == "__main__":
    main()
