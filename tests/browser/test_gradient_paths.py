"""The pictures of the backward pass in a browser: the path highlighter of the four-steps page
(hover, focus, click, the keyboard, instant navigation), the static pictures a reader gets with
JavaScript off, and the diagrams at phone width in both themes.

The expected edges come from ``docs/_diagrams/gradient_paths.py``, the module that draws the
page, and ``tests/test_figures.py`` checks those against the package's terms of the double sum.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from load_module import load_module
from playwright.sync_api import Browser, Page
from siteserver import Site

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"
sys.path.insert(0, str(DOCS))
paths = load_module(DOCS / "_diagrams" / "gradient_paths.py", "_diagrams.gradient_paths")

PAGE = "four-steps/"
LIT = "() => [...document.querySelectorAll('.paths-main .edge.is-lit')].map(e => e.dataset.edge)"
PRESSED = (
    "() => [...document.querySelectorAll('.paths-term[aria-pressed=true]')]"
    ".map(b => b.dataset.term)"
)


def open_page(browser: Browser, site: Site, path: str = PAGE, **options) -> Page:
    options.setdefault("viewport", {"width": 1280, "height": 900})
    page = browser.new_context(**options).new_page()
    page.goto(site.url + path)
    return page


def term(page: Page, t: int, k: int):
    return page.locator(f'.paths-term[data-term="{t},{k}"]')


def ready(page: Page) -> None:
    page.wait_for_selector(".gradient-paths.is-interactive")


@pytest.mark.parametrize(
    ("action", "t", "k"), [("hover", 3, 1), ("focus", 4, 2), ("click", 2, 2), ("click", 4, 1)]
)
def test_selecting_a_term_lights_exactly_its_path(browser, site, action, t, k):
    page = open_page(browser, site)
    ready(page)
    assert page.evaluate(LIT) == []
    getattr(term(page, t, k), action)()
    assert sorted(page.evaluate(LIT)) == sorted(paths.path_edges(t, k))
    assert page.evaluate(PRESSED) == [f"{t},{k}"]
    status = page.locator(".paths-status").inner_text()
    assert paths.words(t, k) in status and f"step {k}" in status
    page.context.close()


def test_the_keyboard_walks_the_terms_in_the_order_of_the_double_sum(browser, site):
    page = open_page(browser, site)
    ready(page)
    first, *rest = paths.terms()
    term(page, *first).focus()
    assert sorted(page.evaluate(LIT)) == sorted(paths.path_edges(*first))
    page.locator(".paths-term mjx-container").last.wait_for()
    assert page.locator('.paths-term [tabindex="0"]').count() == 0  # one stop per term
    for t, k in rest:  # Tab moves to the next term, and focus alone lights its path
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.paths-row-label')"):
            page.keyboard.press("Tab")  # the math of a row's label ("into L_3") is a stop
        assert page.evaluate("document.activeElement.dataset.term") == f"{t},{k}"
        assert sorted(page.evaluate(LIT)) == sorted(paths.path_edges(t, k))
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(PRESSED) == ["{},{}".format(*rest[-2])]
    page.context.close()


def test_the_highlighter_survives_instant_navigation(browser, site):
    page = open_page(browser, site, "")
    page.locator('.md-content a[href$="four-steps/"]').first.click()
    page.wait_for_url("**/four-steps/")
    ready(page)
    term(page, 3, 2).hover()
    assert sorted(page.evaluate(LIT)) == sorted(paths.path_edges(3, 2))
    page.context.close()


def test_without_javascript_every_path_is_a_static_picture(browser, site):
    page = open_page(browser, site, java_script_enabled=False)
    assert page.locator(".gradient-paths.is-interactive").count() == 0
    assert page.locator(".paths-main").is_visible()
    buttons = page.locator(".paths-term")
    assert buttons.count() == len(paths.terms())
    for t, k in paths.terms():
        thumb = term(page, t, k).locator("svg.paths-thumb")
        assert thumb.is_visible() and thumb.bounding_box()["width"] > 100
        lit = thumb.locator(".edge.is-lit").evaluate_all("(es) => es.map(e => e.dataset.edge)")
        assert lit == paths.path_edges(t, k)
        colour = thumb.locator(".edge.is-lit").first.evaluate("(e) => getComputedStyle(e).color")
        other = thumb.locator(".edge:not(.is-lit)").first.evaluate(
            "(e) => getComputedStyle(e).color"
        )
        assert colour != other
    for path, count in (("", 1), ("matrix-form/", 2)):  # two roads, δ merging: plain SVG
        other_page = page.context.new_page()
        other_page.goto(site.url + path)
        figures = other_page.locator(".rnn-figure-wrap svg[role=img]")
        assert figures.count() == count
        for figure in figures.all():
            assert figure.is_visible() and figure.locator(".edge-back").count() >= 2
        other_page.close()
    page.context.close()


def contrast(page: Page, selector: str) -> float:
    """WCAG contrast of an element's colour against the page background."""
    return page.evaluate(
        """(selector) => {
      const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
      const lum = (c) => {
        const [r, g, b] = c.map((v) => {
          v /= 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const fg = lum(rgb(getComputedStyle(document.querySelector(selector)).color));
      const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
      return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    }""",
        selector,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagrams_fit_a_phone_and_their_colours_are_readable(browser, site, scheme):
    options = {"viewport": {"width": 390, "height": 844}, "color_scheme": scheme}
    for path, figure in [
        ("", ".rnn-figure-wrap svg"),
        ("matrix-form/", ".rnn-figure-wrap svg"),
        (PAGE, ".gradient-paths"),
    ]:
        page = open_page(browser, site, path, **options)
        page.wait_for_selector(figure)
        width = page.evaluate("document.documentElement.clientWidth")
        box = page.locator(figure).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (path, box)
        assert box["width"] >= 300, (path, box)  # uses the screen, not a postage stamp
        if path != PAGE:
            assert contrast(page, f"{figure} .back") >= 4.5, (path, scheme)
        page.context.close()
    page = open_page(browser, site, **options)
    ready(page)
    term(page, 4, 1).click()
    assert contrast(page, ".paths-main .edge.is-lit") >= 4.5
    # The path sums, one path per line, fit the phone's width.
    section = page.locator("#every-path-loss-by-loss ~ .arithmatex").first
    section.locator("mjx-container").first.wait_for()
    assert section.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
    page.context.close()


# The size in CSS px of every glyph run of the weight labels on the large graph (subscripts too).
_LABEL_PX_JS = """() => {
  const svg = document.querySelector(".paths-main");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll("text")]
    .filter((t) => t.textContent.startsWith("W"))
    .flatMap((t) => [t, ...t.querySelectorAll("tspan")])
    .map((e) => parseFloat(getComputedStyle(e).fontSize) * scale);
}"""

# Whether the centre of an element is that element on screen (nothing sticky covers it).
_UNCOVERED_JS = """(el) => {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return Boolean(hit && el.contains(hit));
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_path_graph_stays_in_view_with_every_term_button(browser, site, width, height):
    page = open_page(browser, site, viewport={"width": width, "height": height})
    ready(page)
    header = page.locator(".md-header").bounding_box()
    graph = page.locator(".paths-main")
    for t, k in paths.terms():
        button = term(page, t, k)
        button.scroll_into_view_if_needed()
        button.hover()  # what a reader does: the graph must show the path
        box = graph.bounding_box()
        assert box["y"] < height and box["y"] + box["height"] > 0, (t, k, box)
        assert box["y"] >= header["y"] + header["height"] - 1, "under the header"
        assert box["y"] + box["height"] <= height, (t, k, "the graph is cut off")
        assert button.evaluate(_UNCOVERED_JS), (t, k, "the graph covers the button")
        assert sorted(page.evaluate(LIT)) == sorted(paths.path_edges(t, k))
    # Shift+Tab back up the terms: the focused button is never hidden under the graph.
    term(page, *paths.terms()[-1]).focus()
    page.locator(".paths-term mjx-container").last.wait_for()
    for t, k in reversed(paths.terms()[:-1]):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.closest('.paths-row-label')"):
            page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.dataset.term") == f"{t},{k}"
        assert term(page, t, k).evaluate(_UNCOVERED_JS), (t, k, "hidden under the graph")
    if width == 390:
        sizes = page.evaluate(_LABEL_PX_JS)
        assert sizes and min(sizes) >= 10, sizes
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_sticky_path_graph(browser, site, screenshot_dir, width, scheme):
    page = open_page(
        browser,
        site,
        viewport={"width": width, "height": 900 if width > 400 else 844},
        color_scheme=scheme,
    )
    ready(page)
    term(page, 4, 1).scroll_into_view_if_needed()
    term(page, 4, 1).click()
    page.mouse.move(0, 0)
    page.screenshot(path=screenshot_dir / f"four-steps-paths-{width}-{scheme}.png")
    page.context.close()
