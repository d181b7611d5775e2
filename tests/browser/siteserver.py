"""The built site on disk and the local HTTP server that serves it."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class Site:
    """A built site and the local server that serves it.

    ``pages`` are the sitemap's pages as paths relative to ``url`` (``""`` is the home page).
    Files under ``overlay`` are served in front of the build (the checker tests put faulty
    pages there), so the build itself stays exactly what ``mkdocs build`` wrote.
    """

    root: Path
    overlay: Path
    url: str
    pages: list[str]

    def html(self, page: str) -> str:
        """The built HTML of a sitemap page."""
        return (self.root / page / "index.html").read_text(encoding="utf-8")


#: Responses whose text may name the site's address (pages, sitemap, search index).
TEXT_TYPES = ("text/html", "text/xml", "application/xml", "application/json")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serve ``overlay`` in front of ``directory`` under the URL path ``prefix``, quietly.

    Paths outside ``prefix`` are not found, as on GitHub Pages for a project site.
    ``rewrite = (old, new)`` replaces the address ``old`` with ``new`` in the text of every
    page, sitemap and JSON file as it is sent: a site built for its public address (``SITE_URL``)
    is then tested as is, served from 127.0.0.1.
    """

    def __init__(
        self,
        *args: object,
        overlay: Path,
        prefix: str = "/",
        rewrite: tuple[str, str] | None = None,
        **kwargs: object,
    ) -> None:
        self.overlay = overlay
        self.prefix = prefix
        self.rewrite = tuple(part.encode() for part in rewrite) if rewrite else None
        self.rewriting = False
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "not-under-the-prefix" / "404")
        built = Path(super().translate_path("/" + path.removeprefix(self.prefix)))
        shadow = self.overlay / built.relative_to(self.directory)
        shadowed = shadow.is_file() or (shadow / "index.html").is_file()
        return str(shadow if shadowed else built)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "content-type":
            self.rewriting = self.rewrite is not None and value.split(";")[0] in TEXT_TYPES
        if keyword.lower() == "content-length" and self.rewriting:
            return  # the body changes length; HTTP/1.0 ends it by closing the connection
        super().send_header(keyword, value)

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
        if self.rewriting:
            outputfile.write(source.read().replace(*self.rewrite))
        else:
            super().copyfile(source, outputfile)

    def log_message(self, format: str, *args: object) -> None:
        pass


def sitemap_pages(root: Path, url: str) -> list[str]:
    """Paths (relative to ``url``) of every page in ``root/sitemap.xml``."""
    locs = [loc.text or "" for loc in ET.parse(root / "sitemap.xml").iter(f"{SITEMAP_NS}loc")]
    outside = [loc for loc in locs if not loc.startswith(url)]
    if outside:
        raise AssertionError(f"sitemap entries outside {url}: {outside}")
    return [loc.removeprefix(url) for loc in locs]


class SiteServer(ThreadingHTTPServer):
    """A threaded HTTP server that stays quiet when the browser drops a connection."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
