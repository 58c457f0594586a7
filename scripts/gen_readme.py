"""Generate each addon's README.rst and static/description/index.html from its manifest
and its readme/*.md fragments.

The same layout as OCA's generated READMEs: title, badges, description, table of
contents, configuration, usage, credits. Run it after editing a fragment:

    python scripts/gen_readme.py            # writes both files for every addon
    python scripts/gen_readme.py --check    # exits 1 when one of them is stale
"""

import ast
import html
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


def md_to_html(text):
    """The same Markdown subset, as HTML for the Apps page."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if all(re.match(r"^\s*[-*] |^\s{2,}\S", line) for line in lines):
            items = []
            for line in lines:
                if re.match(r"^\s*[-*] ", line):
                    items.append(re.sub(r"^\s*[-*] ", "", line))
                else:
                    items[-1] += " " + line.strip()
            blocks.append(
                "<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>"
            )
        else:
            blocks.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(blocks)


def _inline(text):
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def render_html(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    readme = addon_dir / "readme"
    parts = [
        '<section class="oe_container">',
        '<div class="oe_row oe_spaced">',
        f'<h2 class="oe_slogan">{html.escape(manifest["name"])}</h2>',
        f'<h3 class="oe_slogan">{html.escape(manifest["summary"])}</h3>',
    ]
    for fragment, title in SECTIONS:
        path = readme / fragment
        if path.is_file():
            if title:
                parts.append(f"<h3>{html.escape(title)}</h3>")
            parts.append(md_to_html(path.read_text()))
    parts += [
        f"<p>{html.escape(manifest['author'])}, license {manifest['license']}.</p>",
        "</div>",
        "</section>",
    ]
    return "\n".join(parts) + "\n"


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
        outputs = {
            addon_dir / "README.rst": render(addon_dir),
            addon_dir / "static" / "description" / "index.html": render_html(addon_dir),
        }
        for target, text in outputs.items():
            if check:
                if not target.is_file() or target.read_text() != text:
                    stale.append(str(target.relative_to(REPO)))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
    if stale:
        sys.stderr.write("stale, run scripts/gen_readme.py: " + ", ".join(stale) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
