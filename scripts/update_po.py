#!/usr/bin/env python3
"""Merge the translations (.po) of Odoo addons with their current template (.pot).

For every addon given on the command line (default: every addon of the repository
that has an ``i18n/<addon>.pot``), each ``i18n/*.po`` file is rewritten from the
template, in the template's order:

* msgids new in the .pot are added with an empty msgstr;
* msgids no longer in the .pot (obsolete ones too) are dropped;
* existing translations, their fuzzy flag and translator comments are kept;
* references (``#:``), extracted comments (``#.``) and flags come from the .pot.

The header of the .po is kept; only its ``POT-Creation-Date`` follows the .pot.

With ``--check`` nothing is written: the script lists the .po files that miss a
translation (absent, empty or fuzzy) of a .pot msgid and exits with status 1 if
there is any.

Usage (from the repository root; needs ``polib``)::

    python3 scripts/update_po.py                     # merge all addons
    python3 scripts/update_po.py kam_management      # merge one addon
    python3 scripts/update_po.py --check kam_management

Regenerate the .pot itself with Odoo first (``--i18n-export``); this script does
not extract terms.
"""

import argparse
import copy
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent


def find_addons(repo):
    """Names of the addons of ``repo`` that have an ``i18n/<addon>.pot``."""
    return sorted(
        pot.parent.parent.name
        for pot in repo.glob("*/i18n/*.pot")
        if pot.stem == pot.parent.parent.name
    )


def pot_path(repo, addon):
    return repo / addon / "i18n" / f"{addon}.pot"


def po_paths(repo, addon):
    return sorted((repo / addon / "i18n").glob("*.po"))


def is_translated(entry):
    """Whether ``entry`` has a usable (non-empty, non-fuzzy) translation."""
    return entry is not None and not entry.obsolete and entry.translated()


def merge(po, pot):
    """Return a new POFile: ``pot``'s entries with the translations of ``po``."""
    old = {e.msgid_with_context: e for e in po if not e.obsolete}
    merged = polib.POFile(wrapwidth=po.wrapwidth or 78)
    merged.header = po.header
    merged.metadata = dict(po.metadata)
    merged.metadata_is_fuzzy = po.metadata_is_fuzzy
    if pot.metadata.get("POT-Creation-Date"):
        merged.metadata["POT-Creation-Date"] = pot.metadata["POT-Creation-Date"]
    for ref in pot:
        if ref.obsolete:
            continue
        entry = copy.deepcopy(ref)
        entry.msgstr = ""
        entry.msgstr_plural = {i: "" for i in ref.msgstr_plural}
        previous = old.get(ref.msgid_with_context)
        if previous is not None:
            entry.msgstr = previous.msgstr
            if ref.msgid_plural:
                for index, text in previous.msgstr_plural.items():
                    entry.msgstr_plural[index] = text
            entry.tcomment = previous.tcomment
            if previous.fuzzy and not entry.fuzzy:
                entry.flags.insert(0, "fuzzy")
        merged.append(entry)
    return merged


def missing_translations(po, pot):
    """The msgids of ``pot`` that ``po`` does not translate."""
    translated = {e.msgid_with_context for e in po if is_translated(e)}
    return [e.msgid for e in pot if e.msgid_with_context not in translated]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "addons",
        nargs="*",
        help="addons to process (default: all addons with an i18n/<addon>.pot)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a .po misses a translation of a .pot msgid",
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=REPO,
        help="repository root (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    repo = args.repo.resolve()
    addons = args.addons or find_addons(repo)
    errors = 0
    incomplete = []
    for addon in addons:
        pot_file = pot_path(repo, addon)
        if not pot_file.is_file():
            print(f"{addon}: no template {pot_file}", file=sys.stderr)
            errors += 1
            continue
        pot = polib.pofile(str(pot_file))
        for po_file in po_paths(repo, addon):
            po = polib.pofile(str(po_file))
            rel = po_file.relative_to(repo)
            if args.check:
                missing = missing_translations(po, pot)
                if missing:
                    incomplete.append(rel)
                    print(f"{rel}: {len(missing)} of {len(pot)} msgids untranslated")
                    for msgid in missing:
                        print(f"    {msgid!r}")
                else:
                    print(f"{rel}: complete ({len(pot)} msgids)")
                continue
            merged = merge(po, pot)
            merged.save(str(po_file))
            todo = len(missing_translations(merged, pot))
            print(f"{rel}: merged, {len(merged)} entries, {todo} untranslated")
    if incomplete:
        print(f"{len(incomplete)} po file(s) incomplete", file=sys.stderr)
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
