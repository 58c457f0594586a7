"""The shipped translation templates are those Odoo exports from the code (Odoo layer).

A string added to a model, a view or a Python message without re-exporting the .pot
fails here: ``scripts/kam_odoo.py odoo -d DB --i18n-export=<addon>/i18n/<addon>.pot
--modules=<addon> --stop-after-init`` then ``scripts/update_po.py`` fix it.
"""

import os
import shlex
import subprocess
import sys

import polib
import pytest

from .conftest import ADDONS, REPO


@pytest.mark.parametrize("addon", ADDONS)
def test_pot_is_current(request, tmp_path, addon):
    installed = os.environ.get("KAM_ADDONS", ",".join(ADDONS)).split(",")
    if addon not in installed:
        pytest.skip(f"{addon} is not installed in this run (KAM_ADDONS)")
    sys.path.insert(0, str(REPO / "scripts"))
    from kam_odoo import addons_path

    database = request.config.getoption("odoo_database")
    exported = tmp_path / f"{addon}.pot"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "kam_odoo.py"),
            "odoo",
            "-d",
            database,
            f"--addons-path={addons_path()}",
            f"--i18n-export={exported}",
            f"--modules={addon}",
            "--stop-after-init",
            "--log-level=warn",
            *shlex.split(os.environ.get("ODOO_ARGS", "")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    fresh = {entry.msgid for entry in polib.pofile(str(exported))}
    shipped = {
        entry.msgid
        for entry in polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
    }
    assert not fresh - shipped, (
        f"strings missing from the .pot: {sorted(fresh - shipped)[:5]}"
    )
    assert not shipped - fresh, (
        f"stale strings in the .pot: {sorted(shipped - fresh)[:5]}"
    )
