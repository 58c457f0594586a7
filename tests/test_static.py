"""Static checks of every addon: manifests, XML, security CSV, translations, packaging.

They need no Odoo and catch what would otherwise only fail at install time.
"""

import ast
import csv
import re
import subprocess
import sys

import polib
import pytest
import tomllib
from lxml import etree

from .conftest import ADDONS, REPO

MANIFEST_KEYS = {
    "name",
    "summary",
    "version",
    "category",
    "license",
    "author",
    "website",
    "depends",
    "installable",
}
ACCESS_HEADER = [
    "id",
    "name",
    "model_id:id",
    "group_id:id",
    "perm_read",
    "perm_write",
    "perm_create",
    "perm_unlink",
]


def _manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def _xml_files(addon):
    return sorted((REPO / addon).rglob("*.xml"))


def _python_files(addon):
    return sorted((REPO / addon).rglob("*.py"))


def _declared_models(addon):
    """Models an addon defines (``_name``) or extends (``_inherit`` of one model)."""
    models = set()
    for path in _python_files(addon):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and len(stmt.targets) == 1
                        and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id in ("_name", "_inherit")
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        models.add(stmt.value.value)
    return models


def test_three_addons():
    assert set(ADDONS) >= {"kam_management", "kam_pipeline_stages", "kam_account_plan"}


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    manifest = _manifest(addon)
    assert MANIFEST_KEYS <= set(manifest), (
        f"missing keys: {MANIFEST_KEYS - set(manifest)}"
    )
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"]), manifest[
        "version"
    ]
    assert manifest["license"] in ("LGPL-3", "AGPL-3")
    assert manifest["author"] == "KAM for Odoo"
    assert manifest["installable"] is True
    for key in ("data", "demo"):
        for relative in manifest.get(key, []):
            assert (REPO / addon / relative).is_file(), (
                f"{addon}: {key} names a missing file {relative}"
            )
    for dependency in manifest["depends"]:
        if dependency.startswith("kam_"):
            assert dependency in ADDONS
    if addon != "kam_management":
        assert "kam_management" in manifest["depends"]


@pytest.mark.parametrize("addon", ADDONS)
def test_data_files_are_all_loaded(addon):
    """An XML or CSV file under data/, views/, security/, report/, wizards/ that the
    manifest does not load is dead weight (or a forgotten line)."""
    manifest = _manifest(addon)
    loaded = set(manifest.get("data", [])) | set(manifest.get("demo", []))
    for folder in ("data", "views", "security", "report", "wizards", "wizard", "demo"):
        for path in (REPO / addon / folder).glob("*"):
            if path.suffix in (".xml", ".csv"):
                assert str(path.relative_to(REPO / addon)) in loaded, (
                    f"{path} is not in the manifest"
                )


@pytest.mark.parametrize("addon", ADDONS)
def test_xml_parses_and_uses_18_syntax(addon):
    seen_ids = {}
    for path in _xml_files(addon):
        tree = etree.parse(str(path))
        text = path.read_text()
        assert not re.search(r"<tree[\s>]", text), f"{path}: use <list>, not <tree>"
        assert not re.search(r"\battrs\s*=", text), f"{path}: attrs= is gone in 17.0+"
        assert not re.search(
            r"<(field|button|div|group|page|span)\b[^>]*\bstates\s*=", text
        ), f"{path}: states= is gone in 17.0+"
        for record in tree.iter("record", "template", "menuitem"):
            xmlid = record.get("id")
            if xmlid and "." not in xmlid:
                assert xmlid not in seen_ids, (
                    f"{addon}: xml id {xmlid} in {path} and {seen_ids[xmlid]}"
                )
                seen_ids[xmlid] = path
        for view in tree.iter("record"):
            if view.get("model") == "ir.ui.view":
                assert (
                    view.find("field[@name='arch']") is not None
                    or view.find("field[@name='inherit_id']") is not None
                )


@pytest.mark.parametrize("addon", ADDONS)
def test_access_csv_names_existing_models(addon):
    path = REPO / addon / "security" / "ir.model.access.csv"
    assert path.is_file(), f"{addon} has no access rights"
    models = _declared_models(addon)
    with path.open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ACCESS_HEADER
    ids = [row[0] for row in rows[1:]]
    assert len(ids) == len(set(ids)), "duplicate access ids"
    for row in rows[1:]:
        assert len(row) == len(ACCESS_HEADER), row
        model_ref = row[2]
        if "." in model_ref:
            continue  # a model of another addon, referenced with its module
        model = model_ref.removeprefix("model_").replace("_", ".")
        candidates = {m for m in models if m.replace("_", ".") == model}
        assert candidates, f"{addon}: {model_ref} names no model defined in the addon"
        assert all(flag in ("0", "1") for flag in row[4:])
        assert row[3], (
            f"{row[0]}: an access right without a group opens the model to everybody"
        )


@pytest.mark.parametrize("addon", ADDONS)
def test_logic_imports_no_odoo(addon):
    for path in sorted((REPO / addon / "logic").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level <= 1, f"{path}: the logic package imports only itself"
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("odoo"), f"{path} imports {name}"


@pytest.mark.parametrize("addon", ADDONS)
def test_odoo_tests_are_registered(addon):
    tests = REPO / addon / "tests"
    init = (tests / "__init__.py").read_text()
    for path in tests.glob("test_*.py"):
        assert f"from . import {path.stem}" in init, (
            f"{path.name} is not imported in tests/__init__.py"
        )


@pytest.mark.parametrize("addon", ADDONS)
def test_packaging(addon):
    pyproject = tomllib.loads((REPO / addon / "pyproject.toml").read_text())
    assert pyproject["build-system"]["build-backend"] == "whool.buildapi"


@pytest.mark.parametrize("addon", ADDONS)
def test_translation_template(addon):
    pot_path = REPO / addon / "i18n" / f"{addon}.pot"
    assert pot_path.is_file(), f"{addon} ships no {pot_path.name}"
    pot = polib.pofile(str(pot_path))
    assert len(pot) > 0
    template = {entry.msgid for entry in pot}
    for po_path in sorted((REPO / addon / "i18n").glob("*.po")):
        po = polib.pofile(str(po_path))
        missing = template - {entry.msgid for entry in po}
        assert not missing, (
            f"{po_path.name} misses {len(missing)} strings, e.g. {sorted(missing)[:3]}"
        )
        untranslated = [e.msgid for e in po if not e.msgstr or "fuzzy" in e.flags]
        assert not untranslated, f"{po_path.name}: untranslated {untranslated[:3]}"


@pytest.mark.parametrize("addon", ADDONS)
@pytest.mark.parametrize("language", ["ru", "zh_CN"])
def test_translations_shipped(addon, language):
    """A rep in Moscow or Shanghai uses the suite on day one."""
    path = REPO / addon / "i18n" / f"{language}.po"
    assert path.is_file(), f"{addon} has no {language} translation"
    assert polib.pofile(str(path)).metadata.get("Language") == language


@pytest.mark.parametrize("addon", ADDONS)
def test_apps_menu_material(addon):
    """What the Apps menu shows: an icon, a description page, and the readme fragments
    the README.rst is generated from."""
    root = REPO / addon
    icon = root / "static" / "description" / "icon.png"
    assert icon.is_file() and icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (root / "static" / "description" / "index.html").is_file()
    for fragment in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md"):
        assert (root / "readme" / fragment).is_file(), f"{addon}/readme/{fragment}"


def test_readmes_are_generated_from_the_fragments():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_readme.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
