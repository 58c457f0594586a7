#!/usr/bin/env bash
# The whole test suite: linters, the tests that need no Odoo, and the addons' Odoo tests.
#
#   scripts/run_tests.sh
#       Without Odoo, the Odoo layer is reported as skipped, in one line that says why.
#   ODOO_PYTHON=/path/to/odoo-venv/bin/python scripts/run_tests.sh
#       With a python in which `import odoo` gives an Odoo 18.0: the addons are installed
#       into a fresh database (KAM_TEST_DB, default kam_test) and every test runs there
#       through pytest-odoo. PostgreSQL is reached through the usual PGHOST/PGUSER/...
#       variables; ODOO_ARGS adds options to odoo (e.g. "--db_host 127.0.0.1").
#
# Other knobs: KAM_ADDONS (comma list to install, default all), KAM_SKIP_LINT=1,
# PYTEST_ARGS (extra pytest arguments). After the tests, with Odoo (scripts/odoo_suites.py):
#   KAM_ODOO_RUNNER=1   the addons' tests under Odoo's own runner (odoo-bin
#                       --test-enable), all together and each alone, no ERROR line;
#   KAM_HOST_SUITES=1   (or a comma list of modules) Odoo's own suites of crm, mail and
#                       sales_team (sale_crm where available) with and without the
#                       addons: the same tests pass and fail.
set -euo pipefail
cd "$(dirname "$0")/.."

addons=${KAM_ADDONS:-kam_management,kam_pipeline_stages,kam_account_plan,kam_digest}
venv=.venv

# 1. The tool environment (pytest, hypothesis, lxml, polib, linters), rebuilt when its pins change.
if [ ! -x "$venv/bin/python" ] || ! cmp -s requirements-test.txt "$venv/.requirements-test.txt"; then
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r requirements-test.txt
    cp requirements-test.txt "$venv/.requirements-test.txt"
fi

# 2. Linters, as OCA runs them.
if [ "${KAM_SKIP_LINT:-0}" != 1 ]; then
    echo "== ruff"
    "$venv/bin/ruff" check .
    "$venv/bin/ruff" format --check .
    echo "== pylint-odoo (mandatory checks)"
    "$venv/bin/pylint" --rcfile=.pylintrc-mandatory --valid-odoo-versions=18.0 \
        kam_management kam_pipeline_stages kam_account_plan kam_digest
fi

# 3. Tests. Pytest exits 5 when it collected nothing: that is a failure here too.
odoo_python=${ODOO_PYTHON:-}
if [ -z "$odoo_python" ] && python3 -c "import odoo" >/dev/null 2>&1; then
    odoo_python=python3
fi
if [ -z "$odoo_python" ]; then
    echo "== tests (no Odoo: the Odoo layer reports itself skipped)"
    # shellcheck disable=SC2086
    exec "$venv/bin/python" -m pytest tests ${PYTEST_ARGS:-}
fi

if ! "$odoo_python" -c "import odoo" >/dev/null 2>&1; then
    echo "ODOO_PYTHON=$odoo_python cannot import odoo" >&2
    exit 2
fi
# pytest-odoo runs the addon tests; websocket-client lets HttpCase drive a headless
# Chromium (the browser tests skip themselves where there is none).
if ! "$odoo_python" -c "import pytest_odoo, hypothesis, polib, lxml, websocket" >/dev/null 2>&1; then
    "$odoo_python" -m pip install -q --disable-pip-version-check \
        "pytest-odoo==2.3.*" "hypothesis==6.131.0" "polib" "freezegun" "websocket-client"
fi
db=${KAM_TEST_DB:-kam_test}
addons_path=$("$odoo_python" scripts/kam_odoo.py addons-path)
echo "== installing $addons into a fresh database $db"
"$odoo_python" scripts/kam_odoo.py drop-db "$db"
# shellcheck disable=SC2086
"$odoo_python" scripts/kam_odoo.py odoo -d "$db" --addons-path="$addons_path" \
    -i "$addons" --stop-after-init --log-level=warn --http-port=0 ${ODOO_ARGS:-}
echo "== tests (with Odoo: $("$odoo_python" -c 'import odoo.release as r; print(r.version)'))"
test_dirs=()
for addon in ${addons//,/ }; do
    [ -d "$addon/tests" ] && test_dirs+=("$addon/tests")
done
# shellcheck disable=SC2086
"$odoo_python" -m pytest tests "${test_dirs[@]}" --odoo-http \
    --odoo-database="$db" --odoo-addons-path="$addons_path" --odoo-log-level=warn ${PYTEST_ARGS:-}
if [ "${KAM_ODOO_RUNNER:-0}" = 1 ]; then
    echo "== the addons' tests under Odoo's runner, together and each alone"
    "$odoo_python" scripts/odoo_suites.py addons
fi
if [ -n "${KAM_HOST_SUITES:-}" ]; then
    echo "== host suites with and without the addons"
    host_args=()
    [ "$KAM_HOST_SUITES" != 1 ] && host_args=(--modules "$KAM_HOST_SUITES")
    "$odoo_python" scripts/odoo_suites.py host "${host_args[@]}"
fi
