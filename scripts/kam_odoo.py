"""Small launcher run with the Odoo 18.0 python (ODOO_PYTHON) by the scripts beside it.

It never installs Odoo: it finds the Odoo that ``import odoo`` gives and drives it.

    python scripts/kam_odoo.py addons-path        # prints Odoo's addons path plus this
    repository
    python scripts/kam_odoo.py drop-db NAME        # drops a database if it exists
    python scripts/kam_odoo.py db-exists NAME      # exit status 0 when it exists
    python scripts/kam_odoo.py refresh NAME ARGS   # runs the daily KAM job to the end
    python scripts/kam_odoo.py odoo ARGS...        # runs odoo-bin with ARGS
"""

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def addons_path():
    import odoo

    package = os.path.dirname(odoo.__file__)
    paths = [os.path.join(package, "addons")]
    # A source checkout keeps most addons beside the package, not inside it.
    source_addons = os.path.join(os.path.dirname(package), "addons")
    if os.path.isdir(os.path.join(source_addons, "crm")):
        paths.insert(0, source_addons)
    extra = os.environ.get("ODOO_EXTRA_ADDONS_PATH")
    if extra:
        paths.extend(p for p in extra.split(",") if p)
    # KAM_ADDONS_TREE: the addons of another revision (benchmarks/compare_kam_cron.py).
    paths.append(os.environ.get("KAM_ADDONS_TREE") or REPO)
    return ",".join(paths)


def _connect():
    import psycopg2

    kwargs = {"dbname": "postgres"}
    for env, key in (
        ("PGHOST", "host"),
        ("PGPORT", "port"),
        ("PGUSER", "user"),
        ("PGPASSWORD", "password"),
    ):
        if os.environ.get(env):
            kwargs[key] = os.environ[env]
    conn = psycopg2.connect(**kwargs)
    conn.autocommit = True
    return conn


def db_exists(name):
    conn = _connect()
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        found = bool(cr.fetchone())
    conn.close()
    return found


def drop_db(name):
    conn = _connect()
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (name,),
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def run_odoo(args):
    import odoo.cli

    sys.argv = ["odoo", *args]
    odoo.cli.main()


def refresh(name, args):
    """Run the daily KAM job until every account is refreshed, and commit."""
    import odoo
    from odoo.modules.registry import Registry

    if not any(arg.startswith("--addons-path") for arg in args):
        args = [f"--addons-path={addons_path()}", *args]
    odoo.tools.config.parse_config(["-d", name, "--log-level=warn", *args])
    with Registry(name).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        partners = env["res.partner"]
        while partners._cron_kam_daily():
            cr.commit()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "addons-path":
        sys.stdout.write(addons_path() + "\n")
    elif command == "drop-db":
        drop_db(args[0])
    elif command == "db-exists":
        sys.exit(0 if db_exists(args[0]) else 1)
    elif command == "refresh":
        refresh(args[0], args[1:])
    elif command == "odoo":
        run_odoo(args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
