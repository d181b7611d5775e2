"""Accessibility checks of a page open in the browser, as lists of problems.

* :func:`axe_violations` runs axe-core (bundled by ``axe-playwright-python``) with its default
  rule set (WCAG 2.x A and AA plus axe's best practices) and returns every violation, of any
  impact, one line per rule with the first few offending elements.
* :func:`focus_ring` says how the element that has the keyboard focus shows it: an outline or
  a box shadow at least 2 px wide with at least 3:1 contrast against the background around it
  (WCAG 2.2, 2.4.7 and 1.4.11), on the element or, for a visually hidden radio button or
  checkbox, on its label.
* :func:`set_theme` switches Material's palette with its toggle and waits for the colour
  transitions to end, so checks never see a colour half-way between the themes.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from contrastjs import with_colour_functions
from playwright.sync_api import Page
from sitecheck import wait_for_layout

#: Offending elements listed per rule in a failure message.
SHOWN_NODES = 4
PALETTE_TOGGLE = 'form[data-md-component="palette"] label.md-header__button:not([hidden])'
SCHEMES = {"light": "default", "dark": "slate"}

_AXE = Axe()

# Wait for every running animation and transition to end. One the browser does not render (in
# a block it skips, or on a page it throttles) may never end by itself and would hang the wait
# (page.evaluate has no timeout): after 5 s every one left is ended at once, at its final state.
_ANIMATIONS_ENDED_JS = """await (async () => {
  const all = () => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
  const late = new Promise((r) => setTimeout(r, 5000, "late"));
  if ((await Promise.race([all(), late])) !== "late") return;
  for (const a of document.getAnimations()) try { a.finish(); } catch { a.cancel(); }
})();"""

_SETTLE_JS = """async () => {
  ANIMATIONS_ENDED
  const frame = new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await Promise.race([frame, new Promise((r) => setTimeout(r, 1000))]);
}""".replace("ANIMATIONS_ENDED", _ANIMATIONS_ENDED_JS)

# How the focused element shows its focus, once transitions have ended. A visually hidden
# radio button or checkbox shows it on what the reader sees instead: Material's palette toggle
# on the label that follows it, a content tab on the set's bar of tab labels, others on their
# visible <label>.
_FOCUS_RING_JS = with_colour_functions(
    """async () => {
  ANIMATIONS_ENDED
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  const describe = (e) => e.tagName.toLowerCase()
    + (e.id ? "#" + e.id : "")
    + (typeof e.className === "string" ? e.className.trim().replace(/^|\\s+/g, ".") : "")
    + ` «${(e.getAttribute("aria-label") || e.title || e.textContent || "").trim().slice(0, 40)}»`;
  const who = describe(el);
  const shown = (e) => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return s.opacity !== "0" && r.width > 1 && r.height > 1;
  };
  if (el.matches("input[type=radio], input[type=checkbox]") && !shown(el)) {
    const next = el.nextElementSibling;
    const candidates = [
      el.closest(".tabbed-set") && el.closest(".tabbed-set").querySelector(".tabbed-labels"),
      next && next.matches("label") ? next : null,
      ...Array.from(el.labels || []),
    ];
    el = candidates.find((c) => c && shown(c)) || el;
  }
  const s = getComputedStyle(el);
  // The ring is drawn outside the element (outline-offset >= 0) or inside it (box shadow).
  const around = background(s.outlineOffset.startsWith("-") ? el : el.parentElement);
  const rings = [];
  if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) {
    // "auto" outlines are drawn by the browser in the outline colour, 2 px or more.
    const width = s.outlineStyle === "auto" ? Math.max(2, parseFloat(s.outlineWidth))
      : parseFloat(s.outlineWidth);
    rings.push({kind: "outline " + s.outlineStyle, width,
                contrast: contrast(over(rgba(s.outlineColor), around), around)});
  }
  if (s.boxShadow !== "none") {
    const color = s.boxShadow.match(/rgba?\\([^)]*\\)/);
    const spread = s.boxShadow.replace(/rgba?\\([^)]*\\)/g, "").match(/-?[\\d.]+px/g) || [];
    const width = spread.length >= 4 ? Math.abs(parseFloat(spread[3])) : 0;
    if (color) rings.push({kind: "box-shadow", width,
                           contrast: contrast(over(rgba(color[0]), around), around)});
  }
  return {who, shownOn: describe(el), rings};
}""".replace("ANIMATIONS_ENDED", _ANIMATIONS_ENDED_JS)
)


def settle(page: Page) -> None:
    """Wait until every block is laid out and every CSS transition and animation has ended."""
    wait_for_layout(page)
    page.evaluate(_SETTLE_JS)


def scheme(page: Page) -> str:
    return page.evaluate("document.body.dataset.mdColorScheme")


def set_theme(page: Page, theme: str) -> None:
    """Switch to ``theme`` ("light" or "dark") with the palette toggle, if not there already."""
    if scheme(page) != SCHEMES[theme]:
        before = scheme(page)
        page.locator(PALETTE_TOGGLE).click()
        page.wait_for_function("(s) => document.body.dataset.mdColorScheme !== s", arg=before)
    assert scheme(page) == SCHEMES[theme], f"the palette toggle gave {scheme(page)!r}"
    settle(page)


def axe_violations(page: Page) -> list[dict]:
    """Every axe-core violation on the page as it is now (default rules, any impact)."""
    return _AXE.run(page).response["violations"]


def describe_violations(violations: list[dict]) -> list[str]:
    """One line per violated rule: id, impact, how many elements, the first few of them."""
    lines = []
    for rule in violations:
        nodes = rule["nodes"]
        shown = "; ".join(
            f"{' > '.join(map(str, node['target']))} «{node['html'][:90]}»"
            for node in nodes[:SHOWN_NODES]
        )
        more = f" (+{len(nodes) - SHOWN_NODES} more)" if len(nodes) > SHOWN_NODES else ""
        lines.append(f"{rule['id']} ({rule['impact']}) ×{len(nodes)}: {shown}{more}")
    return lines


def count_nodes(violations: list[dict]) -> int:
    return sum(len(rule["nodes"]) for rule in violations)


def focus_ring(page: Page) -> dict | None:
    """How the focused element shows its focus: ``{who, shownOn, rings: [...]}``, or None.

    Every ring has ``kind``, ``width`` (px) and ``contrast`` against the background around it.
    """
    return page.evaluate(_FOCUS_RING_JS)


def ring_problem(ring: dict | None, what: str, min_width: float = 2, min_contrast: float = 3):
    """Why ``ring`` (from :func:`focus_ring`) is not a visible focus indicator, or None."""
    if ring is None:
        return f"{what}: nothing has the focus"
    good = [r for r in ring["rings"] if r["width"] >= min_width and r["contrast"] >= min_contrast]
    if good:
        return None
    return f"{what}: {ring['who']} has no visible focus ring on {ring['shownOn']}: {ring['rings']}"
