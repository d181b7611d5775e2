"""Accessibility of every page: axe-core in both themes, and the site by keyboard alone.

axe-core (bundled by axe-playwright-python) runs on every page of the sitemap in the light
theme and again after the palette toggle has switched it to the dark one (one page load for
both), with every collapsible answer opened so its contents are checked too. No rule is
switched off and every impact counts: a single violation fails.

The keyboard tests press Tab through whole pages and check that every stop shows a visible
focus ring (2 px or more, 3:1 against what surrounds it) in both themes, and that the palette
toggle, search, content tabs and collapsible answers all work with the keyboard alone.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from a11ycheck import (
    axe_violations,
    count_nodes,
    describe_violations,
    focus_ring,
    ring_problem,
    scheme,
    set_theme,
    settle,
)
from playwright.sync_api import Browser, Page
from sitecheck import wait_for_math
from siteserver import Site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 900}
THEMES = ("light", "dark")
#: Tab presses allowed to walk one page before the test gives up on reaching its end.
MAX_TAB_STOPS = 400
SEARCH_TERM = "Jacobian"
#: Formulas (typeset anyhow) that offer assistive technology no text: no MathML, no label.
_MUTE_MATH_JS = """() => Array.from(document.querySelectorAll("mjx-container"))
  .filter((c) => !c.querySelector("math") && !(c.getAttribute("aria-label") || "").trim())
  .map((c) => c.textContent.trim().slice(0, 40))"""
#: Alt text that names the kind of picture instead of saying what it shows.
GENERIC_ALT = re.compile(
    r"^\W*(an? |the )?(image|picture|figure|plot|graph|chart|diagram|screenshot|svg|png)\b",
    re.IGNORECASE,
)
MIN_ALT_WORDS = 8


def open_page(browser: Browser, site: Site, rel: str) -> Page:
    """A fresh context (light theme, cold cache) with ``rel`` loaded and its math typeset."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
    page = context.new_page()
    page.goto(site.url + rel)
    wait_for_math(page)
    page.wait_for_load_state("load")
    settle(page)
    return page


@dataclass
class PageAudit:
    """What axe found in each theme, and the formulas that have no text for a screen reader."""

    violations: dict[str, list[dict]] = field(default_factory=dict)
    mute_math: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def page_audits(browser: Browser, site: Site, measurements: dict) -> dict[str, PageAudit]:
    """Every page audited light, then dark, in one page load (answers opened)."""
    results = {}
    for rel in site.pages:
        page = open_page(browser, site, rel)
        try:
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            settle(page)
            audit = results[rel] = PageAudit(mute_math=page.evaluate(_MUTE_MATH_JS))
            for theme in THEMES:
                set_theme(page, theme)
                audit.violations[theme] = axe_violations(page)
        finally:
            page.context.close()
    counts = ", ".join(
        f"{theme} {sum(len(r.violations[theme]) for r in results.values())} "
        f"({sum(count_nodes(r.violations[theme]) for r in results.values())} elements)"
        for theme in THEMES
    )
    measurements.setdefault("summary", []).append(
        f"axe-core on {len(results)} pages, rule violations: {counts}"
    )
    return results


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_no_violation_on_any_page(page_audits: dict[str, PageAudit], theme: str) -> None:
    found = {
        rel: describe_violations(audit.violations[theme])
        for rel, audit in page_audits.items()
        if audit.violations[theme]
    }
    assert not found, f"axe-core violations in the {theme} theme:\n" + "\n".join(
        f"/{rel}: {line}" for rel, lines in found.items() for line in lines
    )


def test_every_formula_has_a_form_a_screen_reader_can_read(
    page_audits: dict[str, PageAudit],
) -> None:
    mute = {rel: audit.mute_math for rel, audit in page_audits.items() if audit.mute_math}
    assert not mute, "formulas with neither MathML nor a label:\n" + "\n".join(
        f"/{rel}: {len(found)} formulas, e.g. «{found[0]}»" for rel, found in mute.items()
    )


class _Figures(HTMLParser):
    """Collect the text alternatives of ``<img>`` and ``<svg role="img">`` in an article."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[str, str | None]] = []  # (what, alt text or None)
        self.ids: dict[str, str] = {}
        self._labelled: list[tuple[str, list[str]]] = []
        self._open_id: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img":
            self.figures.append((a.get("src") or "?", a.get("alt")))
        elif tag == "svg" and a.get("role") == "img":
            if a.get("aria-label"):
                self.figures.append(("inline svg", a["aria-label"]))
            else:
                self._labelled.append(("inline svg", (a.get("aria-labelledby") or "").split()))
        self._open_id = a.get("id")

    def handle_data(self, data: str) -> None:
        if self._open_id:
            self.ids[self._open_id] = self.ids.get(self._open_id, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._open_id = None

    def alternatives(self) -> list[tuple[str, str | None]]:
        labelled = [
            (what, " ".join(self.ids.get(i, "") for i in ids).strip() or None)
            for what, ids in self._labelled
        ]
        return self.figures + labelled


def test_every_figure_has_alt_text_that_says_what_it_shows(site: Site) -> None:
    problems, seen = [], 0
    for rel in site.pages:
        page = site.html(rel)
        article = page[page.find('<article class="md-content__inner') : page.find("</article>")]
        parser = _Figures()
        parser.feed(article)
        for what, alt in parser.alternatives():
            seen += 1
            where = f"/{rel} {what[:60]}"
            if alt is None or not alt.strip():
                problems.append(f"{where}: no alt text")
            elif len(alt.split()) < MIN_ALT_WORDS or GENERIC_ALT.match(alt):
                problems.append(f"{where}: alt text names the picture, not what it shows: {alt!r}")
    assert seen > 0, "no figure found on any page"
    assert not problems, "\n".join(problems)


# --- Keyboard -------------------------------------------------------------------------------


def focused(page: Page) -> str:
    """A short description of the element that has the focus."""
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          return e ? e.outerHTML.slice(0, 120) : "nothing";
        }"""
    )


def tab_until(page: Page, selector: str, limit: int = MAX_TAB_STOPS) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) === true", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def walk_tab_order(page: Page, where: str) -> tuple[int, list[str]]:
    """Tab through the whole page; the number of stops and those without a visible ring."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    page.evaluate("document.activeElement?.blur()")
    for stop in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        key = page.evaluate(
            """() => {
              const e = document.activeElement;
              if (!e || e === document.body) return null;
              if (!e.dataset.tabStop) e.dataset.tabStop = String(Math.random());
              return e.dataset.tabStop;
            }"""
        )
        if key is None or key in seen:  # back at the start: the whole page was walked
            return stop, list(problems.values())
        seen.add(key)
        page.evaluate("document.activeElement.scrollIntoView({block: 'center'})")
        problem = ring_problem(focus_ring(page), where)
        if problem:
            # One line per kind of element (the same class of link fails everywhere alike).
            problems.setdefault(re.sub(r"«.*»", "", problem), problem)
    raise AssertionError(f"{where}: more than {MAX_TAB_STOPS} Tab stops, or the focus is trapped")


def keyboard_pages(site: Site) -> list[str]:
    """The home page, a page with collapsible answers and a notebook page (if any)."""
    wanted = [site.pages[0]]
    for marker in ("<details", 'class="jupyter-wrapper"', 'class="tabbed-set'):
        having = [rel for rel in site.pages if marker in site.html(rel)]
        if having and having[0] not in wanted:
            wanted.append(having[0])
    return wanted


@pytest.mark.parametrize("theme", THEMES)
def test_every_tab_stop_shows_a_visible_focus_ring(
    browser: Browser, site: Site, theme: str
) -> None:
    problems = []
    for rel in keyboard_pages(site):
        page = open_page(browser, site, rel)
        try:
            set_theme(page, theme)
            stops, found = walk_tab_order(page, f"/{rel} ({theme})")
            assert stops > 10, f"/{rel}: only {stops} Tab stops"
            problems += found
        finally:
            page.context.close()
    assert not problems, "\n".join(problems)


def test_the_palette_toggle_works_from_the_keyboard(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, site.pages[0])
    try:
        for expected in ("slate", "default"):
            tab_until(page, '[data-md-component="palette"] input')
            problem = ring_problem(focus_ring(page), "palette toggle")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "(s) => document.body.dataset.mdColorScheme === s", arg=expected, timeout=3000
            )
            assert problem is None, problem
            page.evaluate("document.activeElement?.blur()")
            assert scheme(page) == expected
    finally:
        page.context.close()


def test_search_works_from_the_keyboard(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, site.pages[0])
    try:
        tab_until(page, "input.md-search__input")
        # Material opens the search (white box, result list) when its input gets the focus.
        page.wait_for_function("document.querySelector('[data-md-toggle=search]').checked")
        assert ring_problem(focus_ring(page), "search box") is None
        page.keyboard.type(SEARCH_TERM)
        first = page.locator("a.md-search-result__link").first
        first.wait_for()
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.matches('a.md-search-result__link')"), (
            f"ArrowDown in the search box focused {focused(page)}, not the first result"
        )
        assert ring_problem(focus_ring(page), "search result") is None
        href = page.evaluate("document.activeElement.href")
        page.keyboard.press("Enter")
        page.wait_for_function("(url) => location.href === url", arg=href)
    finally:
        page.context.close()


def test_collapsible_answers_open_and_close_from_the_keyboard(browser: Browser, site: Site) -> None:
    having = [rel for rel in site.pages if "<details" in site.html(rel)]
    if not having:
        pytest.skip("no page has a collapsible block")
    page = open_page(browser, site, having[0])
    try:
        tab_until(page, "details > summary")
        assert ring_problem(focus_ring(page), "summary of a collapsible block") is None
        opened = "document.activeElement.parentElement.open"
        before = page.evaluate(opened)
        page.keyboard.press("Enter")
        page.wait_for_function(f"{opened} === {str(not before).lower()}")
        page.keyboard.press(" ")
        page.wait_for_function(f"{opened} === {str(before).lower()}")
    finally:
        page.context.close()


TABBED_SAMPLE = """\
=== "First tab"

    The first tab's text.

=== "Second tab"

    The second tab's text.
"""


def tabbed_page(site: Site) -> str:
    """A page with content tabs: the first built one, or the home page with a set added.

    The added set is rendered by pymdownx.tabbed with the site's own settings (mkdocs.yml), so
    the markup is exactly what a page of the site would get; it is served from the overlay.
    """
    for rel in site.pages:
        if 'class="tabbed-set' in site.html(rel):
            return rel
    config = yaml.safe_load(
        re.sub(r"!ENV \[[^]]*\]", '""', (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    )
    settings = next(
        ext["pymdownx.tabbed"]
        for ext in config["markdown_extensions"]
        if isinstance(ext, dict) and "pymdownx.tabbed" in ext
    )
    block = markdown.markdown(
        TABBED_SAMPLE,
        extensions=["pymdownx.tabbed", "pymdownx.superfences"],
        extension_configs={"pymdownx.tabbed": settings},
    )
    home = site.html(site.pages[0])
    marker = re.search(r'<article class="md-content__inner[^>]*>', home)
    target = site.overlay / "tabbed-sample" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    # The home page's relative links still resolve one level down: give it a <base>.
    page = home[: marker.end()] + block + home[marker.end() :]
    page = page.replace("<head>", f'<head><base href="{html.escape(site.url)}">', 1)
    target.write_text(page, encoding="utf-8")
    return "tabbed-sample/"


def test_content_tabs_switch_from_the_keyboard(browser: Browser, site: Site) -> None:
    rel = tabbed_page(site)
    page = open_page(browser, site, rel)
    try:
        tab_until(page, ".tabbed-set > input")
        assert ring_problem(focus_ring(page), "content tab") is None
        first = page.evaluate("document.activeElement.id")
        page.keyboard.press("ArrowRight")
        second = page.evaluate("document.activeElement.id")
        assert second != first and page.evaluate("document.activeElement.checked"), (
            f"ArrowRight on tab {first} focused {focused(page)}"
        )
        shown = page.locator(".tabbed-set .tabbed-block:visible").all_inner_texts()
        assert shown == ["The second tab's text."], shown
        assert ring_problem(focus_ring(page), "content tab") is None
    finally:
        page.context.close()
