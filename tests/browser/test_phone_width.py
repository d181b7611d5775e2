"""Every page at phone width (390 px): nothing wider than the screen, every formula in its column.

Each page of the sitemap is opened at 390 × 844 CSS pixels with its math typeset, and:

* the page itself must not be wider than the screen (no sideways scrolling of the whole page);
  the elements that stick out are named;
* every display formula (``mjx-container[display="true"]``, whatever renders it; collapsible
  answers opened) must be no wider than the column it sits in. The one exception is a matrix
  too wide for any phone: it may scroll inside its own box, if that box can be reached with
  the keyboard (tabindex) and shows that it scrolls (a scroll shadow). Every other
  overflowing formula is named by page, the start of its TeX and its width;
* axe-core finds no violation at this width either (light theme): scrolling code blocks and
  tables must be reachable by keyboard on a phone too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from a11ycheck import axe_violations, describe_violations, settle
from playwright.sync_api import Browser, Page
from sitecheck import MAX_LAYOUT_SHIFT, LayoutShift, layout_shift, wait_for_layout, wait_for_math
from siteserver import Site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
#: Rounding slack (CSS px) before something counts as wider than its column.
SLACK = 1.0
TEX_SHOWN = 60
#: Display math in Markdown source: $$…$$, \[…\] or a top-level \begin{…}…\end{…}.
SOURCE_DISPLAY_MATH = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|^\s*(\\begin\{(\w+\*?)\}.+?\\end\{\4\})",
    re.S | re.M,
)

# For every display formula: its drawn width, its column's width, its TeX if the page still
# knows it, and whether an overflow scrolls in a box that is focusable and shows a shadow.
_FIT_JS = """() => {
  const docWidth = document.documentElement.clientWidth;
  const contentWidth = (e) => {
    const s = getComputedStyle(e);
    return e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  };
  const scrolls = (e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  // The TeX, wherever the renderer left it: an attribute, a TeX annotation of the MathML, or
  // (client-side MathJax) its list of typeset items. None of them is required.
  const texOf = (math) => {
    const attr = math.closest("[data-latex], [data-tex]");
    if (attr) return attr.dataset.tex || attr.dataset.latex;
    const note = math.querySelector('annotation[encoding="application/x-tex"]');
    if (note) return note.textContent;
    const jax = window.MathJax && MathJax.startup && MathJax.startup.document;
    for (const item of (jax && jax.math) || []) if (item.typesetRoot === math) return item.math;
    return null;
  };
  const formulas = [];
  const all = document.querySelectorAll('mjx-container[display="true"]');
  all.forEach((math, index) => {
    const drawn = Array.from(math.children);
    if (!drawn.length) return;
    const rects = drawn.map((c) => c.getBoundingClientRect());
    const width = Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left));
    // The column: the nearest block around the formula that is not sized by the formula.
    let column = math.parentElement;
    while (column && getComputedStyle(column).display.startsWith("inline")) {
      column = column.parentElement;
    }
    let box = null;  // the scroll box between the formula and its column, if any
    for (let e = math; e && e !== column.parentElement; e = e.parentElement) {
      if (scrolls(e) && e.scrollWidth > e.clientWidth + 1) { box = e; break; }
    }
    const boxStyle = box && getComputedStyle(box);
    formulas.push({
      index,
      width,
      column: Math.min(contentWidth(column), docWidth),
      tex: texOf(math),
      text: math.textContent.trim(),
      matrix: math.querySelector("mjx-mtable, mtable") !== null
        && /matrix/.test(texOf(math) || "matrix"),
      scrollBox: box && {
        focusable: box.tabIndex >= 0,
        shadow: boxStyle.backgroundImage.includes("gradient") || boxStyle.boxShadow !== "none",
      },
    });
  });
  // Elements that stick out of the screen, outermost only, outside any box that clips them.
  const sticking = [];
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= docWidth + 1 || clipped(e)) continue;
    if (sticking.some((outer) => outer.contains(e))) continue;
    sticking.push(e);
  }
  return {
    pageWidth: document.documentElement.scrollWidth,
    screen: docWidth,
    sticking: sticking.slice(0, 6).map((e) => e.tagName.toLowerCase()
      + (typeof e.className === "string" ? e.className.trim().replace(/^|\\s+/g, ".") : "")
      + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`
      + ` «${e.textContent.trim().replace(/\\s+/g, " ").slice(0, 50)}»`),
    formulas,
  };
}"""


@dataclass
class PhoneView:
    """What one page looks like at 390 px."""

    page_width: int
    screen: int
    sticking: list[str]
    formulas: list[dict]
    axe: list[dict]
    moved: LayoutShift  # what moved while the page loaded


def source_formulas(rel: str) -> list[str]:
    """The display formulas of the page's Markdown source, in order (empty if none is found)."""
    source = ROOT / "docs" / (rel.strip("/") + ".md" if rel.strip("/") else "index.md")
    if not source.is_file():
        return []
    text = re.sub(r"^(```|~~~).*?^\1", "", source.read_text(encoding="utf-8"), flags=re.S | re.M)
    return [next(g for g in m.groups() if g) for m in SOURCE_DISPLAY_MATH.finditer(text)]


def tex_start(formula: dict, source: list[str], count: int) -> str:
    """The start of the formula's TeX: from the page, else from the source, else its text."""
    tex = formula["tex"]
    if tex is None and len(source) == count:
        tex = source[formula["index"]]
    if tex is None:
        tex = f"(text) {formula['text']}"
    return " ".join(tex.split())[:TEX_SHOWN]


def phone_view(page: Page, site: Site, rel: str) -> PhoneView:
    """Open ``rel`` in ``page`` (390 px wide), answers opened, and measure it."""
    page.goto(site.url + rel)
    wait_for_math(page)
    page.wait_for_load_state("load")
    wait_for_layout(page)
    moved = layout_shift(page)  # before the answers are opened, which moves what is below them
    # Formulas in collapsible answers must fit too: open them all.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    settle(page)
    fit = page.evaluate(_FIT_JS)
    return PhoneView(
        page_width=fit["pageWidth"],
        screen=fit["screen"],
        sticking=fit["sticking"],
        formulas=fit["formulas"],
        axe=axe_violations(page),
        moved=moved,
    )


@pytest.fixture(scope="module")
def phone_views(browser: Browser, site: Site) -> dict[str, PhoneView]:
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    try:
        page = context.new_page()
        return {rel: phone_view(page, site, rel) for rel in site.pages}
    finally:
        context.close()


def page_too_wide(rel: str, view: PhoneView) -> str | None:
    """Whether the page is wider than the screen, or has content sticking out of it (which
    widens the page, or is cut off where a block clips what it paints)."""
    if view.page_width <= view.screen and not view.sticking:
        return None
    return (
        f"/{rel}: {view.page_width} px wide on a {view.screen} px screen; sticking out: "
        + "; ".join(view.sticking)
    )


def test_no_page_is_wider_than_a_phone_screen(phone_views: dict[str, PhoneView]) -> None:
    wide = [page_too_wide(rel, view) for rel, view in phone_views.items()]
    wide = [line for line in wide if line]
    assert not wide, "\n".join(wide)


def allowed_to_scroll(formula: dict) -> bool:
    """A matrix too wide for a phone, in a focusable box that shows it scrolls."""
    box = formula["scrollBox"]
    return bool(formula["matrix"] and box and box["focusable"] and box["shadow"])


def formulas_too_wide(rel: str, view: PhoneView) -> list[str]:
    """One line per display formula of the page that is wider than its column."""
    source = source_formulas(rel)
    too_wide = []
    for formula in view.formulas:
        if formula["width"] <= formula["column"] + SLACK or allowed_to_scroll(formula):
            continue
        box = formula["scrollBox"]
        how = (
            "scrolls in a box that is "
            + ("focusable" if box["focusable"] else "not focusable")
            + (" with" if box["shadow"] else " without")
            + " a scroll shadow"
            + ("" if formula["matrix"] else ", but is not a matrix")
            if box
            else "is cut off"
        )
        too_wide.append(
            f"/{rel} formula {formula['index'] + 1}: {formula['width']:.0f} px in a "
            f"{formula['column']:.0f} px column ({how}): "
            f"{tex_start(formula, source, len(view.formulas))}"
        )
    return too_wide


def test_every_display_formula_fits_its_column_at_390_px(
    phone_views: dict[str, PhoneView],
) -> None:
    total = sum(len(view.formulas) for view in phone_views.values())
    assert total > 0, "no display formula found on any page"
    too_wide = [line for rel, view in phone_views.items() for line in formulas_too_wide(rel, view)]
    assert not too_wide, (
        f"{len(too_wide)} of {total} display formulas are wider than their column at 390 px:\n"
        + "\n".join(too_wide)
    )


def test_nothing_moves_while_a_page_loads_at_phone_width(
    phone_views: dict[str, PhoneView],
) -> None:
    """What moves while a page loads, at 390 px (1280 px: test_site_in_browser)."""
    moving = [
        f"/{rel}: {view.moved.describe()}"
        for rel, view in phone_views.items()
        if view.moved.total > MAX_LAYOUT_SHIFT
    ]
    assert not moving, "\n".join(moving)


def test_axe_finds_no_violation_at_phone_width(phone_views: dict[str, PhoneView]) -> None:
    found = [
        f"/{rel}: {line}"
        for rel, view in phone_views.items()
        for line in describe_violations(view.axe)
    ]
    assert not found, "axe-core violations at 390 px (light theme):\n" + "\n".join(found)


#: Faults planted in a copy of the home page, whatever renders the math: a display formula
#: twice as wide as a phone, the same in a focusable scroll box with a shadow (allowed only
#: for a matrix), a wide box that widens the page, and grey-on-white text.
FAULTS = """
<div class="arithmatex" id="fault-wide"><mjx-container class="MathJax" display="true"
  data-latex="\\text{planted wide formula}"><mjx-math style="display:inline-block;width:800px">
  x</mjx-math></mjx-container></div>
<div class="arithmatex" id="fault-matrix" tabindex="0" data-latex="\\begin{bmatrix} planted"
  style="overflow-x:auto;background-image:linear-gradient(red,red)"><mjx-container
  class="MathJax" display="true"><mjx-math style="display:inline-block;width:800px"><mjx-mtable>
  x</mjx-mtable></mjx-math></mjx-container></div>
<p><span style="display:inline-block;width:700px" id="fault-page">planted wide box</span></p>
<p style="color:#bbb" id="fault-contrast">planted faint text</p>
"""


def test_the_phone_checks_catch_planted_faults(browser: Browser, site: Site) -> None:
    home = site.html(site.pages[0])
    marker = re.search(r'<article class="md-content__inner[^>]*>', home)
    target = site.overlay / "phone-faults" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    planted = home[: marker.end()] + FAULTS + home[marker.end() :]
    target.write_text(planted.replace("<head>", f'<head><base href="{site.url}">', 1), "utf-8")
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    try:
        view = phone_view(context.new_page(), site, "phone-faults/")
    finally:
        context.close()
    assert "planted wide box" in (page_too_wide("phone-faults/", view) or "")
    wide = formulas_too_wide("phone-faults/", view)
    assert any("planted wide formula" in line for line in wide), wide
    assert not any("planted" in line and "bmatrix" in line for line in wide), wide
    violations = {rule["id"]: rule for rule in view.axe}
    assert "color-contrast" in violations, describe_violations(view.axe)
    assert any("fault-contrast" in str(n["target"]) for n in violations["color-contrast"]["nodes"])


# --- Text in pictures at 390 px: every diagram (inline SVG) and every plot (an SVG image) --

#: The smallest text a picture may show at 390 px, in CSS px, by kind: a diagram's names at
#: least 12 px and their sub- and superscripts (set at 0.8 of their label) at least 9.5 px; a
#: plot's text (Matplotlib's, no scripts measured) at least 11 px.
MIN_TEXT_PX = {"diagram": 12.0, "plot": 11.0}
MIN_SCRIPT_PX = 9.5

# Inline SVG: each text's computed font size times the SVG's scale (drawn width over viewBox
# width); a tspan with a font size of its own is a script. SVG images (the plots, text drawn
# as paths by Matplotlib): each text group's `scale(s -s)` is its font size in pt (s × 100),
# times the image's drawn width over the SVG's viewBox width.
_TEXT_SIZES_JS = """async () => {
  const out = [];
  for (const svg of document.querySelectorAll(".md-content svg")) {
    const texts = svg.querySelectorAll("text");
    if (!texts.length || !svg.getBoundingClientRect().width) continue;
    const box = svg.viewBox && svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    let base = Infinity, script = Infinity;
    const sized = (e) => parseFloat(getComputedStyle(e).fontSize) * scale;
    texts.forEach((t) => {
      base = Math.min(base, sized(t));
      t.querySelectorAll("tspan").forEach((s) => {
        if (s.hasAttribute("font-size")) script = Math.min(script, sized(s));
      });
    });
    const name = svg.querySelector("title");
    out.push({kind: "diagram", name: (name ? name.textContent : svg.className.baseVal).slice(0, 60),
              base, script});
  }
  for (const img of document.querySelectorAll('.md-content img[src$=".svg"]')) {
    const width = img.getBoundingClientRect().width;
    if (!width) continue;
    const text = await (await fetch(img.currentSrc || img.src)).text();
    const view = text.match(/viewBox="([^"]+)"/);
    const sizes = Array.from(text.matchAll(/scale\\(([0-9.]+) -\\1\\)/g), (m) => 100 * m[1]);
    if (!view || !sizes.length) continue;
    const scale = width / Number(view[1].trim().split(/[\\s,]+/)[2]);
    out.push({kind: "plot", name: img.getAttribute("src"), base: Math.min(...sizes) * scale,
              script: Infinity});
  }
  return out;
}"""


def picture_text(page: Page, site: Site, rel: str) -> list[dict]:
    """The smallest text (and script) size of every picture on ``rel`` at 390 px."""
    page.goto(site.url + rel)
    page.wait_for_load_state("load")
    wait_for_layout(page)
    return page.evaluate(_TEXT_SIZES_JS)


def too_small(rel: str, pictures: list[dict]) -> list[str]:
    out = []
    for p in pictures:
        least = MIN_TEXT_PX[p["kind"]]
        if p["base"] < least or p["script"] < MIN_SCRIPT_PX:
            out.append(
                f"/{rel} {p['kind']} «{p['name']}»: text {p['base']:.1f} px, scripts "
                f"{p['script']:.1f} px (at least {least:g} and {MIN_SCRIPT_PX:g})"
            )
    return out


def test_every_picture_has_text_legible_at_390_px(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    try:
        page = context.new_page()
        found = {rel: picture_text(page, site, rel) for rel in site.pages}
    finally:
        context.close()
    kinds = [p["kind"] for pictures in found.values() for p in pictures]
    assert kinds.count("diagram") >= 8 and kinds.count("plot") >= 10, kinds
    small = [line for rel, pictures in found.items() for line in too_small(rel, pictures)]
    assert not small, "pictures with text too small to read on a phone:\n" + "\n".join(small)


#: A planted page: an inline diagram with 8-unit text in a 358-unit viewBox, one with 11.5 px
#: text (legible in a plot, not in a diagram), one with 12 px text and 8.4 px scripts (0.7 of
#: it) and a plot whose text group is 6 pt, all drawn 358 px wide; and a diagram of 12 px
#: text with 9.6 px scripts.
_SMALL_TEXT = """
<svg viewBox="0 0 358 40" style="width:358px"><title>planted small diagram</title>
  <text x="0" y="20" font-size="8">tiny</text></svg>
<svg viewBox="0 0 358 40" style="width:358px"><title>planted 11.5 px diagram</title>
  <text x="0" y="20" font-size="11.5">small</text></svg>
<svg viewBox="0 0 179 40" style="width:358px"><title>planted small script diagram</title>
  <text x="0" y="20" font-size="6">big<tspan font-size="4.2">s</tspan></text></svg>
<svg viewBox="0 0 179 40" style="width:358px"><title>planted legible diagram</title>
  <text x="0" y="20" font-size="6">big<tspan font-size="4.8">s</tspan></text></svg>
<p><img src="planted.svg" alt="planted plot" style="width:358px"></p>
"""
_SMALL_PLOT = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="358pt" height="40pt" viewBox="0 0 358 40">'
    '<g transform="translate(0 20) scale(0.06 -0.06)"><path d="M0 0 L100 100"/></g></svg>'
)


def test_the_picture_text_check_catches_planted_small_text(browser: Browser, site: Site) -> None:
    home = site.html(site.pages[0])
    marker = re.search(r'<article class="md-content__inner[^>]*>', home)
    target = site.overlay / "picture-text-faults" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    planted = home[: marker.end()] + _SMALL_TEXT + home[marker.end() :]
    base = f'<head><base href="{site.url}picture-text-faults/">'
    target.write_text(planted.replace("<head>", base, 1), "utf-8")
    (target.parent / "planted.svg").write_text(_SMALL_PLOT, "utf-8")
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    try:
        pictures = picture_text(context.new_page(), site, "picture-text-faults/")
    finally:
        context.close()
    small = "\n".join(too_small("picture-text-faults/", pictures))
    assert "planted small diagram" in small and "planted.svg" in small, pictures
    assert "planted 11.5 px diagram" in small and "planted small script diagram" in small, small
    assert "planted legible diagram" not in small, small
