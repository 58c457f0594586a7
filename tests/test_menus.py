"""Menu sequences of the KAM addons: no menu item of kam_management shares its
sequence with a sibling (under the same parent), the items that the other KAM addons
hang under kam_management's menus included, so that the order of the menus never
depends on the order in which the addons were installed."""

from collections import defaultdict

from lxml import etree

from .conftest import ADDONS, REPO


def _menu_items():
    """(addon, full id, full parent id, sequence) of every ``menuitem`` of the
    repository's addons."""
    items = []
    for addon in ADDONS:
        for path in sorted((REPO / addon).glob("**/*.xml")):
            tree = etree.parse(str(path))
            for menu in tree.iter("menuitem"):
                parent = menu.get("parent")
                if not parent:
                    continue
                items.append(
                    (
                        addon,
                        _full(addon, menu.get("id")),
                        _full(addon, parent),
                        int(menu.get("sequence", 10)),
                    )
                )
    return items


def _full(addon, xmlid):
    return xmlid if "." in xmlid else f"{addon}.{xmlid}"


def test_kam_management_menus_have_distinct_sequences():
    siblings = defaultdict(list)
    for addon, xmlid, parent, sequence in _menu_items():
        siblings[parent, sequence].append((addon, xmlid))
    clashes = {
        key: items
        for key, items in siblings.items()
        if len(items) > 1 and any(addon == "kam_management" for addon, _id in items)
    }
    assert not clashes, f"menu items sharing a sequence: {clashes}"
