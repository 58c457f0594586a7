"""No file of the project refers to a document the repository does not contain: a
reader of the published addons can follow every pointer."""

import re
import subprocess

from .conftest import REPO

# A document named in a comment, a docstring, a readme or a page: ``docs/METHOD.md``,
# ``README.md#tests``, ``kam_management/readme/USAGE.md``...
DOCUMENT = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.(?:md|rst|txt))\b")
TEXT_SUFFIXES = {".py", ".xml", ".md", ".rst", ".html", ".js", ".scss", ".csv", ".toml"}
TEXT_NAMES = {"run", "run_tests.sh", "run_demo.sh"}
# Names that are not documents the project refers a reader to: the optional readme
# fragments of OCA's layout, which scripts/gen_readme.py includes when an addon has
# them, and the file run_tests.sh writes into its tool environment.
NOT_REFERENCES = {
    "ROADMAP.md",
    "HISTORY.md",
    "CONTRIBUTORS.md",
    "venv/.requirements-test.txt",
}


def _tracked_files():
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return [REPO / name for name in names if (REPO / name).is_file()]


def _exists(reference, source, basenames):
    if "/" not in reference:
        return reference in basenames
    candidates = [REPO / reference, source.parent / reference]
    # A link to the published repository (".../blob/18.0/docs/METHOD.md") or a
    # path that starts inside an addon.
    parts = reference.split("/")
    candidates += [REPO.joinpath(*parts[i:]) for i in range(1, len(parts))]
    return any(path.is_file() for path in candidates)


def test_every_referenced_document_is_in_the_repository():
    files = _tracked_files()
    basenames = {path.name for path in files}
    missing = []
    for path in files:
        if path.suffix not in TEXT_SUFFIXES and path.name not in TEXT_NAMES:
            continue
        if "i18n" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for reference in DOCUMENT.findall(line):
                if reference in NOT_REFERENCES:
                    continue
                if not _exists(reference, path, basenames):
                    missing.append(f"{path.relative_to(REPO)}:{number}: {reference}")
    assert not missing, "references to files the repository lacks:\n" + "\n".join(
        missing
    )
