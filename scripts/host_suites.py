"""Odoo's own test suites of the modules the KAM addons extend, with and without them.

Installing the addons must not change the host: the suites of ``crm``, ``mail`` and
``sales_team`` (and ``sale_crm`` where it is available) give the same result on a
database with the three addons and their demo data as on one without them. Run with
the Odoo python (ODOO_PYTHON), as ``scripts/run_tests.sh`` does when
``KAM_HOST_SUITES`` is set:

    python scripts/host_suites.py [--modules crm,mail,sales_team] [--keep]

It creates two fresh databases (``kam_host_without`` and ``kam_host_with``, demo
data in both), runs the suites in each with Odoo's own runner
(``--test-enable --test-tags /crm,...``), and compares the tests run and the tests
failed by name. Exit status 0 when both runs match, 1 when they differ, 2 when a run
could not be made. The logs stay in ``$TMPDIR/kam_host_suites``.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KAM_ADDONS = ("kam_management", "kam_pipeline_stages", "kam_account_plan")
DEFAULT_MODULES = ("crm", "mail", "sales_team")
OPTIONAL_MODULES = ("sale_crm",)

# What Odoo's test runner logs (odoo/tests/result.py): one line when a test starts,
# one when it fails or errors, one summary per run.
STARTED = re.compile(r" odoo\.addons\.(\w+)\.tests\.(\S+): Starting (\S+) \.\.\.")
FAILED = re.compile(
    r" odoo\.addons\.(\w+)\.tests\.(\S+): (?:FAIL|ERROR): "
    r"(?:Subtest )?(\S+(?: \(.*\))?)$"
)


def parse_log(path, modules):
    """Tests started and tests failed (by ``module: Class.test``) in an Odoo log."""
    started, failed = set(), set()
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = STARTED.search(line) or FAILED.search(line.rstrip("\n"))
            if match and match.group(1) in modules:
                name = f"{match.group(1)}.{match.group(2)}: {match.group(3)}"
                (started if match.re is STARTED else failed).add(name)
    return started, failed


def available(module, addons_path):
    return any(
        os.path.isfile(os.path.join(path, module, "__manifest__.py"))
        for path in addons_path.split(",")
    )


def run_suites(python, db, install, modules, addons_path, log_path, port):
    subprocess.run(
        [python, os.path.join(HERE, "kam_odoo.py"), "drop-db", db], check=True
    )
    command = [
        python,
        os.path.join(HERE, "kam_odoo.py"),
        "odoo",
        "-d",
        db,
        f"--addons-path={addons_path}",
        "-i",
        ",".join(install),
        "--test-enable",
        "--test-tags",
        ",".join(f"/{module}" for module in modules),
        "--stop-after-init",
        "--log-level=info",
        f"--logfile={log_path}",
        f"--http-port={port}",
        *os.environ.get("ODOO_ARGS", "").split(),
    ]
    if os.path.exists(log_path):
        os.remove(log_path)
    print(f"   {db}: installing {','.join(install)} and running the suites")
    sys.stdout.flush()
    subprocess.run(command, check=False)
    return parse_log(log_path, set(modules))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", help="comma list (default: crm,mail,sales_team)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--port", type=int, default=8169)
    args = parser.parse_args()

    python = sys.executable
    addons_path = subprocess.run(
        [python, os.path.join(HERE, "kam_odoo.py"), "addons-path"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if args.modules:
        modules = [m for m in args.modules.split(",") if m]
    else:
        modules = list(DEFAULT_MODULES) + [
            m for m in OPTIONAL_MODULES if available(m, addons_path)
        ]
    logs = os.path.join(tempfile.gettempdir(), "kam_host_suites")
    os.makedirs(logs, exist_ok=True)
    results = {}
    for variant, install in (
        ("without", modules),
        ("with", modules + list(KAM_ADDONS)),
    ):
        db = f"kam_host_{variant}"
        log_path = os.path.join(logs, f"{variant}.log")
        results[variant] = run_suites(
            python, db, install, modules, addons_path, log_path, args.port
        )
        if not args.keep:
            subprocess.run(
                [python, os.path.join(HERE, "kam_odoo.py"), "drop-db", db], check=True
            )
    (run_without, failed_without), (run_with, failed_with) = (
        results["without"],
        results["with"],
    )
    if not run_without:
        print(f"host suites: no test ran, see {logs}/without.log")
        return 2
    for variant, run, failed in (
        ("without the KAM addons", run_without, failed_without),
        ("with the KAM addons", run_with, failed_with),
    ):
        print(f"   {variant}: {len(run)} tests, {len(failed)} failed or in error")
        for name in sorted(failed):
            print(f"      {name}")
    differences = [
        ("run only without the addons", run_without - run_with),
        ("run only with the addons", run_with - run_without),
        ("failing only with the addons", failed_with - failed_without),
        ("failing only without the addons", failed_without - failed_with),
    ]
    same = not any(names for _label, names in differences)
    for label, names in differences:
        for name in sorted(names):
            print(f"   {label}: {name}")
    print(
        f"host suites ({','.join(modules)}): "
        + ("same result with and without the KAM addons" if same else "DIFFERENT")
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
