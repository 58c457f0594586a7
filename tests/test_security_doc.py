"""docs/SECURITY.md says what the code does: its access table is the addons' security
CSVs, and every test it cites as proof exists."""

import csv
import re

from .conftest import ADDONS, REPO

DOC = REPO / "docs" / "SECURITY.md"
MARK = {"1": "✓", "0": "–"}


def _acl_rows():
    rows = set()
    for addon in ADDONS:
        path = REPO / addon / "security" / "ir.model.access.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                group = row["group_id:id"]
                if "." not in group:
                    group = f"{addon}.{group}"
                rows.add(
                    (
                        addon,
                        row["model_id:id"],
                        group,
                        *(
                            MARK[row[f"perm_{p}"]]
                            for p in ("read", "write", "create", "unlink")
                        ),
                    )
                )
    return rows


def _doc_acl_rows():
    rows = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in ADDONS:
            rows.add(tuple(cells))
    return rows


def test_access_table_is_the_security_csvs():
    assert _doc_acl_rows() == _acl_rows()


def test_every_cited_test_exists():
    text = DOC.read_text(encoding="utf-8")
    missing = []
    current_file = current_class = None
    # A cell cites `path::Class::test`, `path::Class` or `path`; "..." repeats the
    # path and class of the cell before it.
    for reference in re.findall(r"`([^`]*(?:::|tests/)[^`]*)`", text):
        if reference.startswith("..."):
            if current_file is None:
                missing.append(reference)
                continue
            parts = [current_file, *reference.lstrip(".:").split("::")]
            if len(parts) == 2 and current_class:
                parts.insert(1, current_class)
        else:
            parts = reference.split("::")
            current_file = parts[0]
            current_class = parts[1] if len(parts) > 1 else None
        path = REPO / parts[0]
        if not path.is_file():
            missing.append(reference)
            continue
        source = path.read_text(encoding="utf-8")
        for name in parts[1:]:
            if not re.search(rf"\b(class|def) {re.escape(name)}\b", source):
                missing.append(reference)
    assert not missing, missing
