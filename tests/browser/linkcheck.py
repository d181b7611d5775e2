"""Check a built site offline: every internal link and anchor resolves, nothing loads from afar.

``broken_links(root, url)`` reads every HTML file under ``root`` (the site as served at ``url``)
and returns one line per problem:

* a link, or a file a page loads (script, stylesheet, image, …), that points inside the site
  but to no file of the build;
* a ``#fragment`` that names no ``id`` (or ``<a name>``) of the target page;
* a file a page *loads* from another host: the site must work offline. Links a reader may follow
  to other sites (``<a href="https://…">``) are not checked.

The search index (``search/search_index.json``) and the sitemap are checked the same way, since
readers follow their entries too.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from siteserver import SITEMAP_NS

#: Attributes whose URL the browser fetches while rendering the page.
LOADED = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("link", "href"),
    ("image", "href"),
    ("use", "href"),
}
#: Attributes whose URL a reader follows.
FOLLOWED = {("a", "href"), ("area", "href")}
NOT_WEB = ("mailto:", "tel:", "javascript:", "data:", "blob:")
#: <link rel> values that name a page rather than load a file.
LINK_RELS_FOLLOWED = {"canonical", "prev", "next", "alternate", "author", "license"}


class _Page(HTMLParser):
    """The ids and the URLs of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, bool]] = []  # (url, loaded by the browser)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name in ("href", "src", "xlink:href"):
            if name not in values:
                continue
            key = (tag, "href" if name == "xlink:href" else name)
            if key in LOADED:
                rel = set(values.get("rel", "").split())
                loaded = not (tag == "link" and rel & LINK_RELS_FOLLOWED)
                self.urls.append((values[name], loaded))
            elif key in FOLLOWED:
                self.urls.append((values[name], False))


@cache
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _target(root: Path, rel: str) -> Path | None:
    """The file the server answers for ``rel`` (a decoded path inside the site), or None."""
    path = root / rel
    if rel == "" or rel.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def check_url(root: Path, url: str, source: str, href: str, loaded: bool) -> str | None:
    """Check one URL found at ``source`` (an absolute URL inside the site); None when fine."""
    if href.startswith(NOT_WEB):
        return None
    absolute = urljoin(source, href)
    parts = urlsplit(absolute)
    site = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        if parts.scheme in ("http", "https", "ws", "wss", "ftp") and loaded:
            return f"loads {href} from another host (the site must work offline)"
        return None
    if not parts.path.startswith(site.path):
        return f"{href} points outside the site ({site.path})"
    target = _target(root, unquote(parts.path.removeprefix(site.path)))
    if target is None:
        return f"{href} -> no such file in the build"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
        return f"{href} -> no element with id {fragment!r} in {target.relative_to(root)}"
    return None


def page_url(root: Path, url: str, html: Path) -> str:
    """The URL the server gives the HTML file ``html``."""
    rel = html.relative_to(root).as_posix()
    return urljoin(url, rel.removesuffix("index.html"))


def broken_links(root: Path, url: str) -> list[str]:
    """Every broken internal link or anchor, and every file loaded from another host."""
    _parse.cache_clear()
    problems = []
    for html in sorted(root.rglob("*.html")):
        source = page_url(root, url, html)
        for href, loaded in _parse(html).urls:
            problem = check_url(root, url, source, href, loaded)
            if problem:
                problems.append(f"{html.relative_to(root)}: {problem}")
    index = root / "search" / "search_index.json"
    if index.exists():
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            problem = check_url(root, url, url, doc["location"], loaded=False)
            if problem:
                problems.append(f"search index: {problem}")
    sitemap = root / "sitemap.xml"
    if sitemap.exists():
        for loc in ET.parse(sitemap).iter(f"{SITEMAP_NS}loc"):
            problem = check_url(root, url, url, loc.text or "", loaded=False)
            if problem or not (loc.text or "").startswith(url):
                problems.append(f"sitemap: {problem or f'{loc.text} is not under {url}'}")
    return problems
