"""MkDocs hook: under ``mkdocs serve``, convert and index only the pages that changed.

Every rebuild of ``mkdocs serve`` converts every page from Markdown again and indexes it for
search again, though an author has usually saved one page: two thirds of a rebuild's time.
For the life of the serve process, this hook keeps what both gave for each page.

**Conversion.** What converting a page gave (its HTML, table of contents, title and anchors) is
kept under a key of everything the conversion reads:

* the page's Markdown after every ``on_page_markdown`` hook (so diagrams and pinned numbers are
  in it), and where the page sits (its path and URL);
* every file of the site and its URL (links are resolved against them);
* ``mkdocs.yml`` (the Markdown extensions and their settings).

A page whose key is unchanged gets its last conversion back instead of a new one; every other
event (``on_page_content``, the typesetting of math, the search index, the templates) runs as
usual. (Only mkdocstrings' ``:::`` blocks register anchors with mkdocs-autorefs, and the page
that holds them is never kept.)

Pages are converted afresh when the conversion reads more than that key holds: pages that
include files (``--8<--``), the API reference (``:::``, read from the package source),
and notebooks (converted by mkdocs-jupyter). A conversion that logged a warning is not kept,
so ``--strict`` sees the warning again on the next rebuild.

**Search.** The entries that Material's search plugin makes of a page are kept under a key of
what it reads: the page's final HTML, table of contents, URL, title and metadata.

``mkdocs build`` never uses either. ``tests/test_serve_cache.py`` checks that a rebuild after an
edit gives the same site as a fresh build.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

#: Markdown that makes a conversion read more than the page: included files, API reference.
READS_MORE = ("--8<--", "\n::: ")


@dataclass(frozen=True)
class Converted:
    """What converting one page set on it; anchors linked to are keyed by the file's path."""

    key: str
    content: str
    toc: TableOfContents
    title: str | None
    present_anchor_ids: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None


# MkDocs 1.6.1 executes each hook file once per process: `Hooks._load_hook` is cached
# (functools.lru_cache) on the config option that every MkDocsConfig shares, so a rebuild of
# `mkdocs serve`, which loads mkdocs.yml again, gets this same module, and `on_startup` (called
# once, before the first build) is seen by every rebuild. What follows lives as module globals
# for the life of the process, as prerender_math.py's state does (tests/test_docs_tooling.py
# checks the fact).

#: The last conversion of each page since ``mkdocs serve`` started, by the page's path, and its
#: last search entries with their key, by its URL (both empty under ``mkdocs build``).
converted: dict[str, Converted] = {}
indexed: dict[str, tuple[str, tuple[dict[str, Any], ...]]] = {}
serving = False
#: This build's part of every page's key: mkdocs.yml and every file with its URL.
site_key = ""


def on_startup(command: str, dirty: bool) -> None:
    global serving
    serving = command == "serve"


def digest(*parts: str) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode())
        hashed.update(b"\0")
    return hashed.hexdigest()


def on_files(files: Files, config: MkDocsConfig) -> None:
    """Key this build's site once: the hooks above have added their files by now."""
    global site_key
    if not serving:
        return
    site_key = digest(
        Path(config.config_file_path).read_text(encoding="utf-8"),
        *sorted(f"{file.src_uri} {file.url}" for file in files),
    )


def key(markdown: str, page: Page) -> str:
    """A digest of everything the conversion of ``page`` reads."""
    return digest(markdown, page.file.src_uri, page.file.url, site_key)


def anchors(toc: TableOfContents) -> Iterator[str]:
    """Every entry of a table of contents, nested ones too, as its id, URL and title."""
    for item in toc:
        yield f"{item.id} {item.url} {item.title}"
        yield from anchors(item.children)


def search_key(page: Page) -> str:
    """A digest of everything Material's search plugin reads from ``page``."""
    return digest(page.content, page.url, str(page.title), repr(page.meta), *anchors(page.toc))


@contextmanager
def warnings_logged() -> Iterator[list[logging.LogRecord]]:
    """Collect the warnings (and worse) that MkDocs and its extensions log meanwhile."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def remember(page: Page, key: str) -> Converted:
    links = page.links_to_anchors
    return Converted(
        key=key,
        content=page.content,
        toc=copy.deepcopy(page.toc),
        title=page._title_from_render,
        present_anchor_ids=frozenset(page.present_anchor_ids or ()),
        links_to_anchors=None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
    )


def restore(page: Page, kept: Converted, files: Files) -> None:
    page.content = kept.content
    page.toc = copy.deepcopy(kept.toc)
    page._title_from_render = kept.title
    page.present_anchor_ids = set(kept.present_anchor_ids)
    if kept.links_to_anchors is not None:
        linked: dict[File, dict[str, str]] = {}
        for src_uri, links in kept.links_to_anchors.items():
            file = files.get_file_from_path(src_uri)
            if file is not None:
                linked[file] = dict(links)
        page.links_to_anchors = linked


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> None:
    path = page.file.src_uri
    if not serving or path.endswith(".ipynb") or any(sign in markdown for sign in READS_MORE):
        return
    page_key = key(markdown, page)
    convert = page.render

    def render(config: MkDocsConfig, files: Files) -> None:
        kept = converted.get(path)
        if kept is not None and kept.key == page_key:
            restore(page, kept, files)
            return
        with warnings_logged() as warnings:
            convert(config, files)
        if warnings:
            converted.pop(path, None)
        else:
            converted[path] = remember(page, page_key)

    page.render = render  # this page object only, for this build


def on_pre_build(config: MkDocsConfig) -> None:
    search = config.plugins.get("material/search")
    if not serving or search is None:
        return
    index = search.search_index
    add = index.add_entry_from_context

    def add_entries(page: Page) -> None:
        entries_key = search_key(page)
        kept = indexed.get(page.url)
        if kept is not None and kept[0] == entries_key:
            index.entries.extend(dict(entry) for entry in kept[1])
            return
        start = len(index.entries)
        add(page)
        indexed[page.url] = (entries_key, tuple(dict(entry) for entry in index.entries[start:]))

    index.add_entry_from_context = add_entries  # this build's index only
