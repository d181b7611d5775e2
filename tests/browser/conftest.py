"""Fixtures for the tests of the built site: one build, one local server, one browser.

The site is built once per session with ``mkdocs build --strict`` into a temporary folder and
served by a threaded ``http.server`` on 127.0.0.1 (a free port). ``site_url`` is set to that
origin through the ``SITE_URL`` environment variable (see mkdocs.yml): Material's instant
navigation only works when ``site_url`` matches the origin the site is served from, and a free
port never collides with ``make serve`` on port 8000.

GitHub Pages serves a project site under ``/<repository>/``, so ``subpath_site`` is the site
served under :data:`SUBPATH` (``each_site`` is either, for tests that run at both places). With
``SITE_DIR`` set (CI: the build about to be published, made for ``SITE_URL``) that build is
served as it is under the path of ``SITE_URL``, its address swapped for the local one as pages
are sent: ``/<repository>/`` for a project site, ``/`` for a user or organisation site
(``https://<owner>.github.io/``) or a custom domain. Otherwise the fixture builds the site for
the local subpath address itself.

Tests marked ``browser`` open the site in Debian's Chromium through Playwright; they are skipped
with a one-line reason when ``/usr/bin/chromium`` is missing. Chromium resolves no host name but
127.0.0.1, so nothing a page asks for can leave the machine.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from load_module import load_module
from siteserver import Site, SiteHandler, SiteServer, sitemap_pages

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
#: Full-page screenshots of every page in both themes (not committed; see .gitignore).
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "screenshots"))
MEASUREMENTS = pytest.StashKey[dict]()
#: Where GitHub Pages serves this project's site: https://<owner>.github.io/rnn-derivatives/.
SUBPATH = "/rnn-derivatives/"
#: ``make audit``'s script, for its plain Material page (the floor of the timings).
AUDIT = load_module(ROOT / "tools" / "audit" / "audit.py", "audit_script")


def browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = browser_unavailable()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[MEASUREMENTS] = {}


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    lines = config.stash.get(MEASUREMENTS, {}).get("summary")
    if lines:
        terminalreporter.section("the site in a browser")
        for line in lines:
            terminalreporter.write_line(line)


def build(root: Path, url: str, config: Path | None = None) -> None:
    """``mkdocs build --strict`` into ``root`` for the address ``url`` (of this site, or of the
    project ``config``); fail if it fails."""
    env = {**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root)]
    if config is not None:
        command += ["--config-file", str(config)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stderr[-4000:]}", pytrace=False)


@contextmanager
def served(
    tmp_path_factory: pytest.TempPathFactory,
    prefix: str,
    prebuilt: tuple[Path, str] | None,
    config: Path | None = None,
) -> Iterator[Site]:
    """Serve a site under ``prefix`` on a free port: ``prebuilt`` (folder, address) or a build
    (of this site, or of the project ``config``)."""
    overlay = tmp_path_factory.mktemp("overlay")
    root = prebuilt[0] if prebuilt else tmp_path_factory.mktemp("site")
    server = SiteServer(("127.0.0.1", 0), None)  # the handler needs the port: set below
    url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    rewrite = (prebuilt[1], url) if prebuilt else None
    server.RequestHandlerClass = functools.partial(
        SiteHandler, directory=str(root), overlay=overlay, prefix=prefix, rewrite=rewrite
    )
    try:
        if not prebuilt:
            build(root, url, config)
        pages = sitemap_pages(root, prebuilt[1] if prebuilt else url)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Site(root=root, overlay=overlay, url=url, pages=pages)
        finally:
            server.shutdown()
    finally:
        server.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Build the site once (``--strict``) and serve it on a free port of 127.0.0.1."""
    with served(tmp_path_factory, "/", None) as built:
        yield built


@pytest.fixture(scope="session")
def floor_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A plain Material page (one long page of text, instant navigation, no math), built and
    served like the site: the floor its times are compared with, measured in the same run
    (the same page ``make audit`` scores, ``tools/audit/audit.py``)."""
    config = AUDIT.floor_project(tmp_path_factory.mktemp("floor"))
    with served(tmp_path_factory, "/", None, config) as built:
        yield built


def published_address(address: str) -> tuple[str, str]:
    """``SITE_URL`` as MkDocs writes it into the build (ending in ``/``), and its URL path.

    Any path will do: ``/<repository>/`` for a project site, ``/`` for a user or organisation
    site (``https://<owner>.github.io/``) or a custom domain.
    """
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        pytest.fail(f"SITE_DIR needs SITE_URL, the address it was built for, not {address!r}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}", path


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site as GitHub Pages serves it: under ``/<repository>/``, or the CI build (SITE_DIR).

    The CI build is served under the path of its ``SITE_URL``, which is ``/`` for a user or
    organisation site or a custom domain (see the module's doc).
    """
    prebuilt = None
    prefix = SUBPATH
    if os.environ.get("SITE_DIR"):
        address, prefix = published_address(os.environ.get("SITE_URL", ""))
        prebuilt = ((ROOT / os.environ["SITE_DIR"]).resolve(), address)
    with served(tmp_path_factory, prefix, prebuilt) as built:
        yield built


@pytest.fixture(scope="session", params=["root", "subpath"])
def each_site(request: pytest.FixtureRequest) -> Site:
    """The site at the server root, then under the subpath."""
    return request.getfixturevalue("site" if request.param == "root" else "subpath_site")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """The folder for this run's screenshots, without the previous run's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture(scope="session")
def measurements(pytestconfig: pytest.Config) -> dict:
    """Numbers the browser run reports at the end of the session (``summary``: lines)."""
    return pytestconfig.stash[MEASUREMENTS]
