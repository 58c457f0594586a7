"""The daily KAM job of a previous revision and of the working tree, side by side.

Not a test: it measures. It exports the addons of ``--ref`` (a git revision) with
``git archive``, installs kam_management of each tree in a database of its own
(``<prefix>_old``, ``<prefix>_new``, dropped first), then runs the working tree's
``benchmarks/bench_kam_cron.py`` (which knows both schemas) against each, with the
same arguments and seed, one after the other, and prints both outputs.

    $ODOO_PYTHON benchmarks/compare_kam_cron.py --ref 8f4c93b -- --partners 100000 \
        --skip-naive
"""

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from kam_odoo import addons_path  # noqa: E402


def run(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", required=True, help="the previous revision")
    parser.add_argument("--prefix", default="kam_bench_cron")
    parser.add_argument("bench_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    bench_args = [a for a in args.bench_args if a != "--"]
    odoo_paths = addons_path().split(",")[:-1]
    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "old.tar")
        run("git", "archive", "-o", archive, args.ref, cwd=REPO)
        old_tree = os.path.join(tmp, "old")
        with tarfile.open(archive) as tar:
            tar.extractall(old_tree, filter="data")
        for label, tree in (("old", old_tree), ("new", REPO)):
            database = f"{args.prefix}_{label}"
            launcher = os.path.join(REPO, "scripts", "kam_odoo.py")
            run(sys.executable, launcher, "drop-db", database)
            run(
                sys.executable,
                launcher,
                "odoo",
                "-d",
                database,
                f"--addons-path={','.join([*odoo_paths, tree])}",
                "-i",
                "kam_management",
                "--stop-after-init",
                "--log-level=warn",
                "--http-port=0",
            )
            print(f"== {label}: {args.ref if label == 'old' else 'working tree'}")
            sys.stdout.flush()
            env = dict(os.environ, KAM_ADDONS_TREE=tree)
            bench = os.path.join(REPO, "benchmarks", "bench_kam_cron.py")
            run(sys.executable, bench, "-d", database, *bench_args, env=env)


if __name__ == "__main__":
    main()
