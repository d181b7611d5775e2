"""Lighthouse scores of every page of the built site: ``make audit``.

Builds the site (``mkdocs build --strict``) into a temporary folder with ``site_url`` set to a
free port of 127.0.0.1, serves it there, and runs the pinned Lighthouse (``tools/audit/``,
installed by ``npm ci``) on every page of the sitemap with Debian's Chromium, headless, in
Lighthouse's default mobile profile. Prints the four category scores of every page and writes
them, with total blocking time and largest contentful paint (ms), to ``tools/audit/latest.json``
(not committed); Lighthouse's full reports go to ``tools/audit/reports/`` (not committed either).
Performance depends on how busy the machine is: compare only runs made under the same load.

Usage: ``python tools/audit/audit.py [page ...]`` (pages as sitemap paths, e.g. ``forward/``;
default: every page). ``CHROME_PATH`` selects the browser (default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
OUTPUT = HERE / "latest.json"
REPORTS = HERE / "reports"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Written to the file beside the scores (milliseconds), not printed.
METRICS = ("total-blocking-time", "largest-contentful-paint")
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ]
)
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build(site_dir: Path, url: str) -> None:
    env = {**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    subprocess.run([*command, "--site-dir", str(site_dir)], cwd=ROOT, env=env, check=True)


def sitemap_pages(site_dir: Path, url: str) -> list[str]:
    locs = ET.parse(site_dir / "sitemap.xml").iter(f"{SITEMAP_NS}loc")
    return [(loc.text or "").removeprefix(url) for loc in locs]


def lighthouse(url: str, report: Path) -> dict[str, int]:
    """Run Lighthouse on ``url``, save its JSON report; the category scores out of 100."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    subprocess.run(command, env=env, check=True)
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES}
    # The two metrics that move the performance score most, to tell a change from noise.
    for metric in METRICS:
        scores[metric] = round(result["audits"][metric]["numericValue"])
    return scores


def main(wanted: list[str]) -> None:
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} missing: run `npm ci` in {HERE} (or `make audit`)")
    REPORTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp)
        handler = functools.partial(QuietHandler, directory=str(site_dir))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        build(site_dir, url)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        pages = wanted or sitemap_pages(site_dir, url)
        scores = {}
        header = f"{'page':<28}" + "".join(f"{name:>16}" for name in CATEGORIES)
        print(header, flush=True)
        try:
            for rel in pages:
                name = rel.strip("/").replace("/", "_") or "index"
                scores[rel] = lighthouse(url + rel, REPORTS / f"{name}.json")
                row = "".join(f"{scores[rel][c]:>16}" for c in CATEGORIES)
                print(f"/{rel:<27}{row}", flush=True)
        finally:
            server.shutdown()
            server.server_close()
    OUTPUT.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    print(f"scores written to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
