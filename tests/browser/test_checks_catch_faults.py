"""The browser checks fail on the faults they exist for: bad TeX, external URLs, unreadable math,
content that moves while the page loads.

Faulty pages are copies of a real built page with a fault added to its article; the test
server serves them from the site's overlay folder, next to the untouched build. The same
:func:`sitecheck.check_page` the site tests use must report every fault, and nothing on the
untouched page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser
from sitecheck import (
    MAX_LAYOUT_SHIFT,
    Recorder,
    check_page,
    contrast_problems,
    layout_shift,
    origin_of,
    wait_for_layout,
)
from siteserver import Site

pytestmark = pytest.mark.browser

# The build typesets every formula (and fails on bad TeX); these are what a page would show if
# a formula escaped it: MathJax's error node, TeX left untypeset, TeX outside any math element.
MALFORMED_TEX = (
    '<p><span class="arithmatex"><mjx-container><mjx-math><mjx-merror'
    ' data-mjx-error="Double exponent: use braces to clarify"><mjx-mtext>Double exponent'
    "</mjx-mtext></mjx-merror></mjx-math></mjx-container></span> is a TeX error,"
    r' <span class="arithmatex">\(\fracc{a}{b}\)</span> was never typeset,'
    r" and $$\partial L$$ is outside any math element.</p>"
)
UNREADABLE_IN_DARK = "<style>[data-md-color-scheme=slate] mjx-container {color: #333}</style>"
EXTERNAL_URLS = (
    '<script src="https://cdn.example.com/mathjax/tex-chtml.js"></script>'
    '<img src="https://example.org/figure.png" alt="figure">'
    "<script>throw new Error('broken script')</script>"
)


def page_with_math(site: Site) -> str:
    """A sitemap page one folder deep (so the copy's relative URLs work) that has math."""
    for rel in site.pages:
        if rel.count("/") == 1 and 'class="arithmatex"' in site.html(rel):
            return rel
    raise AssertionError("no page one folder deep has math")


def faulty_copy(site: Site, name: str, fault: str) -> str:
    """Serve a copy of a real page with ``fault`` at the end of its article as ``name/``."""
    html = site.html(page_with_math(site))
    assert html.count("</article>") == 1
    folder = site.overlay / name
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(html.replace("</article>", fault + "</article>"))
    return f"{name}/"


def problems_of(browser: Browser, site: Site, rel: str) -> list[str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        recorder = Recorder(origin_of(site.url)).attach(page)
        page.goto(site.url + rel)
        problems, _ = check_page(page, recorder, timeout_ms=3_000)
        return problems
    finally:
        context.close()


def test_the_untouched_page_has_no_problem(browser: Browser, site: Site) -> None:
    assert problems_of(browser, site, page_with_math(site)) == []


def test_malformed_and_raw_tex_are_reported(browser: Browser, site: Site) -> None:
    problems = problems_of(browser, site, faulty_copy(site, "faulty-tex", MALFORMED_TEX))

    assert any(p.startswith("MathJax error: Double exponent") for p in problems), problems
    assert "math not typeset after 3000 ms" in problems, problems
    assert any(p.startswith("math not typeset: «\\(\\fracc") for p in problems), problems
    assert any(r"$$\partial L$$" in p for p in problems), problems


def test_external_requests_and_script_errors_are_reported(browser: Browser, site: Site) -> None:
    problems = problems_of(browser, site, faulty_copy(site, "faulty-external", EXTERNAL_URLS))

    assert "request to another host: https://cdn.example.com/mathjax/tex-chtml.js" in problems
    assert "request to another host: https://example.org/figure.png" in problems
    assert any("broken script" in p for p in problems), problems


def test_math_unreadable_in_the_dark_theme_is_reported(browser: Browser, site: Site) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site.url + faulty_copy(site, "faulty-contrast", UNREADABLE_IN_DARK))
        check_page(page, Recorder(origin_of(site.url)).attach(page))
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        problems = contrast_problems(page, "dark")
    finally:
        context.close()
    assert len(problems) == 1 and problems[0].startswith("math contrast 1."), problems


#: A box at the top of the article that grows after the page is shown: all below it moves.
LATE_BOX = (
    '<div id="late-box"></div><script>setTimeout(() => {'
    ' document.getElementById("late-box").style.height = "400px"; }, 300)</script>'
)


def test_content_that_moves_while_the_page_loads_is_reported(browser: Browser, site: Site) -> None:
    html = site.html(page_with_math(site))
    opening = re.search(r"<article[^>]*>", html)
    (site.overlay / "moving").mkdir(exist_ok=True)
    (site.overlay / "moving" / "index.html").write_text(
        html[: opening.end()] + LATE_BOX + html[opening.end() :]
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        untouched, moving = context.new_page(), context.new_page()
        untouched.goto(site.url + page_with_math(site), wait_until="load")
        moving.goto(site.url + "moving/", wait_until="load")
        moving.wait_for_timeout(600)
        wait_for_layout(untouched)
        assert layout_shift(moving).total > MAX_LAYOUT_SHIFT
        assert layout_shift(untouched).total <= MAX_LAYOUT_SHIFT
    finally:
        context.close()
