"""The wheels of setup/ and of each addon's pyproject.toml install and carry the addon.

Builds every addon and the metapackage with pip (PEP 517, whool as the build backend),
installs them without dependencies (Odoo itself is the host's) into a fresh virtual
environment and reads what got installed there.
"""

import ast
import json
import subprocess
import sys
import venv

import pytest

from .conftest import ADDONS, REPO

PROBE = """
import importlib.metadata as md, json, pathlib, sys
out = {}
for dist in md.distributions():
    name = dist.metadata["Name"]
    if name.startswith("odoo-addon"):
        files = [str(f) for f in (dist.files or [])]
        out[name] = {
            "version": dist.version,
            "requires": dist.requires or [],
            "files": files,
        }
json.dump(out, sys.stdout)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    for source in [
        *(REPO / addon for addon in ADDONS),
        REPO / "setup" / "_metapackage",
    ]:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "-w",
                dist,
                source,
            ],
            check=True,
            cwd=REPO,
        )
    wheels = sorted(str(p) for p in dist.glob("*.whl"))
    assert len(wheels) == len(ADDONS) + 1, wheels
    target = tmp_path_factory.mktemp("venv")
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", *wheels], check=True
    )
    probe = subprocess.run(
        [python, "-c", PROBE], check=True, capture_output=True, text=True
    )
    return json.loads(probe.stdout)


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_wheel(installed, addon):
    package = installed[f"odoo-addon-{addon}"]
    assert package["version"].startswith("18.0.")
    assert any(req.startswith("odoo") and "18" in req for req in package["requires"])
    files = set(package["files"])
    root = f"odoo/addons/{addon}"
    assert f"{root}/__manifest__.py" in files
    assert f"{root}/i18n/{addon}.pot" in files
    assert f"{root}/static/description/icon.png" in files
    manifest = ast.literal_eval((REPO / addon / "__manifest__.py").read_text())
    for relative in manifest.get("data", []) + manifest.get("demo", []):
        assert f"{root}/{relative}" in files, f"{relative} missing from the wheel"
    if addon != "kam_management":
        assert any(
            req.startswith("odoo-addon-kam_management") for req in package["requires"]
        )


def test_metapackage(installed):
    meta = installed["odoo-addons-kam"]
    assert {req.split(">")[0].split("<")[0] for req in meta["requires"]} == {
        f"odoo-addon-{addon}" for addon in ADDONS
    }
