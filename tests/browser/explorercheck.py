"""What the explorers' browser tests share (tests/browser/test_explorer.py, the seed toy, and
test_classifier_explorer.py, the classifier): reading the page's fields and numbers, comparing a
shown number with the package's at the precision shown, typing numbers as a reader would.
"""

from __future__ import annotations

import re

import numpy as np
from numcheck import number_matches
from playwright.sync_api import Browser, Page
from sitecheck import Recorder, origin_of, wait_for_math

# Every shown number of the explorer as {"name:index": text}; on the graph, those of the
# orientation on screen (the other one is display: none).
READ_JS = """(root) => Object.fromEntries(
  Array.from(document.querySelector(root).querySelectorAll("[data-quantity]"), (el) => el)
  .filter((el) => !el.closest("[data-graph]") || el.getClientRects().length > 0)
  .map((el) => [
    el.dataset.index ? `${el.dataset.quantity}:${el.dataset.index}` : el.dataset.quantity,
    el.textContent.trim(),
  ]))"""

# Every field as {"param:index": value}: the exact value a step keeps in data-exact (the
# field then shows it rounded), else the field's text.
FIELDS_JS = """(root) => Object.fromEntries(
  Array.from(document.querySelector(root).querySelectorAll("input[data-param]"), (el) => [
    el.dataset.index ? `${el.dataset.param}:${el.dataset.index}` : el.dataset.param,
    el.dataset.exact ?? el.value]))"""

# The fields' own text, as the reader sees it.
TEXTS_JS = """(root) => Object.fromEntries(
  Array.from(document.querySelector(root).querySelectorAll("input[data-param]"), (el) => [
    el.dataset.index ? `${el.dataset.param}:${el.dataset.index}` : el.dataset.param, el.value]))"""

# The focused control: its data-param, id or data-action (null for anything else).
FOCUSED_JS = """(({dataset, id}) => dataset.param || id || dataset.action || null)(
  document.activeElement)"""

# Visible elements that stick out of the viewport, outside any scrolling box (a wide formula
# or code block scrolls inside its own box).
OVERFLOW_JS = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 0.5) continue;
    let box = el.parentElement;
    while (box && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
    if (!box || box === document.body || box === document.documentElement) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} right edge ${r.right.toFixed(1)}`);
    }
  }
  return out;
}"""


# WCAG contrast of an element's text on its composited background, in a given colour scheme.
CONTRAST_JS = """(el, scheme) => {
  const body = document.body, before = body.getAttribute("data-md-color-scheme");
  body.setAttribute("data-md-color-scheme", scheme);
  const rgba = (css) => {
    const v = css.match(/[\\d.]+/g).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  const over = (top, below) => [0, 1, 2]
    .map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
  let bg = [255, 255, 255, 1];
  const layers = [];
  for (let e = el; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
  for (const layer of layers.reverse()) bg = over(layer, bg);
  const color = rgba(getComputedStyle(el).color);
  for (let e = el; e; e = e.parentElement) color[3] *= Number(getComputedStyle(e).opacity);
  const fg = over(color, bg);
  body.setAttribute("data-md-color-scheme", before);
  const lum = (c) => c.slice(0, 3).map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def shown_as(text: str, value: float | None) -> bool:
    """Whether the page's text shows ``value``: at the precision written, as "overflow" for a
    value beyond double precision, as "—" for no value."""
    if value is None:
        return text == "—"
    if not np.isfinite(value):
        return text == "overflow"
    return bool(re.fullmatch(r"[-−]?\d+(\.\d+)?(e[-−]?\d+)?", text)) and number_matches(
        text, float(value)
    )


def significant_digits(text: str) -> int:
    mantissa = re.split("e", text.replace("−", "").replace("-", ""))[0]
    return len(mantissa.replace(".", "").lstrip("0"))


def page_top(locator) -> float:
    """The element's top edge in page coordinates (independent of scrolling)."""
    return locator.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY")


def random_text(rng: np.random.Generator, low: float, high: float) -> str:
    """A number as a reader might type it: plain, with an exponent, or with a U+2212 minus."""
    value = rng.uniform(low, high)
    style = rng.integers(4)
    if style == 0:
        text = f"{value:.{rng.integers(1, 5)}f}"
    elif style == 1:
        text = f"{value:.3e}"
    elif style == 2:
        text = repr(float(value))
    else:
        text = f"{value:.2f}".replace("-", "−")
    return text


def faulty_explorer(site, fault: str, original: str, replacement: str) -> str:
    """Serve a copy of the explorer page whose module has ``original`` replaced by
    ``replacement`` (found exactly once); return the copy's address."""
    module = (site.root / "javascripts" / "toy-explorer.js").read_text(encoding="utf-8")
    assert module.count(original) == 1, original
    name = "faulty-" + re.sub(r"\W+", "-", fault)
    (site.overlay / "javascripts").mkdir(exist_ok=True)
    (site.overlay / "javascripts" / f"{name}.js").write_text(module.replace(original, replacement))
    html = (site.root / "explorer" / "index.html").read_text(encoding="utf-8")
    (site.overlay / name).mkdir(exist_ok=True)
    (site.overlay / name / "index.html").write_text(
        html.replace("javascripts/toy-explorer.js", f"javascripts/{name}.js")
    )
    return site.url + name + "/"


# The graph's roads on screen: {"o:t" or "z:t": [norm, stroke width]}, and whether the roads
# into h_t are lit.
ROADS_JS = """(root) => Object.fromEntries(
  Array.from(document.querySelector(root).querySelectorAll("[data-graph] [data-road]"), (g) => g)
  .filter((g) => g.getClientRects().length > 0)
  .map((g) => [
    g.dataset.road,
    [Number(g.dataset.norm), Number(g.querySelector("line").getAttribute("stroke-width")),
     g.classList.contains("is-lit")]]))"""


def graph_numbers(params, xs, targets, loss: str, scored: tuple[int, ...]):
    """What the live graph shows, from the package: the numbers ``g-…`` beside the nodes, and
    the size ‖·‖ of each road into h_t (``o:t``: W_hyᵀ ∂L/∂o_t; ``z:t``: W_hhᵀ δ_{t+1})."""
    from rnn_derivatives import deltas, hidden_grads, score, softmax

    scored_run = score(params, xs, targets, loss=loss)
    T = len(xs)
    d_o = scored_run.d_o.reshape(T, -1)  # ∂L/∂o_t, (T, O) (score keeps a batch of one)
    o, h = scored_run.trace.o.reshape(T, -1), scored_run.trace.h.reshape(T + 1, -1)
    road_o = d_o @ params.W_hy  # row t − 1 is W_hyᵀ ∂L/∂o_t, (T, H)
    dh = hidden_grads(params, xs, road_o)  # index t is ∂L/∂h_t, (T + 1, H)
    delta = deltas(params, xs, targets, loss=loss)  # row t − 1 is δ_t
    road_h = np.vstack([delta[1:] @ params.W_hh, np.zeros((1, delta.shape[1]))])
    assert np.allclose(dh[1:], road_o + road_h, rtol=1e-12, atol=1e-15)
    y_hat = softmax(o) if loss == "cross_entropy" else o
    numbers = {}
    for t in range(1, len(xs) + 1):
        numbers[f"g-x:{t}"] = xs[t - 1, 0]
        for i in range(2):
            numbers[f"g-h:{t},{i}"] = h[t, i]
            numbers[f"g-dh:{t},{i}"] = dh[t, i]
            numbers[f"g-delta:{t},{i}"] = delta[t - 1, i]
        for k in range(o.shape[1]):
            numbers[f"g-o:{t},{k}"] = o[t - 1, k]
            if t in scored:
                numbers[f"g-yhat:{t},{k}"] = y_hat[t - 1, k]
        if t in scored:  # L_t = −log ŷ_{t,c_t}, or the squared error L of the last step
            numbers[f"g-loss:{t}"] = (
                -np.log(y_hat[t - 1, targets[t - 1]])
                if loss == "cross_entropy"
                else scored_run.loss
            )
    roads = {f"o:{t}": np.linalg.norm(road_o[t - 1]) for t in range(1, len(xs) + 1)}
    roads |= {f"z:{t}": np.linalg.norm(road_h[t - 1]) for t in range(1, len(xs))}
    return numbers, roads


def road_problems(shown_roads: dict, expected: dict) -> list[str]:
    """Roads whose size is not the package's, or whose width does not follow it:
    width = 1 + 6 ‖road‖ / (the largest road)."""
    problems = []
    if set(shown_roads) != set(expected):
        return [f"roads {sorted(shown_roads)} are not {sorted(expected)}"]
    largest = max(expected.values())
    for key, (norm, width, _) in shown_roads.items():
        if not np.isclose(norm, expected[key], rtol=1e-9, atol=1e-15):
            problems.append(f"road {key}: page {norm!r}, package {expected[key]!r}")
        want = 1 + 6 * expected[key] / largest if largest > 0 else 7
        if abs(width - want) > 0.006:
            problems.append(f"road {key}: width {width}, expected {want:.3f}")
    return problems


# The graph's orientation on screen, how many numbers it shows, whether its box scrolls
# sideways, the smallest number's box height in px and the smallest size in px of any of its
# texts (font size at the picture's scale; sub- and superscripts too).
LEGIBILITY_JS = """(svg) => {
  const shown = [...svg.children].filter((el) => el.getClientRects().length > 0);
  if (shown.length !== 1) return [null, 0, true, 0, 0];
  const view = shown[0];
  const scale = view.getBoundingClientRect().width / view.viewBox.baseVal.width;
  const numbers = [...view.querySelectorAll(".gx-num")];
  const texts = [...view.querySelectorAll("text, tspan")];
  const box = svg.parentElement;
  const scrolls = box.scrollWidth > box.clientWidth ||
    svg.getBoundingClientRect().right > document.documentElement.clientWidth;
  return [view.dataset.layout, numbers.length, scrolls,
    Math.min(...numbers.map((t) => t.getBoundingClientRect().height)),
    Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale))];
}"""


def graph_legibility(graph) -> tuple[str | None, int, bool, float, float]:
    """(orientation on screen, its numbers, whether its box scrolls sideways, the smallest
    number's height in px, the smallest text's size in px)."""
    return tuple(graph.evaluate(LEGIBILITY_JS))


# --- the page, opened and read ----------------------------------------------------------------


def open_explorer(
    browser: Browser, url: str, live: str, width: int = 1280, scheme: str = "light"
) -> tuple[Page, Recorder]:
    """A new page on the explorer at ``url``, once ``live`` (its root, ready) is there and the
    page's math is typeset; the recorder collects the page's errors."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    recorder = Recorder(origin_of(url)).attach(page)
    page.goto(url)
    page.wait_for_selector(live)
    assert wait_for_math(page) is not None, "the page's math was not typeset"
    return page, recorder


def shown(page: Page, root: str) -> dict[str, str]:
    """Every number the explorer under ``root`` shows, as {"name:index": text}."""
    return page.evaluate(READ_JS, root)


def fields(page: Page, root: str) -> dict[str, float]:
    """The value of every input field of the explorer under ``root``."""
    return {
        key: float(text.replace("−", "-")) for key, text in page.evaluate(FIELDS_JS, root).items()
    }


def field(page: Page, root: str, key: str):
    """The input ``"param:index"`` (or ``"param"`` for a field without an index)."""
    param, _, index = key.partition(":")
    selector = f'{root} input[data-param="{param}"]'
    return page.locator(selector + (f'[data-index="{index}"]' if index else ""))
