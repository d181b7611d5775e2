"""What readers and their tools expect of every page: a description of its own and social tags.

No browser needed: the built pages are read as files.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import nbformat
from mkdocs.utils.meta import get_data
from numcheck import DOCS, markdown_pages, notebooks
from siteserver import Site


def _built(site: Site, source: Path) -> str:
    name = source.relative_to(DOCS).with_suffix("").as_posix()
    folder = site.root if name == "index" else site.root / name
    return (folder / "index.html").read_text(encoding="utf-8")


def _description(source: Path) -> str | None:
    if source.suffix == ".ipynb":
        return nbformat.read(source, as_version=4).metadata.get("description")
    return get_data(source.read_text(encoding="utf-8"))[1].get("description")


def _meta(page: str, attribute: str, name: str) -> list[str]:
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"'
    return [html.unescape(value) for value in re.findall(pattern, page)]


SOURCES = [*markdown_pages(), *notebooks()]


def test_every_page_has_a_description_of_its_own_in_its_meta_and_social_tags(site: Site) -> None:
    descriptions = {}
    for source in SOURCES:
        wanted = _description(source)
        assert wanted, f"{source.name}: no description in its front matter (or metadata)"
        page = _built(site, source)
        assert _meta(page, "name", "description") == [wanted], source.name
        assert _meta(page, "property", "og:description") == [wanted], source.name
        assert _meta(page, "name", "twitter:description") == [wanted], source.name
        descriptions[source.name] = wanted
    repeated = [text for text, n in Counter(descriptions.values()).items() if n > 1]
    assert not repeated, repeated


def test_every_page_has_its_title_as_social_title(site: Site) -> None:
    for source in SOURCES:
        page = _built(site, source)
        title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1].strip())
        assert _meta(page, "property", "og:title") == [title], source.name
