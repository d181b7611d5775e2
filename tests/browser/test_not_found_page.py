"""An address the site does not have gets a page with a way back: home, the derivation, search.

GitHub Pages answers a missing address with the site's ``404.html`` and status 404. The
fixtures' server answers with a bare error instead, so this module serves the same build with a
handler that does what Pages does, at the server root and under the project subpath (the
404 page's links are written from the site's root path, so both matter). The page's three links
are followed and must reach the home page, the first page of the derivation (the first page of
the first section of ``nav``) and the open search box. axe-core checks the page in both themes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from a11ycheck import axe_violations, describe_violations, set_theme, settle
from playwright.sync_api import Browser, Page
from siteserver import Site, SiteHandler, SiteServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MISSING = "no-such-page/at/all/"


class PagesHandler(SiteHandler):
    """:class:`SiteHandler` that answers a missing file with ``404.html``, as GitHub Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module", params=["root", "subpath"])
def pages_site(request: pytest.FixtureRequest) -> Iterator[Site]:
    """The build of ``site`` or ``subpath_site``, served as GitHub Pages serves it."""
    built: Site = request.getfixturevalue("site" if request.param == "root" else "subpath_site")
    prefix = urlsplit(built.url).path
    server = SiteServer(("127.0.0.1", 0), None)
    server.RequestHandlerClass = functools.partial(
        PagesHandler, directory=str(built.root), overlay=built.overlay, prefix=prefix
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
        yield Site(root=built.root, overlay=built.overlay, url=url, pages=built.pages)
    finally:
        server.shutdown()
        server.server_close()


def first_lesson() -> str:
    """The address (relative to the site) of the first page of the first section of nav."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    sections = [next(iter(item.values())) for item in config["nav"] if isinstance(item, dict)]
    first = next(s for s in sections if isinstance(s, list))
    source = next(iter(first[0].values()))
    return source.removesuffix(".md") + "/"


def open_missing(browser: Browser, site: Site) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    response = page.goto(site.url + MISSING)
    assert response is not None and response.status == 404, "a missing address is not a 404"
    page.wait_for_load_state("load")
    return page


def test_a_missing_address_shows_a_way_back(browser: Browser, pages_site: Site) -> None:
    page = open_missing(browser, pages_site)
    try:
        assert page.locator("article h1").inner_text() == "Page not found"
        assert page.title().startswith("Page not found")
        for name in ("home", "start", "search"):
            assert page.locator(f'a[data-not-found="{name}"]').count() == 1, f"no {name} link"
    finally:
        page.context.close()


def _follow(browser: Browser, site: Site, name: str) -> Page:
    page = open_missing(browser, site)
    page.locator(f'a[data-not-found="{name}"]').click()
    page.wait_for_load_state("load")
    return page


def test_the_home_link_reaches_the_home_page(browser: Browser, pages_site: Site) -> None:
    page = _follow(browser, pages_site, "home")
    try:
        page.wait_for_url(pages_site.url + "**")
        assert urlsplit(page.url).path == urlsplit(pages_site.url).path
        assert page.locator("article h1").count() == 1
        assert page.locator("article h1").inner_text() != "Page not found"
    finally:
        page.context.close()


def test_the_start_link_reaches_the_first_lesson(browser: Browser, pages_site: Site) -> None:
    page = _follow(browser, pages_site, "start")
    try:
        page.wait_for_url(pages_site.url + first_lesson())
        heading = page.locator("article h1").inner_text()
        built = (pages_site.root / first_lesson() / "index.html").read_text(encoding="utf-8")
        assert heading and heading != "Page not found"
        assert f"<title>{page.title()}</title>" in built.replace("&amp;", "&")
    finally:
        page.context.close()


def test_the_search_link_opens_search(browser: Browser, pages_site: Site) -> None:
    page = _follow(browser, pages_site, "search")
    try:
        page.wait_for_function("document.getElementById('__search')?.checked === true")
        assert page.evaluate("document.activeElement?.matches('.md-search__input')")
        page.keyboard.type("forward")
        page.wait_for_selector(".md-search-result__item")
    finally:
        page.context.close()


def test_axe_finds_no_violation_on_the_not_found_page(browser: Browser, pages_site: Site) -> None:
    page = open_missing(browser, pages_site)
    try:
        settle(page)
        found = {}
        for theme in ("light", "dark"):
            set_theme(page, theme)
            found[theme] = describe_violations(axe_violations(page))
        assert not any(found.values()), f"axe-core on the 404 page: {found}"
    finally:
        page.context.close()
