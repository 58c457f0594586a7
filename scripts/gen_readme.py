"""Generate each addon's README.rst from its manifest and its readme/*.md fragments.

The same layout as OCA's generated READMEs: title, badges, description, table of
contents, configuration, usage, credits. Run it after editing a fragment:

    python scripts/gen_readme.py            # writes <addon>/README.rst for every addon
    python scripts/gen_readme.py --check    # exits 1 when a README.rst is stale
"""

import ast
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
SECTIONS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
)


def md_to_rst(text):
    """The small Markdown subset the fragments use: paragraphs, bullets, emphasis,
    code."""
    text = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)
    lines = []
    for line in text.strip().splitlines():
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = heading.group(2)
            lines += [title, "~" * len(title)]
        else:
            lines.append(line)
    return "\n".join(lines)


def render(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    name = manifest["name"]
    badge = manifest["license"].replace("-", "--")
    out = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        f".. |badge1| image:: https://img.shields.io/badge/licence-{badge}-blue.png",
        f"    :alt: License: {manifest['license']}",
        "",
        "|badge1|",
        "",
    ]
    readme = addon_dir / "readme"
    description = readme / "DESCRIPTION.md"
    if description.is_file():
        out += [md_to_rst(description.read_text()), ""]
    out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for fragment, title in SECTIONS[1:]:
        path = readme / fragment
        if path.is_file():
            out += [title, "=" * len(title), "", md_to_rst(path.read_text()), ""]
    out += [
        "Credits",
        "=======",
        "",
        "Authors",
        "-------",
        "",
        *(f"* {author.strip()}" for author in manifest["author"].split(",")),
        "",
    ]
    contributors = readme / "CONTRIBUTORS.md"
    if contributors.is_file():
        out += [
            "Contributors",
            "------------",
            "",
            md_to_rst(contributors.read_text()),
            "",
        ]
    if manifest.get("maintainers"):
        out += [
            "Maintainers",
            "-----------",
            "",
            "Current maintainers: " + ", ".join(manifest["maintainers"]),
            "",
            "This module is part of the Key Account Management suite "
            f"({manifest['website']}).",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def main():
    check = "--check" in sys.argv
    stale = []
    for manifest in sorted(REPO.glob("*/__manifest__.py")):
        addon_dir = manifest.parent
        target = addon_dir / "README.rst"
        text = render(addon_dir)
        if check:
            if not target.is_file() or target.read_text() != text:
                stale.append(str(target.relative_to(REPO)))
        else:
            target.write_text(text)
    if stale:
        sys.stderr.write("stale README.rst: " + ", ".join(stale) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
