"""What readers and their tools expect of every page: a description of its own, social tags,
the package version, the build date and the licences in the footer.

No browser needed: the built pages are read as files.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import nbformat
from load_module import load_module
from mkdocs.utils.meta import get_data
from numcheck import DOCS, markdown_pages, notebooks
from siteserver import Site

import rnn_derivatives

BUILD_INFO = load_module(DOCS / "_hooks" / "build_info.py", "build_info_hook")


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


def _footer(site: Site, source: Path) -> str:
    page = _built(site, source)
    footer = re.search(r'<div class="md-copyright">(.*?)</footer>', page, re.S)
    assert footer, f"{source.name}: no footer"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", footer[1]))


def test_the_footer_shows_the_package_version_and_the_build_date(site: Site) -> None:
    date = BUILD_INFO.build_info()["date"]
    assert date, "the build has a date (git or SOURCE_DATE_EPOCH)"
    for source in (DOCS / "index.md", DOCS / "forward.md", DOCS / "reference.md"):
        footer = _footer(site, source)
        assert f"rnn_derivatives {rnn_derivatives.__version__}, built {date}." in footer, footer


def test_the_footer_states_the_licences_of_text_and_code(site: Site) -> None:
    for source in SOURCES:
        footer = _footer(site, source)
        assert "Text licensed under CC BY 4.0, code under the MIT licence." in footer, footer
    page = _built(site, DOCS / "index.md")
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page


def test_the_build_date_comes_from_source_date_epoch_when_it_is_set(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert BUILD_INFO.build_info()["date"] == "2023-11-14"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", BUILD_INFO.build_info()["date"])
