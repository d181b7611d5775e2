"""Lighthouse scores of every page of the built site, beside a plain Material page: ``make audit``.

Builds the site (``mkdocs build --strict``) into a temporary folder with ``site_url`` set to a
free port of 127.0.0.1 and serves it there **gzip-compressed, as GitHub Pages serves it** (on
Lighthouse's simulated phone network an uncompressed page loses many points that readers never
lose). In the same run it builds and serves, the same way, the floor: a plain Material page (one
long page of text, ``navigation.instant``, no math, the pinned Material), so that a score can be
told apart from what this machine and the theme allow. Lighthouse (pinned in ``tools/audit/``,
installed by ``npm ci``) runs on the floor and then on every page of the sitemap with Debian's
Chromium, headless, in its default mobile profile, ``RUNS`` times each (default 3; Lighthouse's
own advice is the median of several runs, as one run of a page can differ from the next by ten
points here). Prints the medians of the four category scores, total blocking time (ms), largest
contentful paint (ms) and cumulative layout shift of each, writes
them to ``tools/audit/latest.json`` (not committed; the floor under ``"(plain Material)"``), and
the last run's full Lighthouse reports to ``tools/audit/reports/`` (not committed either).
Performance depends on how busy the machine is: compare pages only with the floor of the same
run.

Usage: ``python tools/audit/audit.py [page ...]`` (pages as sitemap paths, e.g. ``forward/``;
default: every page). ``CHROME_PATH`` selects the browser (default ``/usr/bin/chromium``),
``RUNS`` the number of runs per page.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import statistics
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
#: Printed beside the scores: TBT and LCP in milliseconds, CLS as Lighthouse gives it.
METRICS = {
    "total-blocking-time": "TBT ms",
    "largest-contentful-paint": "LCP ms",
    "cumulative-layout-shift": "CLS",
}
FLOOR = "(plain Material)"
#: What GitHub Pages compresses: text, scripts, styles, JSON, SVG.
COMPRESSED = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/xml",
)
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


class GzipHandler(SimpleHTTPRequestHandler):
    """Serve files as GitHub Pages does: text gzip-compressed for a browser that accepts it."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and ctype.startswith(COMPRESSED)):
            super().do_GET()  # directories without a slash, 404s, images, fonts
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def floor_project(folder: Path) -> Path:
    """A plain Material project in ``folder``: one long page of text, instant navigation,
    system fonts, no math; returns its ``mkdocs.yml`` (``site_url`` from ``SITE_URL``, like the
    site's). The browser tests measure the same page as the floor of their report."""
    sentence = (
        "A paragraph of plain prose, as long as a paragraph of a lesson, with nothing on it "
        "but text: no formula, no figure, no code, no script of our own. "
    )
    sections = [
        f"## Section {n}\n\n" + "\n\n".join(sentence * 4 for _ in range(3)) for n in range(12)
    ]
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(
        "# A plain Material page\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8"
    )
    config = folder / "mkdocs.yml"
    config.write_text(
        "site_name: A plain Material page\nsite_url: !ENV SITE_URL\n"
        # System fonts, as on the site (mkdocs.yml): no request leaves the machine.
        "theme:\n  name: material\n  font: false\n  features: [navigation.instant]\n",
        encoding="utf-8",
    )
    return config


def build(site_dir: Path, url: str, config: Path | None = None) -> None:
    """``mkdocs build --strict`` of this site (or of the project ``config``) for ``url``."""
    env = {**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    if config is not None:
        command += ["--config-file", str(config)]
    subprocess.run([*command, "--site-dir", str(site_dir)], cwd=ROOT, env=env, check=True)


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """A gzip server for ``directory`` on a free port of 127.0.0.1, and its address."""
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


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
    # The metrics behind the performance score, to tell a change from noise.
    for metric in METRICS:
        value = result["audits"][metric]["numericValue"]
        scores[metric] = round(value, 3) if metric == "cumulative-layout-shift" else round(value)
    return scores


def median_scores(url: str, report: Path, runs: int) -> dict[str, float]:
    """The median over ``runs`` Lighthouse runs of ``url`` of each score and metric."""
    results = [lighthouse(url, report) for _ in range(runs)]
    return {name: statistics.median(r[name] for r in results) for name in results[0]}


def row(name: str, scores: dict[str, float]) -> str:
    cells = [f"{scores[c]:>15}" for c in CATEGORIES] + [f"{scores[m]:>9}" for m in METRICS]
    return f"{name:<28}" + "".join(cells)


def main(wanted: list[str], runs: int) -> None:
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} missing: run `npm ci` in {HERE} (or `make audit`)")
    REPORTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site_dir, floor_dir = Path(tmp) / "site", Path(tmp) / "floor"
        server, url = serve(site_dir)
        floor_server, floor_url = serve(floor_dir / "site")
        build(site_dir, url)
        build(floor_dir / "site", floor_url, floor_project(floor_dir))
        for each in (server, floor_server):
            threading.Thread(target=each.serve_forever, daemon=True).start()
        pages = wanted or sitemap_pages(site_dir, url)
        header = f"{'page':<28}" + "".join(f"{n:>15}" for n in CATEGORIES)
        print(header + "".join(f"{label:>9}" for label in METRICS.values()), flush=True)
        try:
            scores = {FLOOR: median_scores(floor_url, REPORTS / "plain-material.json", runs)}
            print(row(FLOOR, scores[FLOOR]), flush=True)
            for rel in pages:
                name = rel.strip("/").replace("/", "_") or "index"
                scores[rel] = median_scores(url + rel, REPORTS / f"{name}.json", runs)
                print(row(f"/{rel}", scores[rel]), flush=True)
        finally:
            for each in (server, floor_server):
                each.shutdown()
                each.server_close()
    OUTPUT.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    each = "one run" if runs == 1 else f"the median of {runs} runs"
    print(f"scores ({each} each) written to {OUTPUT.relative_to(ROOT)} (served gzip-compressed)")


if __name__ == "__main__":
    main(sys.argv[1:], int(os.environ.get("RUNS", "3")))
