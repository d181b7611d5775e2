"""What a reader's browser does with a page of the site, as lists of problems.

A :class:`Recorder` listens to a Playwright page for console errors, uncaught exceptions,
failed requests (including HTTP errors) and requests to any origin but the local server.
:func:`wait_for_math` waits until every math element of the page is typeset (at build time,
or in the browser) and drawn in its fonts, and
:func:`math_problems` then lists what a reader would see wrong: math left untypeset, MathJax
error nodes, and raw TeX (``\\frac``, ``\\partial``, ``$$``, ``\\[``, an undefined macro in red)
anywhere in the page's text outside code.

:func:`contrast_problems` finds typeset math too faint for its background (light or dark).

The browser may skip the layout of a page's blocks far off screen until it is idle
(``docs/stylesheets/extra.css``, ``docs/javascripts/lay-out-later.js``). :func:`wait_for_layout`
waits until every block is laid out (before a full-page screenshot, axe or a measurement), and
:func:`shifted_blocks` lists blocks that the containment this needs has moved.
:func:`layout_shift` says how far anything on the page moved while it loaded (Lighthouse's
cumulative layout shift), and what moved.

The tests in this folder run these checks on every page of the sitemap, and
``test_checks_catch_faults.py`` proves that they report malformed TeX, raw TeX, an external
script or image, an uncaught error and math unreadable in the dark theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from contrastjs import with_colour_functions
from playwright.sync_api import ConsoleMessage, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError

#: Elements MathJax typesets: arithmatex output of Markdown pages, notebook Markdown cells.
MATH_ROOTS = ".arithmatex, .jp-RenderedMarkdown"
#: Search results, which quote the pages' text, TeX included.
SEARCH_RESULTS = ".md-search-result__article"
#: Raw TeX a reader must never see: a control word, \( \) \[ \], $$, or $…$ holding TeX.
RAW_TEX = r"\\[A-Za-z]+|\\[()\[\]]|\$\$|\$[^$\n]*[\\^_{}][^$\n]*\$"
#: Text that is code (shown as typed) or not text at all.
NOT_PROSE = "pre, code, kbd, samp, script, style, template, noscript, textarea"
NETWORK_SCHEMES = ("http", "https", "ws", "wss", "ftp")
#: WCAG AA contrast for text: math must stay as readable as prose in both themes.
MIN_CONTRAST = 4.5

# Per math root: untypeset when an arithmatex element holds no MathJax container, or when
# text outside any container still holds TeX delimiters (notebook cells keep raw $…$).
_PENDING_JS = """([roots, rawTex, notProse]) => {
  const raw = new RegExp(rawTex);
  const pending = [];
  for (const root of document.querySelectorAll(roots)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let untypeset = root.classList.contains("arithmatex") && !root.querySelector("mjx-container");
    for (let node = walker.nextNode(); node && !untypeset; node = walker.nextNode()) {
      const parent = node.parentElement;
      untypeset = !parent.closest("mjx-container") && !parent.closest(notProse)
        && raw.test(node.data);
    }
    if (untypeset) pending.push(root.textContent.trim().slice(0, 80));
  }
  return pending;
}"""

# Done when every math element is typeset and the fonts it is drawn in have arrived (reading
# layout makes the browser start loading every font the page uses).
_DONE_JS = f"""(args) => {{
  if (document.readyState === "loading") return false;  // not every math element parsed yet
  const pending = ({_PENDING_JS})(args);
  if (pending.length) return false;
  document.body.getBoundingClientRect();
  return document.fonts.status === "loaded" ? performance.now() : false;
}}"""

_REPORT_JS = f"""async ([roots, rawTex, notProse]) => {{
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {{
    // A MathJax that never settles must fail the check, not hang it.
    await Promise.race([MathJax.startup.promise, new Promise((r) => setTimeout(r, 5000))]);
  }}
  const raw = new RegExp(rawTex, "g");
  const leftovers = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
    if (node.parentElement.closest(notProse)) continue;
    const found = Array.from(node.data.matchAll(raw));
    if (found.length) {{
      const start = Math.max(0, found[0].index - 30);
      leftovers.push({{tex: found.map((m) => m[0]), context: node.data.slice(start, start + 100)}});
    }}
  }}
  return {{
    pending: ({_PENDING_JS})([roots, rawTex, notProse]),
    errors: Array.from(document.querySelectorAll("mjx-merror"),
                       (e) => e.getAttribute("data-mjx-error") || e.textContent),
    leftovers,
  }};
}}"""

# The lowest WCAG contrast ratio between typeset math and the background it is drawn on
# (backgrounds are composited up the tree, so translucent admonition tints count).
_MATH_CONTRAST_JS = with_colour_functions("""() => {
  let worst = null;
  for (const math of document.querySelectorAll("mjx-container")) {
    const bg = background(math);
    const fg = over(rgba(getComputedStyle(math).color), bg);
    const ratio = contrast(fg, bg);
    if (!worst || ratio < worst.ratio) {
      worst = {ratio, text: math.textContent.slice(0, 40), color: getComputedStyle(math).color};
    }
  }
  return worst;
}""")


# Blocks of the article whose layout the browser may still skip (content-visibility: auto).
_LATE_JS = """() => Array.from(document.querySelectorAll(".md-content__inner > *"))
  .filter((block) => getComputedStyle(block).contentVisibility === "auto")"""

# Where each block of the article is, then where it would be without containment (and all
# laid out): a block that moves shows margins that containment stopped from merging.
_SHIFT_JS = """() => {
  const blocks = Array.from(document.querySelectorAll(".md-content__inner > *"));
  const tops = () => blocks.map((block) => block.getBoundingClientRect().top);
  const contained = tops();
  const plain = document.createElement("style");
  plain.textContent = ".md-content__inner > * { contain: none !important;"
    + " content-visibility: visible !important; }";
  document.head.append(plain);
  const free = tops();
  plain.remove();
  return blocks.flatMap((block, i) => Math.abs(free[i] - contained[i]) > 1
    ? [`${block.tagName.toLowerCase()}.${block.className} moved ${contained[i] - free[i]} px`]
    : []);
}"""


# Every layout shift the browser has recorded since navigation (buffered entries, delivered to
# a new observer), except those right after the reader's input, as Lighthouse counts them.
_LAYOUT_SHIFTS_JS = """() => new Promise((resolve) => {
  const shifts = [];
  const observer = new PerformanceObserver((list) => shifts.push(...list.getEntries()));
  observer.observe({ type: "layout-shift", buffered: true });
  const name = (node) => !node ? "?" : node.nodeType === Node.TEXT_NODE
    ? `text in ${name(node.parentElement)}`
    : node.tagName.toLowerCase() + (node.id ? `#${node.id}` : "")
      + Array.from(node.classList).map((c) => `.${c}`).join("");
  setTimeout(() => {
    observer.disconnect();
    resolve(shifts.filter((shift) => !shift.hadRecentInput).map((shift) => ({
      value: shift.value,
      at: Math.round(shift.startTime),
      moved: shift.sources.map((source) => name(source.node)),
    })));
  }, 200);
})"""


#: Lighthouse's limit for a good cumulative layout shift.
MAX_LAYOUT_SHIFT = 0.1


@dataclass(frozen=True)
class LayoutShift:
    """How far a page's content moved while it loaded: Lighthouse's cumulative layout shift
    (the sum over every shift, which is at least its largest window) and what moved."""

    total: float
    shifts: list[dict]

    def describe(self) -> str:
        worst = sorted(self.shifts, key=lambda shift: -shift["value"])[:3]
        parts = [f"{s['value']:.3f} at {s['at']} ms: {', '.join(s['moved'][:3])}" for s in worst]
        return f"layout shift {self.total:.3f} ({'; '.join(parts)})"


def layout_shift(page: Page) -> LayoutShift:
    """The layout shifts of ``page`` since it was opened (call it once the page has settled)."""
    shifts = page.evaluate(_LAYOUT_SHIFTS_JS)
    return LayoutShift(sum(shift["value"] for shift in shifts), shifts)


def wait_for_layout(page: Page, timeout_ms: float = 15_000) -> None:
    """Wait until the browser has laid out every block of the article (none left skipped)."""
    page.wait_for_function(f"() => ({_LATE_JS})().length === 0", timeout=timeout_ms)


def skipped_blocks(page: Page) -> int:
    """How many blocks of the article the browser may still skip laying out."""
    return page.evaluate(f"() => ({_LATE_JS})().length")


def skipped_math(page: Page) -> int:
    """How many formulas sit in the blocks of the article the browser may still skip."""
    count = "(n, block) => n + block.querySelectorAll('mjx-container').length"
    return page.evaluate(f"() => ({_LATE_JS})().reduce({count}, 0)")


def shifted_blocks(page: Page) -> list[str]:
    """Blocks of the article that sit elsewhere than they would without containment."""
    return page.evaluate(_SHIFT_JS)


@dataclass
class Recorder:
    """Collect what goes wrong on a page: console errors, failed and external requests."""

    origin: str
    problems: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def attach(self, page: Page) -> Recorder:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught error: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("websocket", lambda ws: self._external(ws.url))
        return self

    def take(self) -> list[str]:
        """The problems seen since the last call."""
        problems, self.problems = self.problems, []
        return problems

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _request(self, request: Request) -> None:
        self.requests.append(request)
        self._external(request.url)

    def _external(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in NETWORK_SCHEMES and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.problems.append(f"request to another host: {url}")

    def _failed(self, request: Request) -> None:
        if urlsplit(request.url).netloc == urlsplit(self.origin).netloc:
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def wait_for_math(page: Page, roots: str = MATH_ROOTS, timeout_ms: float = 15_000) -> float | None:
    """Wait until all math is typeset and its fonts loaded; ``performance.now()`` then, or None.

    ``performance.now()`` counts from the start of the page's navigation (a direct load), so on
    a direct load it is the time from request to the last equation on screen.
    """
    try:
        handle = page.wait_for_function(
            _DONE_JS, arg=[roots, RAW_TEX, NOT_PROSE], polling="raf", timeout=timeout_ms
        )
    except PlaywrightError:
        return None
    return float(handle.json_value())


def math_problems(page: Page, roots: str = MATH_ROOTS) -> list[str]:
    """Everything wrong with the page's math as a reader sees it, once MathJax is idle.

    ``roots`` are the elements whose math must be typeset; raw TeX is looked for everywhere.
    """
    report = page.evaluate(_REPORT_JS, [roots, RAW_TEX, NOT_PROSE])
    problems = [f"math not typeset: «{text}»" for text in report["pending"]]
    problems += [f"MathJax error: {error}" for error in report["errors"]]
    problems += [
        f"raw TeX in the page: {' '.join(found['tex'])} in «{found['context'].strip()}»"
        for found in report["leftovers"]
    ]
    return problems


def contrast_problems(page: Page, theme: str) -> list[str]:
    """The typeset formula least readable on its background, if below :data:`MIN_CONTRAST`."""
    worst = page.evaluate(_MATH_CONTRAST_JS)
    if worst and worst["ratio"] < MIN_CONTRAST:
        return [f"math contrast {worst['ratio']:.2f} in the {theme} theme: {worst}"]
    return []


def check_page(
    page: Page, recorder: Recorder, timeout_ms: float = 15_000
) -> tuple[list[str], float | None]:
    """Problems of a page that has just been opened, and the ms until its math was on screen."""
    typeset_at = wait_for_math(page, timeout_ms=timeout_ms)
    problems = [] if typeset_at is not None else [f"math not typeset after {timeout_ms:.0f} ms"]
    problems += math_problems(page)
    return problems + recorder.take(), typeset_at
