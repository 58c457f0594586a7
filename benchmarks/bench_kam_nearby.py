"""Benchmark of "worth visiting nearby" (kam.territory._kam_nearby): one SQL query
and its time among 100,000 accounts with coordinates, and the query plan (EXPLAIN)
showing the index on the coordinates at work.

Not a test: it measures. The accounts are built straight in SQL, spread over a
700 x 550 km region (about 0.26 accounts per km², some 700 within a 30 km radius),
each with a city of 200 and a state of 10; a tier for a third, a next contact date
around today, a manager for some. Then, for a sample of origins, the nearby search as
a rep would run it. Everything happens in one transaction that is rolled back: the
database is left as it was.

    $ODOO_PYTHON benchmarks/bench_kam_nearby.py -d DB [--partners 100000]
        [--origins 20] [--radius 30]

DB must have kam_management installed (scripts/run_tests.sh leaves one: kam_test).
"""

import argparse
import statistics
import time

from benchlib import odoo_env, run_counted


def build_data(env, partners, seed=42):
    """``partners`` companies of the current company with coordinates, city, state
    and KAM figures of the current company (jsonb, as the daily job writes them)."""
    cr = env.cr
    company = str(env.company.id)
    country = env.ref("base.fr").id
    states = env["res.country.state"].search([("country_id", "=", country)], limit=10)
    state_ids = states.ids or [None]
    users = env["res.users"].search([("share", "=", False)], limit=5).ids
    cr.execute("SELECT setseed(%s)", (seed / 100.0,))
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 company_id, country_id, state_id, city,
                                 partner_latitude, partner_longitude,
                                 kam_tier, kam_next_contact_date, kam_quadrant,
                                 kam_manager_id, kam_is_lookalike,
                                 create_date, write_date)
        SELECT 'Bench Co ' || g, 'Bench Co ' || g, true, true, 'contact',
               %(company_id)s, %(country)s, (%(states)s::int[])[1 + g %% %(nstates)s],
               'City ' || (g %% 200), 43.0 + random() * 7.0, -1.0 + random() * 7.0,
               CASE WHEN g %% 3 = 0 THEN jsonb_build_object(%(company)s,
                    (ARRAY['a', 'b', 'c', 'd'])[1 + g %% 4]) END,
               jsonb_build_object(%(company)s,
                    to_char(CURRENT_DATE + (g %% 120 - 40), 'YYYY-MM-DD')),
               CASE WHEN g %% 5 = 0 THEN jsonb_build_object(%(company)s,
                    (ARRAY['key', 'target', 'maintain', 'low_profile'])[1 + g %% 4])
               END,
               CASE WHEN g %% 7 = 0 THEN jsonb_build_object(%(company)s,
                    (%(users)s::int[])[1 + g %% %(nusers)s]) END,
               CASE WHEN g %% 11 = 0 THEN jsonb_build_object(%(company)s, true) END,
               now(), now()
          FROM generate_series(1, %(partners)s) g
        RETURNING id
        """,
        {
            "company_id": env.company.id,
            "company": company,
            "country": country,
            "states": state_ids,
            "nstates": len(state_ids),
            "users": users,
            "nusers": len(users),
            "partners": partners,
        },
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (ids,)
    )
    # The planner sees the new rows (ANALYZE runs inside the transaction).
    cr.execute("ANALYZE res_partner")
    env.invalidate_all()
    return env["res.partner"].browse(ids)


def capture_queries(cr):
    """Record every query the cursor runs: (query, params)."""
    captured = []
    original = cr.execute

    def spy(query, params=None, log_exceptions=True):
        captured.append((query, params))
        return original(query, params, log_exceptions)

    cr.execute = spy
    return captured, original


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--origins", type=int, default=20)
    parser.add_argument("--radius", type=float, default=30.0)
    args = parser.parse_args()
    from odoo import fields
    from odoo.tools import SQL

    with odoo_env(args.database) as env:
        started = time.perf_counter()
        accounts = build_data(env, args.partners)
        print(
            f"built {len(accounts)} accounts in {time.perf_counter() - started:.1f} s"
        )
        env.company.kam_nearby_km = args.radius
        rep = env["res.users"].search([("share", "=", False)], limit=1)
        territory = env["kam.territory"].with_user(rep)
        today = fields.Date.context_today(territory)
        step = max(1, len(accounts) // args.origins)
        origins = accounts[::step][: args.origins]
        # Warm the caches (the user's groups, the company, the rules): a search
        # is then its one query.
        territory._kam_nearby(accounts[1], today)
        times, counts, found = [], [], []
        for origin in origins:
            # The origin's own position is read beforehand (the meeting's account,
            # in cache when the day plan asks): the count is the search's.
            origin.fetch(
                [
                    "partner_latitude",
                    "partner_longitude",
                    "city",
                    "country_id",
                    "state_id",
                    "commercial_partner_id",
                ]
            )
            rows, queries, elapsed = run_counted(
                env, lambda origin=origin: territory._kam_nearby(origin, today)
            )
            times.append(elapsed)
            counts.append(queries)
            found.append(len(rows))
        print(
            f"nearby among {len(accounts)} accounts, radius {args.radius} km, "
            f"{len(origins)} origins: "
            f"median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms, "
            f"queries per search {sorted(set(counts))}, "
            f"suggestions per search {min(found)}-{max(found)}"
        )
        # The plan of the one query.
        origin = origins[0]
        captured, original = capture_queries(env.cr)
        territory._kam_nearby(origin, today)
        env.cr.execute = original
        query, params = [
            (q, p) for q, p in captured if "WITH near AS MATERIALIZED" in str(q)
        ][-1]
        if isinstance(query, SQL):
            explain = SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) %s", query)
            env.cr.execute(explain)
        else:
            env.cr.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + query, params)
        plan = "\n".join(row[0] for row in env.cr.fetchall())
        print(plan)
        print(
            "index on the coordinates used:",
            "res_partner_kam_position_index" in plan,
        )


if __name__ == "__main__":
    main()
