"""The Odoo layer reports itself here when it cannot run, in one line that says why."""

import pytest

from .conftest import ADDONS, REPO


def _odoo_test_modules():
    paths = list(REPO.glob("tests/test_*_odoo.py"))
    for addon in ADDONS:
        paths += (REPO / addon / "tests").glob("test_*.py")
    return sorted(str(path.relative_to(REPO)) for path in paths)


def test_odoo_layer(request):
    reason = request.config._kam_odoo_skip_reason
    modules = _odoo_test_modules()
    assert modules, "every addon ships Odoo tests in <addon>/tests/"
    if reason:
        pytest.skip(
            f"Odoo layer skipped ({len(modules)} Odoo test modules not run): {reason}; "
            "run scripts/run_tests.sh with ODOO_PYTHON set to an Odoo 18.0 python"
        )
