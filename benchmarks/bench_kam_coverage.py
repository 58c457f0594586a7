"""Benchmark of the relationship coverage map (docs/METHOD.md#coverage): the map of N
key accounts and the cockpit's coverage figures, query count and time at 1,000 and
10,000 accounts in the same run.

Not a test: it measures. It builds the largest size straight in SQL: key accounts
(tier A or B, per-company KAM fields), three contacts each (an executive, a manager,
a buyer), and a year of interactions between five internal users and them: logged
calls and e-mails sent by our people, e-mails received from theirs, and meetings both
attend. Equal query counts at both sizes mean the map is set-based: its queries do not
grow with the number of accounts. Everything happens in one transaction that is
rolled back.

    $ODOO_PYTHON benchmarks/bench_kam_coverage.py -d DB [--sizes 1000,10000]

DB must have kam_management installed (with kam_account_plan the map also reads the
plans' stakeholder roles and teams).
"""

import argparse
import random
import time

from benchlib import odoo_env, print_measure, run_counted


def build_data(env, size, seed=13):
    cr = env.cr
    rng = random.Random(seed)
    company = env.company.id
    users = env["res.users"].search(
        [("share", "=", False), ("company_ids", "in", company)], limit=5
    )
    user_partners = users.partner_id.ids
    key = f"'{company}'"
    cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                 company_id, create_date, write_date, kam_manager_id,
                                 kam_tier, kam_is_key_account, kam_cadence_days)
        SELECT 'Coverage Co ' || g, 'Coverage Co ' || g, true, true, 'contact', NULL,
               now() - interval '2 years', now(),
               jsonb_build_object({key}, (%s::int[])[1 + g %% %s]),
               jsonb_build_object({key}, CASE WHEN g %% 3 = 0 THEN 'a' ELSE 'b' END),
               jsonb_build_object({key}, true),
               jsonb_build_object({key}, CASE WHEN g %% 3 = 0 THEN 30 ELSE 90 END)
          FROM generate_series(1, %s) g
        RETURNING id
        """,
        (users.ids, len(users), size),
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (ids,)
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, parent_id, commercial_partner_id,
                                 function, is_company, active, type, create_date,
                                 write_date)
        SELECT 'Person ' || a || '-' || f.n, 'Person ' || a || '-' || f.n, a, a,
               f.function, false, true, 'contact', now(), now()
          FROM unnest(%s::int[]) AS t(a)
         CROSS JOIN (VALUES (1, 'CEO'), (2, 'Purchasing Manager'), (3, 'Buyer'))
               AS f(n, function)
        RETURNING id, parent_id
        """,
        (ids,),
    )
    contacts = {}
    for contact, account in cr.fetchall():
        contacts.setdefault(account, []).append(contact)
    call = env.ref("mail.mail_activity_data_call").id
    comment = env.ref("mail.mt_comment").id
    activities = env.ref("mail.mt_activities").id
    messages, received, meetings = [], [], []
    for index, account in enumerate(ids):
        theirs = contacts[account]
        # A third hangs on one thread (one of ours, one of theirs), the others are
        # spread over several people.
        ours = user_partners[index % len(user_partners) :][:1]
        if index % 3:
            ours = rng.sample(user_partners, min(3, len(user_partners)))
            theirs_used = theirs
        else:
            theirs_used = theirs[:1]
        for _ in range(12):
            messages.append(
                (
                    rng.choice(theirs_used),
                    rng.choice(ours),
                    rng.randint(1, 365),
                    rng.random() < 0.5,
                )
            )
        for _ in range(4):
            received.append(
                (rng.choice(theirs_used), rng.choice(ours), rng.randint(1, 365))
            )
        for _ in range(2):
            meetings.append(
                (rng.choice(theirs_used), rng.choice(ours), rng.randint(1, 365))
            )
    for start in range(0, len(messages), 50_000):
        chunk = messages[start : start + 50_000]
        cr.execute(
            "INSERT INTO mail_message (model, res_id, author_id, message_type,"
            " subtype_id, mail_activity_type_id, date, body)"
            " SELECT 'res.partner', r, a, CASE WHEN c THEN 'notification'"
            " ELSE 'email' END, CASE WHEN c THEN %s ELSE %s END,"
            " CASE WHEN c THEN %s END, now() - d * interval '1 day', 'Coverage'"
            " FROM unnest(%s::int[], %s::int[], %s::int[], %s::bool[])"
            " AS t(r, a, d, c)",
            (
                activities,
                comment,
                call,
                [m[0] for m in chunk],
                [m[1] for m in chunk],
                [m[2] for m in chunk],
                [m[3] for m in chunk],
            ),
        )
    for start in range(0, len(received), 50_000):
        chunk = received[start : start + 50_000]
        cr.execute(
            "WITH new AS (INSERT INTO mail_message (model, res_id, author_id,"
            " message_type, subtype_id, date, body)"
            " SELECT 'res.partner', r, r, 'email', %s, now() - d * interval '1 day',"
            " 'To ' || o FROM unnest(%s::int[], %s::int[], %s::int[]) AS t(r, o, d)"
            " RETURNING id, body)"
            " INSERT INTO mail_message_res_partner_rel"
            " (mail_message_id, res_partner_id)"
            " SELECT id, substr(body, 4)::int FROM new",
            (
                comment,
                [m[0] for m in chunk],
                [m[1] for m in chunk],
                [m[2] for m in chunk],
            ),
        )
    for start in range(0, len(meetings), 50_000):
        chunk = meetings[start : start + 50_000]
        cr.execute(
            "WITH ev AS (INSERT INTO calendar_event (name, start, stop, duration,"
            " active, privacy, show_as, create_date, write_date)"
            " SELECT t || ',' || o, now() - d * interval '1 day',"
            " now() - d * interval '1 day' + interval '1 hour', 1, true, 'public',"
            " 'busy', now(), now()"
            " FROM unnest(%s::int[], %s::int[], %s::int[]) AS x(t, o, d)"
            " RETURNING id, name)"
            " INSERT INTO calendar_event_res_partner_rel (calendar_event_id,"
            " res_partner_id)"
            " SELECT id, split_part(name, ',', 1)::int FROM ev UNION ALL"
            " SELECT id, split_part(name, ',', 2)::int FROM ev",
            ([m[0] for m in chunk], [m[1] for m in chunk], [m[2] for m in chunk]),
        )
    for table in (
        "res_partner",
        "mail_message",
        "mail_message_res_partner_rel",
        "calendar_event",
        "calendar_event_res_partner_rel",
    ):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return env["res.partner"].browse(ids), len(messages) + len(received), len(meetings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    with odoo_env(args.database) as env:
        started = time.perf_counter()
        accounts, messages, meetings = build_data(env, sizes[-1])
        print(
            f"data: {len(accounts)} key accounts, {3 * len(accounts)} contacts, "
            f"{messages} messages and calls, {meetings} meetings over a year, built in "
            f"{time.perf_counter() - started:.1f} s (rolled back at the end)"
        )
        coverage = env["kam.coverage"]
        cockpit = env["kam.cockpit"]
        for size in sizes:
            sample = accounts[:size]
            env.invalidate_all()
            summaries, queries, elapsed = run_counted(
                env, lambda sample=sample: coverage._kam_coverage(sample)
            )
            classes = {}
            for summary in summaries.values():
                classes[summary["klass"]] = classes.get(summary["klass"], 0) + 1
            print_measure(
                "coverage map (180 days)",
                size,
                "accounts",
                elapsed,
                queries,
                f"  {classes}",
            )
            env.invalidate_all()
            (single, silent), queries, elapsed = run_counted(
                env, lambda sample=sample: coverage._kam_coverage_risks(sample)
            )
            print_measure(
                "cockpit coverage risks",
                size,
                "accounts",
                elapsed,
                queries,
                f"  single-threaded {len(single)}",
            )
            domain = [("id", "in", sample.ids)]
            env.invalidate_all()
            counts, queries, elapsed = run_counted(
                env, lambda domain=domain: cockpit._kam_cockpit_risk_counts(domain)
            )
            print_measure(
                "cockpit risk counts (all kinds)",
                size,
                "accounts",
                elapsed,
                queries,
                "  " + ", ".join(f"{c['code']} {c['count']}" for c in counts),
            )


if __name__ == "__main__":
    main()
