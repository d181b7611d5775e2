"""``mkdocs serve`` rebuilds with docs/_hooks/serve_cache.py give the site a fresh build gives.

The builds run in this process the way ``mkdocs serve`` runs them (``on_startup("serve")``
once, then a fresh config per build), in a copy of the project whose ``docs/`` and
``mkdocs.yml`` are copied (so pages can be edited) and whose other files are linked.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from load_module import load_module
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
#: The hook's own way of collecting MkDocs' warnings.
serve_cache = load_module(ROOT / "docs" / "_hooks" / "serve_cache.py", "serve_cache_hook")
EDITED = "forward.md"
LINKED = "softmax.md"
HEADING = "A heading added for this test"
EDIT = f"""

## Another paragraph

The step $h_t = \\tanh(z_t)$ again, and a [link]({LINKED}#a-heading-added-for-this-test).
"""


#: Not needed to build the site, or (docs, mkdocs.yml) copied rather than linked.
NOT_LINKED = {".git", ".venv", "site", "screenshots", "docs", "mkdocs.yml"}


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The ``docs/`` folder of a copy of the project, which is the working directory."""
    project = tmp_path / "project"
    project.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in NOT_LINKED:
            (project / entry.name).symlink_to(entry)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    monkeypatch.chdir(project)  # included files (--8<--) are found from here
    return project / "docs"


def config(docs: Path, site: Path) -> MkDocsConfig:
    return load_config(str(docs.parent / "mkdocs.yml"), site_dir=str(site))


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The pages converted from Markdown (not handed their last conversion), in order."""
    converted: list[str] = []
    convert = Page.render

    def counted(page: Page, config: MkDocsConfig, files: object) -> None:
        converted.append(page.file.src_uri)
        convert(page, config, files)

    monkeypatch.setattr(Page, "render", counted)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    yield converted


def serve_builds(
    docs: Path, site: Path, edits: list[tuple[str, str]], conversions: list[str]
) -> tuple[list[str], list[list[str]]]:
    """Build as `mkdocs serve` does, then after each (page, new text) edit.

    Returns the warnings logged, and the pages converted by each build.
    """
    per_build: list[list[str]] = []
    first = config(docs, site)
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        with serve_cache.warnings_logged() as records:
            build(first)
            per_build.append(conversions[:])
            for page, text in edits:
                (docs / page).write_text(text, encoding="utf-8")
                conversions.clear()
                build(config(docs, site))
                per_build.append(conversions[:])
    finally:
        first.plugins.on_startup(command="build", dirty=False)  # later builds: no cache
    return [record.getMessage() for record in records], per_build


def differences(one: Path, other: Path) -> list[str]:
    """Files that differ between two built sites, or are in only one of them."""
    found = []
    for folder, _, names in os.walk(one):
        for name in names:
            path = Path(folder, name).relative_to(one)
            if not (other / path).is_file() or not filecmp.cmp(one / path, other / path, False):
                found.append(str(path))
    for folder, _, names in os.walk(other):
        found += [
            str(Path(folder, n).relative_to(other))
            for n in names
            if not (one / Path(folder, n).relative_to(other)).exists()
        ]
    return found


def test_a_rebuild_after_an_edit_gives_the_site_a_fresh_build_gives(
    docs: Path, tmp_path: Path, conversions: list[str]
) -> None:
    edited = (docs / EDITED).read_text(encoding="utf-8") + EDIT
    linked = (docs / LINKED).read_text(encoding="utf-8") + f"\n## {HEADING}\n\nA paragraph.\n"
    edits = [(LINKED, linked), (EDITED, edited)]
    warnings, converted = serve_builds(docs, tmp_path / "served", edits, conversions)
    assert warnings == []
    pages = len(list(docs.rglob("*.md")))
    assert len(converted[0]) >= pages
    # Each rebuild converted the edited page, and only the pages the cache never keeps (the
    # API reference, pages that include files); every other page came from the cache.
    for (page, _), rebuilt in zip(edits, converted[1:], strict=True):
        assert page in rebuilt and len(rebuilt) < pages / 4, rebuilt
    assert LINKED not in converted[2]

    conversions.clear()
    build(config(docs, tmp_path / "fresh"))
    assert len(conversions) >= pages  # no cache: every page converted
    assert differences(tmp_path / "served", tmp_path / "fresh") == []
    assert "Another paragraph" in (tmp_path / "served" / "forward" / "index.html").read_text()


def test_a_kept_page_still_has_its_links_checked_against_the_pages_that_changed(
    docs: Path, tmp_path: Path, conversions: list[str]
) -> None:
    """A page taken from the cache links to an anchor that an edit of another page removes:
    the rebuild warns (so ``--strict`` stops), as a fresh build would."""
    linking = (docs / EDITED).read_text(encoding="utf-8") + EDIT
    original = (docs / LINKED).read_text(encoding="utf-8")
    linked = original + f"\n## {HEADING}\n\nA paragraph.\n"
    edits = [(LINKED, linked), (EDITED, linking), (LINKED, original)]
    warnings, converted = serve_builds(docs, tmp_path / "served", edits, conversions)
    assert EDITED not in converted[-1]
    assert len(warnings) == 1 and "a-heading-added-for-this-test" in warnings[0], warnings
