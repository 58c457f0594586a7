"""Shared fixtures for the tests that need no Odoo, and the switch for the Odoo layer.

The addons keep their domain logic in ``<addon>/logic/``: plain Python that imports
nothing from ``odoo``. Importing ``kam_management.logic`` the usual way would run the
addon's ``__init__`` (and so import odoo), so the logic packages are loaded here by
path, under the name ``<addon>_logic``.
"""

import importlib.util
import pathlib
import sys

import pytest
from hypothesis import settings

# Properties are checked on many examples, not timed: a loaded CI machine (or the Odoo
# layer running beside) must not turn a slow example into a failure.
settings.register_profile("kam", deadline=None)
settings.load_profile("kam")

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in REPO.glob("*/__manifest__.py"))


def load_logic(addon):
    name = f"{addon}_logic"
    if name in sys.modules:
        return sys.modules[name]
    package_dir = REPO / addon / "logic"
    spec = importlib.util.spec_from_file_location(
        name, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


for _addon in ADDONS:
    if (REPO / _addon / "logic" / "__init__.py").exists():
        load_logic(_addon)


def _odoo_layer_state(config):
    """Return None when the Odoo layer can run, else the one-line reason it cannot."""
    try:
        import odoo  # noqa: F401
    except ImportError as exc:
        return f"`import odoo` fails in {sys.executable} ({exc})"
    if not config.getoption("odoo_database", default=None):
        return "odoo imports but no --odoo-database was given (pytest-odoo)"
    return None


def pytest_configure(config):
    config._kam_odoo_skip_reason = _odoo_layer_state(config)


def pytest_ignore_collect(collection_path, config):
    # Addon tests import odoo at module level, tests/test_*_odoo.py drive a real Odoo:
    # without the Odoo layer they are not collected, and tests/test_odoo_layer.py
    # reports them as skipped instead.
    reason = getattr(config, "_kam_odoo_skip_reason", None)
    if not reason:
        return None
    parent = collection_path.parent
    if parent.name == "tests" and parent.parent.name in ADDONS:
        return True
    if parent == REPO / "tests" and collection_path.name.endswith("_odoo.py"):
        return True
    return None


@pytest.fixture(scope="session")
def repo():
    return REPO
