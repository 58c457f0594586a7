"""Benchmark of the account plan review job against a naive per-plan loop.

Not a test: it measures. It builds N key accounts (SQL) and one active plan each whose
quarterly review is due (ORM, in one create), then times and counts the SQL queries of

- the review job as the cron runs it (``_cron_schedule_reviews`` batch after batch);
- a naive per-plan loop: ``activity_search`` then ``activity_schedule`` plan by plan;
- the job run a second time (nothing to do: it is idempotent).

Everything happens in one transaction that is rolled back: the database is left as
it was.

    $ODOO_PYTHON benchmarks/bench_account_plan_review_cron.py -d DB [--plans 2000]

DB must have kam_account_plan installed (scripts/run_tests.sh leaves one).
"""

import argparse
import datetime
import time

from benchlib import odoo_env, print_measure, run_counted

REVIEW_TYPE = "kam_account_plan.mail_activity_type_plan_review"


def build_plans(env, count):
    cr = env.cr
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 company_id, create_date, write_date)
        SELECT 'Plan Bench ' || g, 'Plan Bench ' || g, true, true, 'contact', %s,
               now(), now()
          FROM generate_series(1, %s) g
        RETURNING id
        """,
        (env.company.id, count),
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (ids,)
    )
    env.invalidate_all()
    start = datetime.date.today() - datetime.timedelta(days=120)
    return env["kam.account.plan"].create(
        [
            {
                "partner_id": partner_id,
                "date_start": start,
                "date_end": start + datetime.timedelta(days=364),
                "state": "active",
                "review_cadence": "quarterly",
                "evaluation_ids": [],
            }
            for partner_id in ids
        ]
    )


def clear_reviews(env, plans):
    env["mail.activity"].search(
        [("res_model", "=", plans._name), ("res_id", "in", plans.ids)]
    ).unlink()
    env.flush_all()


def job(env, batch_size):
    batches = 0
    Plan = env["kam.account.plan"]
    while Plan._plans_needing_review_activity():
        Plan._cron_schedule_reviews(batch_size=batch_size)
        batches += 1
    return batches


def naive(env, plans):
    activity_type = env.ref(REVIEW_TYPE)
    for plan in plans:
        if plan.next_review_date > datetime.date.today():
            continue
        if not plan.activity_search([REVIEW_TYPE]):
            plan.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=plan.next_review_date,
                summary="Review the account plan",
                user_id=(plan.reviewer_id or plan.user_id).id,
            )
    return len(plans)


def measure(env, label, function, rows):
    batches, queries, elapsed = run_counted(env, function)
    print_measure(label, rows, "plans", elapsed, queries, f", {batches} batch(es)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()

    with odoo_env(args.database) as env:
        started = time.perf_counter()
        plans = build_plans(env, args.plans)
        print(
            f"data: {len(plans)} active plans due for review, built in "
            f"{time.perf_counter() - started:.1f} s (rolled back at the end)"
        )
        measure(env, "naive per-plan loop", lambda: naive(env, plans), len(plans))
        clear_reviews(env, plans)
        measure(env, "review job", lambda: job(env, args.batch_size), len(plans))
        measure(env, "review job again (no-op)", lambda: job(env, 1), len(plans))


if __name__ == "__main__":
    main()
