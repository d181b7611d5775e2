"""Search finds the lessons first: for a lesson's words the first result is a lesson page.

The API reference has many short sections whose headings are the package's names; without a
lower weight (its front matter ``search: boost``) they outrank the lessons for words such as
"forget gate". Greek letters and subscripted names are searched as a reader types them: "δ"
(the lessons write it in headings and code comments), "delta" (the TeX ``\\delta_t`` of the
prose, split into words by the search ``separator`` of mkdocs.yml) and "W_hh".

A lesson page is a page inside one of the sections of ``nav`` (the derivation, the toy network,
training, gated cells); Home, Notation, the API reference and the other single pages are not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser
from siteserver import Site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ("forget gate", "delta", "δ", "W_hh")
REFERENCE = "reference/"


def _address(source: str) -> str:
    """The site address of a nav entry's source file: ``a/b.md`` -> ``a/b/``."""
    return source.rsplit(".", 1)[0] + "/"


def lesson_pages() -> set[str]:
    """Addresses (relative to the site) of the pages inside a section of nav."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    lessons = set()
    for item in config["nav"]:
        (entry,) = item.values()
        if isinstance(entry, list):
            lessons.update(_address(next(iter(page.values()))) for page in entry)
    return lessons


def ranked_pages(browser: Browser, site: Site, query: str) -> list[str]:
    """The pages the site's search lists for ``query``, best first (relative addresses)."""
    page = browser.new_page()
    try:
        # ?q= is Material's search deep link: it opens search with the query typed in.
        page.goto(f"{site.url}?q={quote(query)}")
        page.wait_for_function(
            "() => document.querySelector('.md-search-result__item')"
            " || /no matching/i.test("
            "document.querySelector('.md-search-result__meta')?.textContent || '')"
        )
        hrefs = page.eval_on_selector_all(
            ".md-search-result__item > a.md-search-result__link",
            "(links) => links.map((a) => a.href)",
        )
    finally:
        page.close()
    prefix = urlsplit(site.url).path
    pages = [urlsplit(href).path.removeprefix(prefix) for href in hrefs]
    return list(dict.fromkeys(pages))  # an item links its page, then its sections


@pytest.fixture(scope="module")
def rankings(browser: Browser, site: Site) -> dict[str, list[str]]:
    return {query: ranked_pages(browser, site, query) for query in QUERIES}


def test_the_nav_has_lesson_pages_and_the_reference_is_not_one() -> None:
    lessons = lesson_pages()
    assert {"forward/", "lstm/"} <= lessons
    assert REFERENCE not in lessons


@pytest.mark.parametrize("query", QUERIES)
def test_a_lesson_comes_first(rankings: dict[str, list[str]], query: str) -> None:
    found = rankings[query]
    assert found, f"search finds nothing for {query!r}"
    assert found[0] in lesson_pages(), f"{query!r}: first result {found[0]!r}, all: {found}"


@pytest.mark.parametrize("query", QUERIES)
def test_the_reference_comes_after_the_lessons_it_shares_words_with(
    rankings: dict[str, list[str]], query: str
) -> None:
    found = rankings[query]
    if REFERENCE in found:
        before = found[: found.index(REFERENCE)]
        assert len([p for p in before if p in lesson_pages()]) >= 2, f"{query!r}: {found}"


def test_excerpts_start_at_the_lesson_text_not_its_set_up(site: Site) -> None:
    """No lesson's indexed text holds a set-up block (a Python block that starts by importing,
    docs/_hooks/search_text.py), so excerpts show the lesson; the worked examples (``>>>``)
    stay searchable, and the page itself keeps no trace of the exclusion."""
    entries = json.loads((site.root / "search" / "search_index.json").read_text())["docs"]
    lessons = lesson_pages()
    set_up = [
        e["location"]
        for e in entries
        if e["location"].split("#")[0] in lessons
        and re.search(r"^\s*(import |from \w+ import )", re.sub(r"<[^>]+>", "", e["text"]), re.M)
    ]
    assert set_up == []
    assert any("&gt;&gt;&gt; " in e["text"] or ">>> " in e["text"] for e in entries)
    assert "data-search-exclude" not in site.html("forward/")
