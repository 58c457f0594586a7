"""Benchmark of two ways to store per-company KAM figures of shared customers.

Not a test: it measures. Plain PostgreSQL through psycopg2, no Odoo: it creates a
scratch database (``--db``, dropped at the end unless ``--keep``), loads N shared
partners with figures for each of C companies, runs VACUUM ANALYZE, then times for
company 2 the SQL that Odoo 18 sends for each design:

- A "jsonb": Odoo 18's ``company_dependent`` storage. Each figure (kam_tier,
  kam_temperature, kam_revenue_12m, kam_next_contact_date, kam_manager_id,
  kam_refresh_date) is a jsonb column of ``res_partner`` holding
  ``{"<company_id>": value}`` (no key where the value is empty), with Odoo's
  ``btree (col) WHERE col IS NOT NULL`` index on each. Reads go through
  ``(col->'2'->>0)::type`` (the many2one through an existence sub-select on
  res_users), conditions get Odoo's extra ``col IS NOT NULL``, and writes are
  Odoo's ``UPDATE ... SET col = (SELECT jsonb_object_agg(...) FROM jsonb_each(...)
  JOIN jsonb_each(fallbacks) ...) FROM (VALUES ...) AS "__tmp"`` merge.
- B "table": a ``kam_account`` table, one row per (partner, company), the same
  figures as typed columns, UNIQUE(partner_id, company_id) and indexes on
  (company_id, kam_tier), (company_id, kam_temperature), (company_id,
  kam_next_contact_date), (company_id, kam_manager_id); the partner table has no
  KAM column. Writes are ``UPDATE kam_account ... FROM (VALUES ...) WHERE
  partner_id = v.partner_id AND company_id = 2``.

The partner table is the same in both (about twenty typical res_partner columns and
Odoo's indexes on name, complete_name, parent_id, ref, vat, company_id and
commercial_partner_id). Writes are sent as Odoo's ``_write_multi`` sends them: one
UPDATE per 100 rows (UPDATE_BATCH_SIZE), each setting write_uid and write_date too
(kam_account has Odoo's four log columns), and a commit per batch of 1,000 as the
daily job does; every write rewrites all six figures with new values. A and B write
batch after batch in turn (each going first every other batch), so that a busy
machine slows both alike. Autovacuum is off on these tables so that it cannot run in
the middle of a measure; VACUUM runs before each full refresh, as the nightly
autovacuum would between two daily refreshes.

Measured (median of the repeats; client-side wall time, socket round trips
included):

1. a refresh batch: all figures of 1,000 accounts, over 10 different batches;
2. the full daily refresh of all N accounts of company 2 in batches of 1,000;
3. a list filter: count of tier 'a' accounts;
4. the heat map / kanban: counts grouped by (tier, temperature);
5. overdue: count with next contact before today and a manager set;
6. one list page: 80 partners ordered by name with their company-2 figures (search,
   then read; B reads the figures from kam_account in a third query);
7. sizes (pg_total_relation_size: heap, TOAST and indexes).

    python3 benchmarks/bench_company_storage.py [--partners 100000] [--companies 2]
                                                [--db kam_bench_storage] [--keep]
"""

import argparse
import datetime
import json
import os
import statistics
import time

import psycopg2
from psycopg2.extras import Json

COMPANY = 2  # the company measured
BATCH = 1000  # accounts per batch of the daily job (one commit each)
UPDATE_BATCH_SIZE = 100  # rows per UPDATE statement, as odoo.models does
BATCH_RUNS = 10  # measure 1: batches timed
FULL_RUNS = 5  # measure 2: full refreshes timed
READ_REPEAT = 11  # measures 3-6: timed runs after one warm-up run
PAGE = 80  # measure 6: rows of a list page
MANAGERS = 50
TEMPERATURES = ("hot", "warm", "mild", "cool", "cold", "none")
FIGURES = (
    # name, SQL type in B and in Odoo's jsonb reads
    ("kam_tier", "varchar"),
    ("kam_temperature", "varchar"),
    ("kam_revenue_12m", "float8"),
    ("kam_next_contact_date", "date"),
    ("kam_manager_id", "int4"),
    ("kam_refresh_date", "date"),
)
SCHEMA_A, SCHEMA_B = "design_jsonb", "design_table"

PARTNER_COLUMNS = """
    id serial PRIMARY KEY,
    name varchar NOT NULL,
    complete_name varchar,
    company_id int4,
    parent_id int4,
    commercial_partner_id int4,
    create_uid int4,
    create_date timestamp,
    write_uid int4,
    write_date timestamp,
    type varchar,
    ref varchar,
    lang varchar,
    tz varchar,
    vat varchar,
    website varchar,
    comment text,
    street varchar,
    zip varchar,
    city varchar,
    state_id int4,
    country_id int4,
    email varchar,
    phone varchar,
    is_company bool,
    active bool,
    customer_rank int4,
    supplier_rank int4
"""
PARTNER_INDEXED = (
    "name",
    "complete_name",
    "parent_id",
    "ref",
    "vat",
    "company_id",
    "commercial_partner_id",
)


# -- database -----------------------------------------------------------------------


def admin_execute(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def drop_database(name):
    admin_execute(f'DROP DATABASE IF EXISTS "{name}"')


def connect(database, schema):
    conn = psycopg2.connect(dbname=database, options=f"-c search_path={schema},public")
    conn.autocommit = False
    return conn


# -- data ---------------------------------------------------------------------------


def build(conn, partners, companies):
    """Users, the partner tables and kam_account (B) in SQL; A's jsonb columns are
    aggregated from kam_account, so both designs hold exactly the same figures."""
    cur = conn.cursor()
    cur.execute(
        "CREATE TABLE public.res_users (id serial PRIMARY KEY, login varchar,"
        " active bool)"
    )
    cur.execute(
        "INSERT INTO public.res_users (login, active)"
        " SELECT 'manager' || g || '@example.com', true FROM generate_series(1, %s) g",
        (MANAGERS,),
    )
    kam_jsonb = ",\n".join(f"{name} jsonb" for name, _type in FIGURES)
    kam_typed = ",\n".join(f"{name} {sql_type}" for name, sql_type in FIGURES)
    cur.execute(f"CREATE SCHEMA {SCHEMA_A}; CREATE SCHEMA {SCHEMA_B}")
    cur.execute(f"CREATE TABLE {SCHEMA_A}.res_partner ({PARTNER_COLUMNS}, {kam_jsonb})")
    cur.execute(f"CREATE TABLE {SCHEMA_B}.res_partner ({PARTNER_COLUMNS})")
    cur.execute(
        f"""
        CREATE TABLE {SCHEMA_B}.kam_account (
            id serial PRIMARY KEY,
            partner_id int4 NOT NULL,
            company_id int4 NOT NULL,
            {kam_typed},
            create_uid int4,
            create_date timestamp,
            write_uid int4,
            write_date timestamp,
            UNIQUE (partner_id, company_id)
        )
        """
    )
    cur.execute(
        f"""
        INSERT INTO {SCHEMA_B}.res_partner
        SELECT g, n.name, n.name, NULL, NULL, g, 1, now() - interval '2 years', 1,
               now() - interval '1 month', 'contact', 'C' || lpad(g::text, 8, '0'),
               'en_US', 'Europe/Brussels', 'BE0' || lpad(g::text, 9, '0'),
               'https://www.' || lower(n.word) || '.example.com',
               CASE WHEN g %% 4 = 0
                    THEN 'Key customer since ' || (2000 + g %% 25) || ', see plan.'
               END,
               (1 + g %% 300) || ' ' || (ARRAY['Avenue Louise', 'Rue Neuve',
                   'Kerkstraat', 'Main Street', 'Hauptstrasse'])[1 + g %% 5],
               lpad((1000 + g %% 9000)::text, 4, '0'),
               (ARRAY['Brussels', 'Antwerp', 'Ghent', 'Liege', 'Paris', 'Lyon',
                      'Berlin', 'Munich'])[1 + g %% 8],
               1 + g %% 40, 1 + g %% 50,
               'sales@' || lower(n.word) || '.example.com',
               '+32 2 ' || lpad((g * 7919 %% 10000000)::text, 7, '0'),
               true, true, 1, 0
          FROM generate_series(1, %(partners)s) g,
               LATERAL (SELECT initcap(substr(md5(g::text), 1, 9)) AS word) w,
               LATERAL (SELECT w.word || ' ' || (ARRAY['GmbH', 'SA', 'Ltd', 'Inc',
                   'BV', 'SRL', 'AG', 'NV'])[1 + g %% 8] AS name, w.word) n
        """,
        {"partners": partners},
    )
    cur.execute(
        f"SELECT setval('{SCHEMA_B}.res_partner_id_seq', %s)", (max(partners, 1),)
    )
    cur.execute(
        f"""
        INSERT INTO {SCHEMA_B}.kam_account (partner_id, company_id, kam_tier,
               kam_temperature, kam_revenue_12m, kam_next_contact_date,
               kam_manager_id, kam_refresh_date, create_uid, create_date, write_uid,
               write_date)
        SELECT p, c,
               CASE WHEN (p * 7 + c * 3) %% 10 = 0 THEN 'a'
                    WHEN (p * 7 + c * 3) %% 10 < 3 THEN 'b'
                    WHEN (p * 7 + c * 3) %% 10 < 6 THEN 'c' ELSE 'd' END,
               (%(temperatures)s::varchar[])[1 + (p + c) %% 6],
               ((p * 37 + c * 11) %% 100000) * 1.5,
               CURRENT_DATE + ((p + 3 * c) %% 120 - 40),
               CASE WHEN (p + c) %% 10 <> 0 THEN 1 + (p * 3 + c) %% %(managers)s END,
               CURRENT_DATE - 1, 1, now(), 1, now()
          FROM generate_series(1, %(partners)s) p,
               generate_series(1, %(companies)s) c
         ORDER BY p, c
        """,
        {
            "partners": partners,
            "companies": companies,
            "temperatures": list(TEMPERATURES),
            "managers": MANAGERS,
        },
    )
    aggregates = ",\n".join(
        f"jsonb_object_agg(company_id::text, to_jsonb({name}))"
        f" FILTER (WHERE {name} IS NOT NULL) AS {name}"
        for name, _type in FIGURES
    )
    cur.execute(
        f"""
        INSERT INTO {SCHEMA_A}.res_partner
        SELECT p.*, {", ".join(f"k.{name}" for name, _type in FIGURES)}
          FROM {SCHEMA_B}.res_partner p
          LEFT JOIN (SELECT partner_id, {aggregates}
                       FROM {SCHEMA_B}.kam_account GROUP BY partner_id) k
                 ON k.partner_id = p.id
         ORDER BY p.id
        """
    )
    cur.execute(
        f"SELECT setval('{SCHEMA_A}.res_partner_id_seq', %s)", (max(partners, 1),)
    )
    for schema in (SCHEMA_A, SCHEMA_B):
        for column in PARTNER_INDEXED:
            cur.execute(
                f"CREATE INDEX res_partner__{column}_index"
                f" ON {schema}.res_partner ({column})"
            )
    for name, _type in FIGURES:  # Odoo's index='btree_not_null'
        cur.execute(
            f"CREATE INDEX res_partner__{name}_index ON {SCHEMA_A}.res_partner"
            f" ({name}) WHERE {name} IS NOT NULL"
        )
    for name in ("kam_tier", "kam_temperature", "kam_next_contact_date"):
        cur.execute(
            f"CREATE INDEX kam_account_company_{name}_index"
            f" ON {SCHEMA_B}.kam_account (company_id, {name})"
        )
    cur.execute(
        f"CREATE INDEX kam_account_company_kam_manager_id_index"
        f" ON {SCHEMA_B}.kam_account (company_id, kam_manager_id)"
    )
    for table in BENCH_TABLES:
        cur.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    conn.commit()
    vacuum(conn)


BENCH_TABLES = (
    f"{SCHEMA_A}.res_partner",
    f"{SCHEMA_B}.res_partner",
    f"{SCHEMA_B}.kam_account",
)


def vacuum(conn):
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE public.res_users")
        for table in BENCH_TABLES:
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("CHECKPOINT")
    conn.autocommit = False


def sizes(conn):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_total_relation_size(%s), pg_total_relation_size(%s),"
            " pg_total_relation_size(%s)",
            BENCH_TABLES,
        )
        return cur.fetchone()


# -- writes -------------------------------------------------------------------------


def figures(partner_id, company, rnd, today):
    """New figures of an account in refresh round ``rnd``: every figure moves."""
    x = (partner_id * 7 + company * 3 + rnd) % 10
    manager = None
    if (partner_id + company + rnd) % 10:
        manager = 1 + (partner_id * 3 + company + rnd) % MANAGERS
    return (
        "a" if x == 0 else "b" if x < 3 else "c" if x < 6 else "d",
        TEMPERATURES[(partner_id + company + rnd) % 6],
        ((partner_id * 37 + company * 11 + rnd * 13) % 100000) * 1.5,
        today + datetime.timedelta(days=(partner_id + 3 * company + rnd) % 120 - 40),
        manager,
        today,
    )


def jsonb_statements(cur, partner_ids, rnd, today, fallbacks):
    """Odoo 18's ``_write_multi`` of the six company-dependent figures."""
    key = str(COMPANY)
    columns = [name for name, _type in FIGURES]
    merges = ",\n".join(
        f"""{name} = (SELECT jsonb_object_agg(d.key, d.value)
            FROM jsonb_each(COALESCE("res_partner".{name}, '{{}}'::jsonb)
                            || "__tmp".{name}::jsonb) d
            JOIN jsonb_each(%s::jsonb) f
              ON d.key = f.key AND d.value != f.value)"""
        for name in columns
    )
    statements = []
    now = datetime.datetime.now()
    placeholders = "(" + ", ".join(["%s"] * (len(columns) + 3)) + ")"
    for start in range(0, len(partner_ids), UPDATE_BATCH_SIZE):
        rows = []
        for partner_id in partner_ids[start : start + UPDATE_BATCH_SIZE]:
            values = figures(partner_id, COMPANY, rnd, today)
            values = [
                v.isoformat() if isinstance(v, datetime.date) else v for v in values
            ]
            row = [partner_id] + [Json({key: value}) for value in values] + [1, now]
            rows.append(cur.mogrify(placeholders, row).decode())
        sql = cur.mogrify(
            f"""UPDATE "res_partner" SET {merges},
                   write_uid = "__tmp".write_uid::int4,
                   write_date = "__tmp".write_date::timestamp
              FROM (VALUES {{values}}) AS "__tmp"("id", {", ".join(columns)},
                                                   write_uid, write_date)
             WHERE "res_partner"."id" = "__tmp"."id"
            """,
            [fallbacks] * len(columns),
        ).decode()
        statements.append(sql.replace("{values}", ", ".join(rows)))
    return statements


def table_statements(cur, partner_ids, rnd, today):
    """The same write on kam_account, 100 rows per UPDATE."""
    columns = [name for name, _type in FIGURES]
    assignments = ", ".join(
        f"{name} = v.{name}::{sql_type}" for name, sql_type in FIGURES
    )
    statements = []
    now = datetime.datetime.now()
    placeholders = "(" + ", ".join(["%s"] * (len(columns) + 3)) + ")"
    for start in range(0, len(partner_ids), UPDATE_BATCH_SIZE):
        rows = [
            cur.mogrify(
                placeholders,
                (partner_id, *figures(partner_id, COMPANY, rnd, today), 1, now),
            ).decode()
            for partner_id in partner_ids[start : start + UPDATE_BATCH_SIZE]
        ]
        statements.append(
            f"""UPDATE kam_account SET {assignments},
                   write_uid = v.write_uid::int4,
                   write_date = v.write_date::timestamp
              FROM (VALUES {", ".join(rows)}) AS v(partner_id, {", ".join(columns)},
                                                   write_uid, write_date)
             WHERE kam_account.partner_id = v.partner_id
               AND kam_account.company_id = {COMPANY:d}
            """
        )
    return statements


def timed_batch(conn, statements):
    """Seconds to run one batch's UPDATEs and commit it."""
    with conn.cursor() as cur:
        started = time.perf_counter()
        for sql in statements:
            cur.execute(sql)
        conn.commit()
        return time.perf_counter() - started


def write_batch(conn, design, partner_ids, rnd, today, fallbacks):
    with conn.cursor() as cur:
        if design == "A":
            statements = jsonb_statements(cur, partner_ids, rnd, today, fallbacks)
        else:
            statements = table_statements(cur, partner_ids, rnd, today)
    return timed_batch(conn, statements)


def interleaved(conns, chunks, rnd, today, fallbacks):
    """Seconds of each design's batches, A and B taking turns batch after batch (and
    going first in turn) so that both see the same load of the machine."""
    times = {design: [] for design in conns}
    order = list(conns)
    for chunk in chunks:
        for design in order:
            times[design].append(
                write_batch(conns[design], design, chunk, rnd, today, fallbacks)
            )
        order.reverse()
    return times


def measure_writes(conns, partner_ids, today, fallbacks):
    """Measures 1 and 2: {design: (median batch seconds, median full seconds)}."""
    chunks = [
        partner_ids[start : start + BATCH]
        for start in range(0, len(partner_ids), BATCH)
    ]
    batches = interleaved(conns, chunks[:BATCH_RUNS], 1, today, fallbacks)
    fulls = {design: [] for design in conns}
    for run in range(FULL_RUNS):
        vacuum(conns["A"])  # the nightly autovacuum between two daily refreshes
        times = interleaved(conns, chunks, 2 + run, today, fallbacks)
        for design, seconds in times.items():
            fulls[design].append(sum(seconds))
    return {
        design: (statistics.median(batches[design]), statistics.median(fulls[design]))
        for design in conns
    }


# -- reads --------------------------------------------------------------------------


def jsonb_value(name, sql_type, alias="res_partner"):
    """Odoo 18's ``_field_to_sql`` of a company-dependent field (no fallback)."""
    value = f"""("{alias}"."{name}"->'{COMPANY:d}'->>0)::{sql_type}"""
    if name == "kam_manager_id":  # many2one: only an existing user counts
        value = (
            '(SELECT "res_users__exists".id FROM "res_users" AS "res_users__exists"'
            f' WHERE "res_users__exists".id = {value})'
        )
    return value


A_TIER = jsonb_value("kam_tier", "varchar")
A_TEMPERATURE = jsonb_value("kam_temperature", "varchar")
A_NEXT = jsonb_value("kam_next_contact_date", "date")
A_MANAGER = jsonb_value("kam_manager_id", "int4")

READS = {
    "count": (
        f"""SELECT COUNT(*) FROM "res_partner"
             WHERE ("res_partner"."kam_tier" IS NOT NULL AND {A_TIER} = %(tier)s)""",
        "SELECT COUNT(*) FROM kam_account WHERE company_id = %(company)s"
        " AND kam_tier = %(tier)s",
    ),
    "heat map": (
        f"""SELECT {A_TIER}, {A_TEMPERATURE}, COUNT(*) FROM "res_partner"
             WHERE ("res_partner"."kam_tier" IS NOT NULL AND {A_TIER} IS NOT NULL)
             GROUP BY {A_TIER}, {A_TEMPERATURE}
             ORDER BY {A_TIER} ASC, {A_TEMPERATURE} ASC""",
        "SELECT kam_tier, kam_temperature, COUNT(*) FROM kam_account"
        " WHERE company_id = %(company)s AND kam_tier IS NOT NULL"
        " GROUP BY kam_tier, kam_temperature ORDER BY kam_tier, kam_temperature",
    ),
    "overdue": (
        f"""SELECT COUNT(*) FROM "res_partner"
             WHERE (("res_partner"."kam_next_contact_date" IS NOT NULL
                     AND {A_NEXT} < %(today)s)
               AND ("res_partner"."kam_manager_id" IS NOT NULL
                     AND {A_MANAGER} IS NOT NULL))""",
        "SELECT COUNT(*) FROM kam_account WHERE company_id = %(company)s"
        " AND kam_next_contact_date < %(today)s AND kam_manager_id IS NOT NULL",
    ),
}

PAGE_SEARCH = (
    'SELECT "res_partner"."id" FROM "res_partner"'
    ' ORDER BY "res_partner"."name", "res_partner"."id" LIMIT %(limit)s'
)
PAGE_PARTNER = "id, name, city, email, phone, vat, ref, country_id, write_date"
PAGE_FETCH_A = (
    f"SELECT {PAGE_PARTNER}, "
    + ", ".join(jsonb_value(name, sql_type) for name, sql_type in FIGURES)
    + ' FROM "res_partner" WHERE "res_partner"."id" IN %(ids)s'
)
PAGE_FETCH_B = f'SELECT {PAGE_PARTNER} FROM "res_partner" WHERE id IN %(ids)s'
PAGE_FIGURES_B = (
    "SELECT partner_id, "
    + ", ".join(name for name, _type in FIGURES)
    + " FROM kam_account WHERE partner_id IN %(ids)s AND company_id = %(company)s"
)


def list_page(cur, design, params):
    """Odoo's web_search_read: the ids of the page, then their fields; in B the
    figures come from kam_account (a third query). Rows sorted by name, id."""
    cur.execute(PAGE_SEARCH, dict(params, limit=PAGE))
    ids = [row[0] for row in cur.fetchall()]
    page = dict(params, ids=tuple(ids))
    if design == "A":
        cur.execute(PAGE_FETCH_A, page)
        rows = {row[0]: row for row in cur.fetchall()}
    else:
        cur.execute(PAGE_FETCH_B, page)
        rows = {row[0]: row for row in cur.fetchall()}
        cur.execute(PAGE_FIGURES_B, page)
        for row in cur.fetchall():
            rows[row[0]] = rows[row[0]] + row[1:]
    return [rows[id_][1:2] + rows[id_][-len(FIGURES) :] for id_ in ids]


def timed_reads(conns, functions):
    """{design: (median seconds, result)}: a warm-up run each, then READ_REPEAT timed
    runs, A and B taking turns so that a busy machine slows both alike."""
    cursors = {design: conn.cursor() for design, conn in conns.items()}
    results = {design: functions[design](cur) for design, cur in cursors.items()}
    times = {design: [] for design in conns}
    for _run in range(READ_REPEAT):
        for design, cur in cursors.items():
            started = time.perf_counter()
            functions[design](cur)
            times[design].append(time.perf_counter() - started)
    for design, conn in conns.items():
        cursors[design].close()
        conn.rollback()
    return {
        design: (statistics.median(times[design]), results[design]) for design in conns
    }


def query(sql, params):
    def run(cur):
        cur.execute(sql, params)
        return cur.fetchall()

    return run


def measure_reads(conns, params):
    """Measures 3 to 6: {operation: {design: (seconds, result)}}."""
    results = {}
    for operation, (sql_a, sql_b) in READS.items():
        results[operation] = timed_reads(
            conns, {"A": query(sql_a, params), "B": query(sql_b, params)}
        )
    results["page"] = timed_reads(
        conns,
        {design: lambda cur, d=design: list_page(cur, d, params) for design in conns},
    )
    return results


# -- report -------------------------------------------------------------------------


def ms(seconds):
    return f"{seconds * 1000:,.1f} ms"


def mb(size):
    return f"{size / 1024 / 1024:,.1f} MB"


def rate(rows, seconds):
    return f"{rows / seconds:,.0f} rows/s" if seconds else "-"


def print_report(args, writes, reads, sizes_load, sizes_written):
    partners = args.partners
    batch = min(BATCH, partners)
    full = {d: f"{w[1]:,.2f} s ({rate(partners, w[1])})" for d, w in writes.items()}
    lines = [
        (
            f"1. refresh batch: {batch:,} accounts, median of {BATCH_RUNS}",
            {d: f"{ms(w[0])} ({rate(batch, w[0])})" for d, w in writes.items()},
        ),
        (
            f"2. full refresh: {partners:,} accounts, median of {FULL_RUNS}",
            full,
        ),
    ]
    labels = {
        "count": "3. count tier 'a' (= {})",
        "heat map": "4. heat map: tier x temperature ({} groups)",
        "overdue": "5. overdue with a manager (= {})",
        "page": "6. list page: " + str(PAGE) + " partners by name + figures",
    }
    for operation, label in labels.items():
        result = reads[operation]["B"][1]
        shown = len(result) if operation in ("heat map", "page") else result[0][0]
        lines.append(
            (
                label.format(f"{shown:,}"),
                {d: ms(seconds) for d, (seconds, _result) in reads[operation].items()},
            )
        )
    for when, (a_partner, b_partner, b_kam) in (
        ("after load", sizes_load),
        ("after the writes + VACUUM", sizes_written),
    ):
        lines += [
            (f"7. res_partner, {when}", {"A": mb(a_partner), "B": mb(b_partner)}),
            (f"7. kam_account, {when}", {"A": "-", "B": mb(b_kam)}),
            (f"7. total, {when}", {"A": mb(a_partner), "B": mb(b_partner + b_kam)}),
        ]
    width = max(len(label) for label, _cells in lines)
    print(f"| {'operation':<{width}} | {'jsonb (A)':>24} | {'table (B)':>24} |")
    print(f"|{'-' * (width + 2)}|{'-' * 25}:|{'-' * 25}:|")
    for label, cells in lines:
        print(f"| {label:<{width}} | {cells['A']:>24} | {cells['B']:>24} |")
    differ = [
        operation
        for operation, designs in reads.items()
        if designs["A"][1] != designs["B"][1]
    ]
    print(f"\nload average at the end: {load_average()}")
    print(
        "results of A and B: "
        + (f"DIFFER for {', '.join(differ)}" if differ else "identical for 3 to 6")
    )


def print_header(conn, args):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT current_setting('server_version'),"
            " current_setting('shared_buffers'), current_setting('work_mem'),"
            " current_setting('jit')"
        )
        version, shared_buffers, work_mem, jit = cur.fetchone()
    conn.rollback()
    print(
        f"PostgreSQL {version} (shared_buffers {shared_buffers}, work_mem {work_mem},"
        f" jit {jit}); {args.partners:,} shared partners, {args.companies} companies;"
        f" load average {load_average()}.\n"
        f"All figures of company {COMPANY}, client wall time, median of the repeats.\n"
        "- 1, 2: the UPDATEs (100 rows each, as Odoo's _write_multi) and the commit of"
        f" each batch of {BATCH:,}; all six figures rewritten with new values; A and"
        " B take turns batch by batch.\n"
        f"- 3 to 5: the search_count / read_group SQL of the ORM, {READ_REPEAT} runs"
        " after a warm-up.\n"
        "- 6: search of the 80 ids by name, then the read of their fields (in B, a"
        " third query reads the figures from kam_account).\n"
        "- 7: pg_total_relation_size (heap, TOAST, indexes) after the load, then"
        " after all the writes and a VACUUM.\n"
    )


def load_average():
    return " / ".join(f"{load:.1f}" for load in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--partners", type=int, default=100000)
    parser.add_argument("--companies", type=int, default=2)
    parser.add_argument("--db", default="kam_bench_storage")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database after the run"
    )
    args = parser.parse_args()
    if not args.db.startswith("kam_bench_storage"):
        parser.error("--db must start with kam_bench_storage (it is dropped)")
    if args.companies < COMPANY:
        parser.error(f"--companies must be at least {COMPANY}")
    if args.partners < 1:
        parser.error("--partners must be at least 1")

    drop_database(args.db)
    admin_execute(f'CREATE DATABASE "{args.db}"')
    conns = {}
    try:
        conns = {"A": connect(args.db, SCHEMA_A), "B": connect(args.db, SCHEMA_B)}
        started = time.perf_counter()
        build(conns["A"], args.partners, args.companies)
        print(f"data built in {time.perf_counter() - started:.1f} s")
        print_header(conns["A"], args)
        sizes_load = sizes(conns["A"])
        today = datetime.date.today()
        params = {"company": COMPANY, "tier": "a", "today": today}
        reads = measure_reads(conns, params)
        fallbacks = json.dumps({str(c): None for c in range(1, args.companies + 1)})
        partner_ids = list(range(1, args.partners + 1))
        writes = measure_writes(conns, partner_ids, today, fallbacks)
        vacuum(conns["A"])
        print_report(args, writes, reads, sizes_load, sizes(conns["A"]))
    finally:
        for conn in conns.values():
            conn.close()
        if args.keep:
            print(f"\ndatabase {args.db} kept")
        else:
            drop_database(args.db)


if __name__ == "__main__":
    main()
