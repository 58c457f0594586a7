#!/usr/bin/env bash
# The main job: an Odoo 18.0 serving the three KAM addons on a demo database.
#
#   ODOO_PYTHON=/path/to/odoo-venv/bin/python scripts/run_demo.sh
#
# ODOO_PYTHON is a python in which `import odoo` gives your Odoo 18.0 (a source checkout
# installed with `pip install -e`, or a packaged install); its addons path is found from it,
# this repository is added to it. PostgreSQL is reached as Odoo reaches it (PGHOST, PGUSER...,
# or ODOO_ARGS="--db_host ... --db_user ..."). Nothing here installs Odoo.
#
# Knobs: KAM_DEMO_DB (default kam_demo; created with demo data if missing, upgraded
# otherwise), KAM_HTTP_PORT (default 8069), KAM_HTTP_INTERFACE (default 127.0.0.1),
# ODOO_ARGS (more odoo options). Log in as admin / admin.
set -euo pipefail
cd "$(dirname "$0")/.."

odoo_python=${ODOO_PYTHON:-python3}
if ! "$odoo_python" -c "import odoo.release as r; assert r.serie == '18.0', r.serie" 2>/dev/null; then
    echo "ODOO_PYTHON=$odoo_python does not import an Odoo 18.0: point it at the python" \
        "of your Odoo 18.0 install (see README.md)" >&2
    exit 2
fi
db=${KAM_DEMO_DB:-kam_demo}
addons=kam_management,kam_pipeline_stages,kam_account_plan
addons_path=$("$odoo_python" scripts/kam_odoo.py addons-path)

if "$odoo_python" scripts/kam_odoo.py db-exists "$db"; then
    echo "== upgrading $addons in $db"
    mode=(-u "$addons")
else
    echo "== creating $db with demo data and $addons"
    mode=(-i "$addons")  # demo data loads unless --without-demo
fi
# shellcheck disable=SC2086
"$odoo_python" scripts/kam_odoo.py odoo -d "$db" --addons-path="$addons_path" \
    "${mode[@]}" --stop-after-init --log-level=warn ${ODOO_ARGS:-}

echo "== refreshing tiers, temperature and contact reminders (the daily job)"
# shellcheck disable=SC2086
"$odoo_python" scripts/kam_odoo.py refresh "$db" --addons-path="$addons_path" ${ODOO_ARGS:-}

port=${KAM_HTTP_PORT:-8069}
interface=${KAM_HTTP_INTERFACE:-127.0.0.1}
echo "== serving $db on http://$interface:$port (admin / admin), Ctrl-C to stop"
# shellcheck disable=SC2086
exec "$odoo_python" scripts/kam_odoo.py odoo -d "$db" --addons-path="$addons_path" \
    --http-port="$port" --http-interface="$interface" --db-filter="^$db\$" ${ODOO_ARGS:-}
