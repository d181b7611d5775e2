"""No page writes its own "Previous: … Next: …" links: the theme's footer gives them from ``nav``.

Material's ``navigation.footer`` shows, at the end of every page, links to the pages before and
after it in ``nav``. A hand-written paragraph of the same links says the same thing twice and
goes wrong as soon as ``nav`` changes.
"""

from __future__ import annotations

import json
import re

import yaml
from numcheck import ROOT, markdown_pages, notebooks, split_page

#: A paragraph that starts by pointing to the page before or after this one.
PREV_NEXT = re.compile(r"^\s*(?:[←→]\s*)?(?:Previous|Next|Prev)\s*[:|]", re.IGNORECASE)


def _prose_paragraphs(text: str) -> list[str]:
    return [
        paragraph
        for block in split_page(text)
        if block.kind == "prose"
        for paragraph in re.split(r"\n\s*\n", block.text)
    ]


def test_the_pattern_finds_a_hand_written_previous_next_paragraph() -> None:
    page = "Some text.\n\nPrevious: [one](one.md). Next: [two](two.md).\n"
    assert [p for p in _prose_paragraphs(page) if PREV_NEXT.match(p)]
    assert not [p for p in _prose_paragraphs("The next step: none.\n") if PREV_NEXT.match(p)]


def test_no_page_has_a_previous_next_paragraph() -> None:
    found = []
    for path in markdown_pages():
        for paragraph in _prose_paragraphs(path.read_text(encoding="utf-8")):
            if PREV_NEXT.match(paragraph):
                found.append(f"{path.relative_to(ROOT)}: {paragraph.strip()[:80]}")
    for path in notebooks():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "markdown":
                for paragraph in _prose_paragraphs("".join(cell["source"])):
                    if PREV_NEXT.match(paragraph):
                        found.append(f"{path.relative_to(ROOT)}: {paragraph.strip()[:80]}")
    assert not found, "the theme's footer already links these:\n" + "\n".join(found)


def test_the_theme_footer_links_the_pages_before_and_after() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert "navigation.footer" in config["theme"]["features"]


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its ``!ENV`` tags read as plain values."""


_Loader.add_constructor("!ENV", lambda loader, node: None)
