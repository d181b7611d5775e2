"""A site published at the root of its host is tested as CI tests a project site.

A user or organisation site (``https://<owner>.github.io/``) and a custom domain serve the site
at ``/``, so the Pages workflow builds it with a ``SITE_URL`` whose path is ``/``. Here the site
is built for such an address and the browser tests of the published build run on it exactly as
in CI (``SITE_DIR`` and ``SITE_URL`` set, in a pytest of their own): instant navigation through
every page from a direct load of the first (each checked as the direct loads are: no request
leaves 127.0.0.1, no script error, all math typeset), and search. Opening every page directly
as well would add two minutes for what the server-root build already shows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "https://owner.github.io/"
#: The tests of the published build (``subpath_site``) in tests/browser/test_site_in_browser.py.
PUBLISHED_BUILD_TESTS = [
    "test_instant_navigation_typesets_every_page[subpath]",
    "test_search_finds_the_jacobian_offline_and_lands_on_a_page_about_it[subpath]",
]


def test_a_build_for_the_root_of_a_host_is_served_at_the_root_and_every_page_works(
    tmp_path: Path,
) -> None:
    site_dir = tmp_path / "site"
    build(site_dir, ADDRESS)
    assert f'<link rel="canonical" href="{ADDRESS}">' in (site_dir / "index.html").read_text()
    env = {**os.environ, "SITE_DIR": str(site_dir), "SITE_URL": ADDRESS}
    tests = [f"tests/browser/test_site_in_browser.py::{name}" for name in PUBLISHED_BUILD_TESTS]
    command = [sys.executable, "-m", "pytest", "-q", *tests]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, output
    assert f"{len(tests)} passed" in done.stdout, output
