"""Test suites run by Odoo's own runner (``odoo-bin --test-enable``), as
administrators and OCA's CI run them. Run with the Odoo python (ODOO_PYTHON), as
``scripts/run_tests.sh`` does when asked (``KAM_ODOO_RUNNER=1``, ``KAM_HOST_SUITES=1``):

    python scripts/odoo_suites.py addons [--keep]
        The addons' own tests, for all the addons together and for each addon
        installed alone with its dependencies (``-i ADDON --test-enable --test-tags
        /ADDON``), each on a fresh database with demo data. Every run must end with
        no failure, no error and no ERROR or CRITICAL line in the log.

    python scripts/odoo_suites.py host [--modules crm,mail,sales_team] [--keep]
        Installing the addons must not change the host: Odoo's own suites of
        ``crm``, ``mail`` and ``sales_team`` (and ``sale_crm`` where it is
        available) on a database with the three addons and their demo data, against
        the same run on one without them. The tests run and the tests failed are
        compared by name.

Exit status 0 when all is as it must be, 1 when not, 2 when a run could not be made.
The logs stay in ``$TMPDIR/kam_odoo_suites``.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KAM_ADDONS = ("kam_management", "kam_pipeline_stages", "kam_account_plan", "kam_digest")
DEFAULT_MODULES = ("crm", "mail", "sales_team")
OPTIONAL_MODULES = ("sale_crm",)

# What Odoo's test runner logs (odoo/tests/result.py): one line when a test starts,
# one when it fails or errors.
STARTED = re.compile(r" odoo\.addons\.(\w+)\.tests\.(\S+): Starting (\S+) \.\.\.")
FAILED = re.compile(
    r" odoo\.addons\.(\w+)\.tests\.(\S+): (?:FAIL|ERROR): "
    r"(?:Subtest )?(\S+(?: \(.*\))?)$"
)


# Lines of the log that fail a run of the addons' own tests (Odoo's and OCA's CI read
# them the same way).
BAD_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def parse_log(path, modules):
    """Tests started and tests failed (by ``module.test_file: Class.test``) in an Odoo
    log, and its ERROR or CRITICAL lines."""
    started, failed, bad = set(), set(), []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            line = line.rstrip("\n")
            if BAD_LINE.match(line):
                bad.append(line)
            match = STARTED.search(line) or FAILED.search(line)
            if match and match.group(1) in modules:
                name = f"{match.group(1)}.{match.group(2)}: {match.group(3)}"
                (started if match.re is STARTED else failed).add(name)
    return started, failed, bad


def available(module, addons_path):
    return any(
        os.path.isfile(os.path.join(path, module, "__manifest__.py"))
        for path in addons_path.split(",")
    )


class Runner:
    """Fresh databases, Odoo's test runner, and the logs it leaves."""

    def __init__(self, port, keep):
        self.python = sys.executable
        self.port = port
        self.keep = keep
        self.addons_path = self.kam_odoo("addons-path", capture=True).strip()
        self.logs = os.path.join(tempfile.gettempdir(), "kam_odoo_suites")
        os.makedirs(self.logs, exist_ok=True)

    def kam_odoo(self, *args, capture=False):
        return subprocess.run(
            [self.python, os.path.join(HERE, "kam_odoo.py"), *args],
            check=args[0] != "odoo",
            capture_output=capture,
            text=True,
        ).stdout

    def run(self, db, install, modules):
        """Install ``install`` with demo data into a fresh ``db`` and run the tests of
        ``modules``; (tests started, tests failed, ERROR lines)."""
        log_path = os.path.join(self.logs, f"{db}.log")
        if os.path.exists(log_path):
            os.remove(log_path)
        self.kam_odoo("drop-db", db)
        print(f"   {db}: installing {','.join(install)} and running the tests")
        sys.stdout.flush()
        self.kam_odoo(
            "odoo",
            "-d",
            db,
            f"--addons-path={self.addons_path}",
            "-i",
            ",".join(install),
            "--test-enable",
            "--test-tags",
            ",".join(f"/{module}" for module in modules),
            "--stop-after-init",
            "--log-level=info",
            f"--logfile={log_path}",
            f"--http-port={self.port}",
            *os.environ.get("ODOO_ARGS", "").split(),
        )
        if not self.keep:
            self.kam_odoo("drop-db", db)
        return parse_log(log_path, set(modules))


def addons(runner):
    """The addons' own tests: the three together, then each alone."""
    ok = True
    for install in [list(KAM_ADDONS)] + [[addon] for addon in KAM_ADDONS]:
        name = "all" if len(install) > 1 else install[0]
        started, failed, bad = runner.run(f"kam_runner_{name}", install, install)
        good = started and not failed and not bad
        ok = ok and good
        print(
            f"   {'+'.join(install)}: {len(started)} tests, {len(failed)} failed or in "
            f"error, {len(bad)} ERROR lines: {'ok' if good else 'NOT OK'}"
        )
        for line in sorted(failed) + bad[:20]:
            print(f"      {line[:300]}")
    print(
        "addons under Odoo's runner: "
        + ("every run clean" if ok else f"NOT CLEAN (logs in {runner.logs})")
    )
    return 0 if ok else 1


def host(runner, modules):
    """Odoo's suites of ``modules`` without and with the addons, compared."""
    if not modules:
        modules = list(DEFAULT_MODULES) + [
            m for m in OPTIONAL_MODULES if available(m, runner.addons_path)
        ]
    run_without, failed_without, _bad = runner.run("kam_host_without", modules, modules)
    run_with, failed_with, _bad = runner.run(
        "kam_host_with", modules + list(KAM_ADDONS), modules
    )
    if not run_without:
        print(f"host suites: no test ran, see {runner.logs}")
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("addons", "host"))
    parser.add_argument("--modules", help="host: comma list of modules")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--port", type=int, default=8169)
    args = parser.parse_args()
    runner = Runner(args.port, args.keep)
    if args.command == "addons":
        return addons(runner)
    modules = [m for m in (args.modules or "").split(",") if m]
    return host(runner, modules)


if __name__ == "__main__":
    sys.exit(main())
