"""The connectivity view of "BPTT on real text" in a browser: the norms it shows are the
package's, recomputed here from the stored models; hover, focus and the arrow keys choose the
predicted character; the sentence for a screen reader follows; it fits 390 px and stays
readable (axe) with a character chosen, in both themes.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pytest
from a11ycheck import axe_violations, describe_violations, set_theme, settle
from load_module import load_module
from playwright.sync_api import Browser, Page
from siteserver import Site

from rnn_derivatives import Vocabulary, input_influence, read_char_params

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS))
view = load_module(DOCS / "_diagrams" / "connectivity.py", "_diagrams.connectivity")

PAGE = "real-text/"
T = view.LENGTH
#: For every panel, the class of each character: its shade level, "t" for the target, "" none.
CLASSES = """() => [...document.querySelectorAll('.cv-panel')].map((panel) =>
  [...panel.querySelectorAll('.cv-text span')].map((s) =>
    s.className === 'cv-target' ? 't' : s.className.replace('cv-', '')))"""
FOCUSED = (
    "() => [document.activeElement.closest('.cv-panel')?.dataset.cell, "
    "Number(document.activeElement.dataset.i)]"
)


def open_page(browser: Browser, site: Site, width: int = 1280, **options) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}, **options).new_page()
    page.goto(site.url + PAGE)
    page.wait_for_selector(".connectivity.is-interactive")
    return page


@functools.cache
def package_row(cell: str, t: int) -> np.ndarray:
    """‖∂L_t/∂x_k‖, k = 1 … t, from the stored model over the passage's first t inputs."""
    ids = Vocabulary.from_text(view.TEXT.read_text(encoding="utf-8")).encode(view.passage())
    params = read_char_params(ROOT / "benchmarks" / "char_model" / f"{cell}.npz")
    return input_influence(params, ids[:t], ids[1 : t + 1])[-1]


def expected_classes(t: int) -> list[list[str]]:
    """What every character of every panel should show for predicted character t."""
    shown = []
    for cell in view.CELLS:
        norms = package_row(cell, t)
        row = []
        for i in range(T + 1):
            if i == t:
                row.append("t")
            elif i < t and norms[i] >= view.FLOOR:
                row.append(
                    str(min(view.SHADES, 1 + int(np.floor(np.log10(norms[i] / view.FLOOR)))))
                )
            else:
                row.append("")
        shown.append(row)
    return shown


def span(page: Page, cell: str, i: int):
    return page.locator(f'.cv-panel[data-cell="{cell}"] .cv-text span[data-i="{i}"]')


def test_the_pages_json_holds_the_packages_norms(browser, site):
    page = open_page(browser, site)
    blob = page.evaluate(
        "() => JSON.parse(document.querySelector('.connectivity').dataset.connectivity)"
    )
    assert blob["text"] == view.passage()
    for t in (3, 40, 150):
        for cell in blob["cells"]:
            row = cell["rows"][t - 1]
            norms = package_row(cell["cell"], t)[::-1]
            np.testing.assert_allclose(row, norms[: len(row)], rtol=5e-3)
            assert np.all(norms[len(row) :] < view.FLOOR)
    page.context.close()


def test_hover_and_focus_shade_the_earlier_characters_by_the_packages_norms(browser, site):
    page = open_page(browser, site)
    assert page.evaluate(CLASSES) == expected_classes(T)  # the last character, at load
    status = page.locator(".cv-status")
    blob = view.cached_blob()
    assert status.inner_text() == view.summary(blob, T)
    span(page, "lstm", 60).hover()
    assert page.evaluate(CLASSES) == expected_classes(60)
    assert status.inner_text() == view.summary(blob, 60)
    span(page, "gru", 25).focus()
    assert page.evaluate(CLASSES) == expected_classes(25)
    assert status.inner_text() == view.summary(blob, 25)
    span(page, "rnn", 0).hover()  # the first character is never predicted: nothing changes
    assert status.inner_text() == view.summary(blob, 25)
    page.context.close()


def test_the_keyboard_moves_the_predicted_character(browser, site):
    page = open_page(browser, site)
    stops = page.locator('.cv-text span[tabindex="0"]')
    assert stops.count() == 3  # one tab stop per panel, on the predicted character
    span(page, "rnn", T).focus()
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(FOCUSED) == ["rnn", T - 1]
    assert page.evaluate(CLASSES) == expected_classes(T - 1)
    page.keyboard.press("Home")
    assert page.evaluate(FOCUSED) == ["rnn", 1]
    page.keyboard.press("ArrowLeft")  # nothing before the first predicted character
    assert page.evaluate(FOCUSED) == ["rnn", 1]
    page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED) == ["rnn", 2]
    assert page.locator(".cv-status").inner_text() == view.summary(view.cached_blob(), 2)
    page.keyboard.press("Tab")  # to the next panel, on the same character
    assert page.evaluate(FOCUSED) == ["lstm", 2]
    page.keyboard.press("End")
    assert page.evaluate(FOCUSED) == ["lstm", T]
    page.context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_at_390_px_the_panels_stack_and_every_shade_is_readable(browser, site, theme):
    page = open_page(browser, site, width=390)
    settle(page)
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.cv-panel')].map((p) => {"
        " const r = p.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width}; })"
    )  # measured at once, after the page is laid out
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]  # one above the other
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    set_theme(page, theme)
    blob, levels = view.cached_blob(), set()
    strongest = max(range(1, T + 1), key=lambda t: blob["cells"][0]["rows"][t - 1][0])
    for t in (T, strongest, 9):
        span(page, "gru", t).focus()
        settle(page)
        violations = axe_violations(page)
        assert not violations, "\n".join(describe_violations(violations))
        levels |= {c for panel in page.evaluate(CLASSES) for c in panel}
    assert {str(level) for level in range(1, view.SHADES + 1)} <= levels  # every shade checked
    page.context.close()


def test_without_javascript_the_passage_and_a_sentence_remain(browser, site):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(site.url + PAGE)
    texts = page.locator(".cv-text")
    assert texts.count() == 3
    assert "Good morrow, neighbour Baptista." in texts.first.inner_text()
    assert page.locator(".cv-status").inner_text() == view.summary(view.cached_blob(), T)
    page.context.close()
