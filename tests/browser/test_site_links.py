"""Every internal link and anchor of the built site resolves; nothing is loaded from afar.

No browser needed: these tests run wherever the site builds.
"""

from __future__ import annotations

from pathlib import Path

from linkcheck import broken_links
from siteserver import Site


def test_every_internal_link_and_anchor_resolves(site: Site) -> None:
    problems = broken_links(site.root, site.url)
    assert not problems, "\n".join(problems)


def test_the_sitemap_lists_every_page_of_the_build(site: Site) -> None:
    built = {
        html.relative_to(site.root).as_posix().removesuffix("index.html")
        for html in site.root.rglob("index.html")
    }
    assert site.pages, "the sitemap lists no page"
    assert built == set(site.pages)


def _write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_the_link_checker_reports_every_kind_of_fault(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8000/docs/"
    _write(
        tmp_path,
        "index.html",
        '<a href="other/">fine</a> <a href="other/#here">fine</a> <a href="#top" id="top">fine</a>'
        '<a href="https://example.org/">external link, not checked</a>'
        '<img src="figures/plot.svg"> <a href="/docs/other/index.html">fine</a>'
        '<a href="missing/">gone</a> <a href="other/#nowhere">no anchor</a>'
        '<a href="/elsewhere/">outside</a>'
        '<script src="https://cdn.example.com/mathjax.js"></script>',
    )
    _write(tmp_path, "other/index.html", '<h2 id="here">Here</h2><a href="../#top">fine</a>')
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "plot.svg").write_text("<svg/>", encoding="utf-8")

    problems = broken_links(tmp_path, url)

    assert problems == [
        "index.html: missing/ -> no such file in the build",
        "index.html: other/#nowhere -> no element with id 'nowhere' in other/index.html",
        "index.html: /elsewhere/ points outside the site (/docs/)",
        "index.html: loads https://cdn.example.com/mathjax.js from another host"
        " (the site must work offline)",
    ]
