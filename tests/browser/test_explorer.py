"""The toy network explorer (docs/explorer.md) against the package, in headless Chromium.

The explorer is a second implementation of the toy network, in JavaScript
(docs/javascripts/toy-explorer.js). These tests type weights into the page's own fields and
compare every number the page shows with what ``rnn_derivatives`` computes for the same values,
at the precision shown (numcheck's rule: a wrong last digit fails). The contract they rely on:
the root carries ``data-explorer="toy"``; each field is an ``<input>`` with ``data-param`` and
``data-index``; each shown number is an element with ``data-quantity`` (and ``data-index``)
whose text is the number alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import explorercheck
import numpy as np
import pytest
from explorercheck import (
    CONTRAST_JS,
    FOCUSED_JS,
    OVERFLOW_JS,
    ROADS_JS,
    TEXTS_JS,
    faulty_explorer,
    graph_legibility,
    graph_numbers,
    open_explorer,
    page_top,
    random_text,
    road_problems,
    shown_as,
    significant_digits,
)
from playwright.sync_api import Browser, Page
from sitecheck import Recorder, math_problems, origin_of, wait_for_layout
from siteserver import Site

from rnn_derivatives import (
    RNNParams,
    deltas,
    error_decade,
    forward,
    hidden_jacobian,
    immediate_jacobians,
    jacobian_norms,
    largest_singular_value,
    loss_and_grads,
    numerical_grads,
    relative_error,
    sgd_step,
    toy_network,
)

pytestmark = pytest.mark.browser

ROOT = '[data-explorer="toy"]'
LIVE = f"{ROOT}.tx-live"
SETTINGS = 25  # random weight settings compared digit by digit
LONG_STEPS = 30  # T of the second panel
PARAMS = ("W_xh", "W_hh", "W_hy")

# The plotted points: lag, norm and bound (every digit) and the y coordinate.
_POINTS_JS = """(root) => Array.from(
  document.querySelector(root).querySelectorAll("svg[data-plot] circle"), (c) => ({
    lag: c.dataset.lag, norm: c.dataset.norm, bound: c.dataset.bound,
    cy: c.getAttribute("cy"), offScale: c.classList.contains("tx-off-scale")}))"""

# --- what the package says ------------------------------------------------------------------


def params_of(fields: dict[str, float]) -> tuple[RNNParams, np.ndarray, float]:
    """The toy network with the values of the page's fields."""
    arrays = {
        name: np.zeros(shape) for name, shape in zip(PARAMS, [(2, 1), (2, 2), (1, 2)], strict=True)
    }
    for key, value in fields.items():
        name, _, index = key.partition(":")
        if name in arrays:
            arrays[name][tuple(int(i) for i in index.split(","))] = value
    xs = np.array([[fields[f"x:{t}"]] for t in (1, 2, 3)])
    return RNNParams(**arrays), xs, fields["y"]


def package_numbers(params: RNNParams, xs: np.ndarray, y: float) -> dict[str, float | None]:
    """Every number the explorer shows, as rnn_derivatives computes it.

    The path terms δ_k x_k are also built the long way, (∂L/∂h_3)(∂h_3/∂h_k)(∂⁺h_k/∂W_xh),
    from ``hidden_jacobian`` and ``immediate_jacobians``, and the two must agree (unless the
    weights overflow on purpose: the long way then meets ∞ · 0 where δ_k x_k does not).
    """
    with np.errstate(all="ignore"):  # huge weights overflow on purpose in one test
        cache = forward(params, xs)
        loss, grads = loss_and_grads(params, xs, y, loss="squared_last")
        delta = deltas(params, xs, y, loss="squared_last")  # row t − 1 is δ_t, (3, 2)
        y_hat = cache.o[-1, 0]
        dL_dh3 = (y_hat - y) * params.W_hy[0]  # ∂L/∂h_3, (2,)
        paths = {
            k: np.einsum(
                "j,jpq->pq",
                dL_dh3 @ hidden_jacobian(params, cache, 3, k),
                immediate_jacobians(cache, k)["W_xh"][0],
            )
            for k in (1, 2, 3)
        }
        if np.isfinite(delta).all():  # the long way agrees with δ_k x_k
            assert np.allclose([paths[k][:, 0] for k in (1, 2, 3)], delta * xs, rtol=1e-12)
        numbers: dict[str, float | None] = {"yhat": y_hat, "loss": loss}
        for t in (1, 2, 3):
            for i in (0, 1):
                numbers[f"h:{t},{i}"] = cache.h[t, i]
                numbers[f"delta:{t},{i}"] = delta[t - 1, i]
                path = delta[t - 1, i] * xs[t - 1, 0]  # δ_k x_k
                numbers[f"path:{t},{i}"] = path
                total = grads.W_xh[i, 0]
                numbers[f"share:{t},{i}"] = (
                    None if total == 0 else 100 * path / total if np.isfinite(total) else np.nan
                )
        for name in PARAMS:
            for (i, j), value in np.ndenumerate(getattr(grads, name)):
                numbers[f"d{name}:{i},{j}"] = value
    return numbers


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer(browser: Browser, site: Site) -> Iterator[tuple[Page, Recorder]]:
    """One explorer page for the module; each test starts from Reset."""
    page, recorder = open_explorer(browser, site.url + "explorer/", LIVE)
    yield page, recorder
    page.context.close()


@pytest.fixture
def page(explorer: tuple[Page, Recorder]) -> Iterator[Page]:
    page, recorder = explorer
    page.click(f"{ROOT} [data-action=reset]")
    recorder.take()
    yield page
    assert recorder.take() == [], "the explorer logged errors"
    assert "NaN" not in page.locator(ROOT).inner_text()


def shown(page: Page) -> dict[str, str]:
    return explorercheck.shown(page, ROOT)


def fields(page: Page) -> dict[str, float]:
    return explorercheck.fields(page, ROOT)


def field(page: Page, key: str):
    return explorercheck.field(page, ROOT, key)


def mismatches(page: Page) -> list[str]:
    """Every shown number of the first panel that is not what the package computes."""
    expected = package_numbers(*params_of(fields(page)))
    texts = shown(page)
    problems = [f"{key} is not shown" for key in expected if key not in texts]
    for key, value in expected.items():
        text = texts.get(key)
        if text is not None and not shown_as(text, value):
            problems.append(f"{key}: page shows {text!r}, package computes {value!r}")
        elif text not in (None, "—", "overflow", "0") and significant_digits(text) < 4:
            problems.append(f"{key}: {text!r} has fewer than 4 significant digits")
    return problems


def type_setting(page: Page, rng: np.random.Generator) -> None:
    """Random weights, inputs and target, typed into the page's own fields."""
    for key in fields(page):
        name = key.partition(":")[0]
        low, high = {"x": (-1.5, 1.5), "y": (-6.0, 6.0)}.get(name, (-3.0, 3.0))
        field(page, key).fill(random_text(rng, low, high))


# --- the tests --------------------------------------------------------------------------------


def test_the_explorer_starts_at_the_seed_and_shows_the_package_numbers(page: Page) -> None:
    params, xs, y = toy_network()
    values = fields(page)
    for name in PARAMS:
        for (i, j), value in np.ndenumerate(getattr(params, name)):
            assert values[f"{name}:{i},{j}"] == value, name
    assert [values[f"x:{t}"] for t in (1, 2, 3)] == list(xs[:, 0])
    assert values["y"] == y
    assert mismatches(page) == []
    texts = shown(page)
    assert texts["loss"] == "0.5028" and texts["dW_xh:0,0"] == "−0.003096"


def test_every_shown_number_matches_the_package_for_random_weights(page: Page) -> None:
    # The page tells readers how many settings this test compares; keep the two in step.
    text = (Path(__file__).resolve().parents[2] / "docs" / "explorer.md").read_text("utf-8")
    assert f"type {SETTINGS} random weight settings" in " ".join(text.split())
    rng = np.random.default_rng(12)
    problems = []
    for setting in range(SETTINGS):
        type_setting(page, rng)
        problems += [f"setting {setting} {fields(page)}: {p}" for p in mismatches(page)]
    assert problems == [], "\n".join(problems[:20])


def test_the_graph_shows_the_package_numbers_for_random_weights(page: Page) -> None:
    """The live graph: its numbers and the sizes and widths of its roads, on random settings."""
    rng = np.random.default_rng(31)
    problems = []
    for setting in range(SETTINGS):
        if setting:
            type_setting(page, rng)
        params, xs, y = params_of(fields(page))
        expected, roads = graph_numbers(params, xs, y, loss="squared_last", scored=(3,))
        texts = shown(page)
        problems += road_problems(page.evaluate(ROADS_JS, ROOT), roads)
        for key, value in expected.items():
            if key not in texts or not shown_as(texts[key], value):
                problems.append(f"setting {setting}: {key} shows {texts.get(key)!r}, not {value}")
    assert problems == [], "\n".join(problems[:20])
    # ŷ and L only at the scored step 3; the roads from o_1 and o_2 carry nothing
    assert {key for key in shown(page) if key.startswith(("g-yhat", "g-loss"))} == {
        "g-yhat:3,0",
        "g-loss:3",
    }
    page.click(f"{ROOT} [data-action=reset]")
    assert page.evaluate(ROADS_JS, ROOT)["o:1"][:2] == [0, 1]


def test_a_wrong_digit_is_caught(page: Page) -> None:
    """The comparison can fail: a shown number with its last digit changed does not match."""
    expected = package_numbers(*toy_network())
    for key, text in shown(page).items():
        if key not in expected or expected[key] is None:
            continue
        assert shown_as(text, expected[key]), key
        last = max(i for i, c in enumerate(text.split("e")[0]) if c.isdigit())
        changed = text[:last] + str((int(text[last]) + 1) % 10) + text[last + 1 :]
        assert not shown_as(changed, expected[key]), f"{key}: {changed} accepted"


def test_shares_of_a_zero_gradient_entry_are_shown_as_none(page: Page) -> None:
    for t in (1, 2, 3):
        field(page, f"x:{t}").fill("0")
    texts = shown(page)
    assert texts["dW_xh:0,0"] == texts["dW_xh:1,0"] == "0"
    assert {texts[f"share:{k},{i}"] for k in (1, 2, 3) for i in (0, 1)} == {"—"}
    assert mismatches(page) == []


#: Faults the comparison must catch, as (original, replacement) in toy-explorer.js: the
#: recursion through W_hh instead of W_hhᵀ, a loss off in its fourth digit, a path term
#: counted at the wrong step, and a tanh slope taken at the wrong step.
FAULTS = {
    "W_hh not transposed": (
        "fromNext = matTVec(p.W_hh, delta[t]);",
        "fromNext = matVec(p.W_hh, delta[t]);",
    ),
    "loss off in the 4th digit": (
        "const loss = 0.5 * (yHat - p.y) ** 2;",
        "const loss = 0.5002 * (yHat - p.y) ** 2;",
    ),
    "path at the wrong step": (
        "path[t] = outer(delta[t], [p.x[t - 1]]);",
        "path[t] = outer(delta[t], [p.x[(t + 1) % 3]]);",
    ),
    "slope at the wrong step": (
        "delta[t] = slopes(h[t]).map(",
        "delta[t] = slopes(h[t - 1]).map(",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_faulty_explorer_fails_the_comparison(browser: Browser, site: Site, fault: str) -> None:
    """The same checks on a copy of the page whose module carries one fault."""
    original, replacement = FAULTS[fault]
    url = faulty_explorer(site, fault, original, replacement)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(LIVE)
        rng = np.random.default_rng(1)
        found = mismatches(page)
        for _ in range(3):
            type_setting(page, rng)
            found += mismatches(page)
        assert found, f"the fault {fault!r} went unnoticed"
        # The page's own finite-difference check sees each fault too, as a reader would.
        page.click(f"{ROOT} [data-action=check]")
        errors = page.locator(f'{ROOT} [data-quantity="fd-error"]').evaluate_all(
            "(els) => els.map((el) => Number(el.dataset.value))"
        )
        assert max(errors) > 1e-4, (fault, errors)
    finally:
        context.close()


def test_a_gradient_step_lowers_the_loss_as_sgd_step_does(page: Page) -> None:
    rng = np.random.default_rng(3)
    for lr_text in ("0.1", "0.02", "1e-3"):
        if lr_text != "0.1":
            type_setting(page, rng)
        field_values = fields(page)
        params, xs, y = params_of(field_values)
        loss, grads = loss_and_grads(params, xs, y, loss="squared_last")
        stepped = sgd_step(params, RNNParams(grads.W_xh, grads.W_hh, grads.W_hy), float(lr_text))
        loss_after, _ = loss_and_grads(stepped, xs, y, loss="squared_last")
        page.fill("#tx-lr", lr_text)
        page.click(f"{ROOT} [data-action=step]")
        texts = shown(page)
        assert shown_as(texts["loss-before"], loss), (lr_text, texts["loss-before"], loss)
        assert shown_as(texts["loss-after"], loss_after), (lr_text, texts["loss-after"])
        after = fields(page)
        texts_after = page.evaluate(TEXTS_JS, ROOT)
        for name in PARAMS:
            for (i, j), value in np.ndenumerate(getattr(stepped, name)):
                key = f"{name}:{i},{j}"
                assert after[key] == pytest.approx(value, rel=1e-14, abs=1e-300)
                # the field shows the new weight to 6 significant digits, not 17
                text = texts_after[key]
                assert float(text.replace("−", "-")) == float(f"{value:.6g}"), (key, text)
                assert significant_digits(text) <= 6, text
        assert {k: v for k, v in after.items() if k[0] in "xy"} == {
            k: v for k, v in field_values.items() if k[0] in "xy"
        }
        assert mismatches(page) == []
        if lr_text == "0.1":
            assert loss_after < loss, "a step from the seed lowers the loss"


def test_reset_returns_to_the_seed(page: Page) -> None:
    type_setting(page, np.random.default_rng(5))
    page.fill("#tx-lr", "0.5")
    page.click(f"{ROOT} [data-action=step]")
    page.fill("#tx-scale", "2.5")
    page.check(f'{ROOT} input[name="tx-sequence"][value="zero"]')
    page.click(f"{ROOT} [data-action=reset]")
    params, xs, y = toy_network()
    now, now_xs, now_y = params_of(fields(page))
    for name in PARAMS:
        assert getattr(now, name).tolist() == getattr(params, name).tolist(), name
    assert now_xs.tolist() == xs.tolist() and now_y == y
    assert page.input_value("#tx-lr") == "0.1"
    assert page.input_value("#tx-scale") == "1"
    assert page.is_checked(f'{ROOT} input[name="tx-sequence"][value="toy"]')
    texts = shown(page)
    assert texts["loss-before"] == texts["loss-after"] == "—"
    assert mismatches(page) == []


@pytest.mark.parametrize("bad", ["", "abc", "1..2", "1e999", "Infinity", "NaN", "--1"])
def test_bad_input_is_marked_and_the_last_valid_numbers_stay_as_stale(page: Page, bad: str) -> None:
    before = shown(page)
    target = field(page, "W_hh:1,0")
    results = page.locator(f"{ROOT} .tx-results")
    top = page_top(results)
    target.fill(bad)
    assert target.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{target.get_attribute('aria-describedby')}")
    assert message.is_visible() and message.inner_text().startswith("row 2, col 1: ")
    assert page.locator(f"{ROOT}.tx-stale").count() == 1
    number = page.locator(f"{ROOT} .tx-results [data-vector] span").first
    assert number.evaluate("(el) => getComputedStyle(el).fontStyle") == "italic"
    for scheme in ("default", "slate"):  # marked stale, yet readable (WCAG AA) in both themes
        assert number.evaluate(CONTRAST_JS, scheme) >= 4.5, scheme
    assert shown(page) == before, "the last valid numbers must stay"
    assert page_top(results) == top, "the page moved while typing"
    target.fill("−2.5")
    assert target.get_attribute("aria-invalid") == "false" and message.inner_text() == ""
    assert page.locator(f"{ROOT}.tx-stale").count() == 0
    assert fields(page)["W_hh:1,0"] == -2.5
    assert mismatches(page) == []


def test_a_bad_learning_rate_takes_no_step(page: Page) -> None:
    before = fields(page)
    for bad in ("", "x", "0", "-0.1"):
        page.fill("#tx-lr", bad)
        page.click(f"{ROOT} [data-action=step]")
        assert page.get_attribute("#tx-lr", "aria-invalid") == "true"
        assert page.inner_text("#tx-error-lr").startswith("η: ")
        assert fields(page) == before


def test_overflow_is_shown_as_such(page: Page) -> None:
    field(page, "W_hy:0,0").fill("1e200")
    texts = shown(page)
    assert texts["loss"] == "overflow" and texts["yhat"] != "overflow"
    assert texts["share:3,1"] == "overflow", "a share of an overflowed total is no number"
    assert "Overflow" in page.inner_text(f"{ROOT} [data-status]")
    assert mismatches(page) == []
    field(page, "W_hy:0,0").fill("1e308")
    field(page, "W_hy:0,1").fill("1e308")
    assert shown(page)["yhat"] == "overflow"
    assert mismatches(page) == []
    page.click(f"{ROOT} [data-action=step]")  # no step along an overflowed gradient
    assert "No step" in page.inner_text("#tx-error-lr")
    assert fields(page)["W_hy:0,0"] == 1e308


def test_the_explorer_works_by_keyboard(page: Page) -> None:
    first = field(page, "W_xh:0,0")
    first.focus()
    order = []  # the explorer's controls in Tab order (MathJax makes each formula a Tab stop)
    for _ in range(200):
        order.append(page.evaluate(FOCUSED_JS))
        if order[-1] == "tx-scale":
            break
        page.keyboard.press("Tab")
    assert [stop for stop in order if stop] == [
        *["W_xh"] * 2,
        *["W_hh"] * 4,
        *["W_hy"] * 2,
        *["x"] * 3,
        "y",
        "tx-lr",
        "step",
        "reset",
        "check",
        "tx-scale",
    ]
    first.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("-1.25")
    assert fields(page)["W_xh:0,0"] == -1.25
    assert mismatches(page) == []
    page.focus("#tx-lr")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.05")
    page.focus(f"{ROOT} [data-action=step]")
    page.keyboard.press("Enter")
    assert shown(page)["loss-before"] != "—"
    page.focus("#tx-scale")
    page.keyboard.press("ArrowLeft")
    assert page.input_value("#tx-scale") == "0.99"
    assert shown(page)["scale"] == "0.9900"
    page.focus(f'{ROOT} input[name="tx-sequence"][value="toy"]')
    page.keyboard.press("ArrowRight")
    assert page.is_checked(f'{ROOT} input[name="tx-sequence"][value="zero"]')


@pytest.mark.parametrize("sequence", ["toy", "zero"])
def test_the_plotted_jacobian_norms_are_the_package_s(page: Page, sequence: str) -> None:
    rng = np.random.default_rng(7)
    page.check(f'{ROOT} input[name="tx-sequence"][value="{sequence}"]')
    for setting in range(4):
        if setting:
            type_setting(page, rng)
        params, xs, _ = params_of(fields(page))
        for s in ("0.1", "0.18", "0.5", "1", "3"):
            page.fill("#tx-scale", s)
            scaled = RNNParams(params.W_xh, float(s) * params.W_hh, params.W_hy)
            inputs = np.tile(xs, (10, 1)) if sequence == "toy" else np.zeros((LONG_STEPS, 1))
            norms = jacobian_norms(scaled, forward(scaled, inputs), LONG_STEPS)
            rate = largest_singular_value(scaled.W_hh)
            points = [
                {k: v if k == "offScale" else float(v) for k, v in p.items()}
                for p in page.evaluate(_POINTS_JS, ROOT)
            ]
            assert [p["lag"] for p in points] == list(range(LONG_STEPS + 1))
            # 1 − h_j² loses digits when a unit saturates (h_j ≈ ±1): at s = 3 a slope of 1e-8
            # keeps only 8 of them, and Math.tanh and NumPy's tanh may differ in h_j's last bit.
            got = np.array([p["norm"] for p in points])
            wrong = ~np.isclose(got, norms, rtol=1e-6, atol=1e-300)
            assert not wrong.any(), (setting, s, got[wrong], norms[wrong], np.flatnonzero(wrong))
            bounds = rate ** np.arange(LONG_STEPS + 1)
            assert [p["bound"] for p in points] == pytest.approx(bounds, rel=1e-9)
            # The dots sit at their values on the log scale: cy = a − b log10(norm).
            on_scale = [p for p in points if not p["offScale"]]
            logs = np.log10([p["norm"] for p in on_scale])
            slope, intercept = np.polyfit(logs, [p["cy"] for p in on_scale], 1)
            assert slope < 0
            assert np.allclose(intercept + slope * logs, [p["cy"] for p in on_scale], atol=1e-6)
            texts = shown(page)
            assert shown_as(texts["scale"], float(s))
            assert shown_as(texts["bound-rate"], rate)
            assert shown_as(texts["jacobian-end"], norms[-1])
            assert shown_as(texts["bound-end"], bounds[-1])


def test_the_explorer_starts_after_instant_navigation(browser: Browser, site: Site) -> None:
    """Material swaps the page in place; the explorer must start there too, and again after
    leaving and coming back, without starting twice."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    recorder = Recorder(origin_of(site.url)).attach(page)
    try:
        page.goto(site.url + "toy-network/")
        page.wait_for_function("typeof document$ !== 'undefined'")
        page.evaluate("window.notReloaded = true")
        page.click('article a[href$="explorer/"]')
        page.wait_for_selector(LIVE)
        assert page.evaluate("window.notReloaded"), "the link reloaded the page"
        assert mismatches(page) == []
        page.click('article a[href$="toy-network/"]')
        page.wait_for_url("**/toy-network/")
        page.go_back()
        page.wait_for_selector(LIVE)
        assert page.evaluate("window.notReloaded"), "going back reloaded the page"
        assert page.locator(f"{ROOT} input[data-param]").count() == 12, "set up twice"
        field(page, "y").fill("3")
        assert mismatches(page) == []
        assert recorder.take() == []
    finally:
        context.close()


@pytest.mark.parametrize(("width", "layout"), [(390, "tall"), (600, "tall"), (601, "wide")])
def test_on_a_phone_both_graphs_run_down_and_need_no_scrolling(
    browser: Browser, site: Site, width: int, layout: str
) -> None:
    """Issue 21: up to 600 px each graph is its transpose, time running down, in a box that does
    not scroll sideways; at 390 px every text of it (subscripts too) is at least 11 px, with the
    same numbers as the wide one, which is hidden."""
    page, recorder = open_explorer(browser, site.url + "explorer/", LIVE, width)
    try:
        for root, count in (('[data-explorer="classifier"]', 36), (ROOT, 26)):
            graph = page.locator(f"{root} [data-graph]")
            shown, numbers, scrolls, number_px, text_px = graph_legibility(graph)
            assert (shown, numbers, scrolls) == (layout, count, False), root
            assert number_px >= 11, (root, number_px)
            if width == 390:
                assert text_px >= 11, (root, text_px)
            both = graph.evaluate(
                """(svg) => [...svg.children].filter((v) => v.dataset.layout).map((v) =>
                     Array.from(v.querySelectorAll("[data-quantity]"), (t) =>
                       `${t.dataset.quantity}:${t.dataset.index}=${t.textContent}`).sort())"""
            )
            assert len(both) == 2 and both[0] == both[1] and len(both[0]) == count, root
        assert recorder.take() == []
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_explorer_fits_the_screen_in_both_themes(
    browser: Browser, site: Site, screenshot_dir: Path, width: int, scheme: str
) -> None:
    page, recorder = open_explorer(browser, site.url + "explorer/", LIVE, width, scheme)
    try:
        assert math_problems(page) == []
        assert page.evaluate(OVERFLOW_JS, width) == []
        # An invalid field and an overflow must not move anything either.
        results = page.locator(f"{ROOT} .tx-results")
        top = page_top(results)
        field(page, "W_hy:0,0").fill("1e200")
        field(page, "W_hh:0,1").fill("oops")
        assert page_top(results) == top
        assert page.evaluate(OVERFLOW_JS, width) == []
        shot = f"explorer-live-{width}-{scheme}"
        page.locator(ROOT).screenshot(path=screenshot_dir / f"{shot}-invalid.png")
        page.click(f"{ROOT} [data-action=reset]")
        page.mouse.move(0, 0)  # no hover on the buttons
        wait_for_layout(page)
        page.screenshot(path=screenshot_dir / f"{shot}.png", full_page=True)
        page.locator(f"{ROOT} [data-graph]").screenshot(path=screenshot_dir / f"{shot}-graph.png")
        page.click(f"{ROOT} [data-action=check]")  # the check's table, then a step in view
        page.click(f"{ROOT} [data-action=step]")
        assert page.evaluate(OVERFLOW_JS, width) == []
        page.mouse.move(0, 0)
        page.screenshot(path=screenshot_dir / f"{shot}-step.png")
        page.locator(f"{ROOT} .tx-figure").screenshot(path=screenshot_dir / f"{shot}-plot.png")
        assert recorder.take() == []
    finally:
        page.context.close()


def test_editing_a_rounded_field_uses_the_typed_number(page: Page) -> None:
    page.click(f"{ROOT} [data-action=step]")
    target = field(page, "W_xh:0,0")
    assert target.get_attribute("data-exact") is not None, "a step keeps the exact value"
    target.fill("1.5")
    assert target.get_attribute("data-exact") is None
    assert fields(page)["W_xh:0,0"] == 1.5
    assert mismatches(page) == []


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_loss_after_a_step_is_in_view_beside_the_button(
    browser: Browser, site: Site, width: int, height: int
) -> None:
    """L before and after the step are on screen after a click, wherever the button was in the
    viewport (at its bottom edge too), without the reader scrolling."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(site.url + "explorer/")
        page.wait_for_selector(LIVE)
        button = page.locator(f"{ROOT} [data-action=step]")
        result = page.locator(f"{ROOT} [data-step-result]")
        for where in ("top", "bottom"):
            page.click(f"{ROOT} [data-action=reset]")
            button.evaluate(
                """(el, where) => {
                  const r = el.getBoundingClientRect();
                  const header = document.querySelector(".md-header").getBoundingClientRect();
                  window.scrollBy(0, where === "top" ? r.top - header.bottom - 4
                                                     : r.bottom - window.innerHeight + 2);
                }""",
                where,
            )
            before = button.bounding_box()
            assert 0 <= before["y"] and before["y"] + before["height"] <= height, where
            button.click()
            box = result.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (where, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (where, box)
            assert button.bounding_box()["y"] >= 0, "the button left the screen"
            texts = shown(page)
            assert texts["loss-before"] == "0.5028" and texts["loss-after"] == "0.3220"
            assert result.inner_text().count("0.") == 2
    finally:
        context.close()


def test_the_learning_rate_is_stated_with_the_walkthrough_s(page: Page) -> None:
    """The page states the explorer's η (what Reset writes) and the walkthrough's η (what
    docs/toy-network.md's step uses) beside the step button."""
    walkthrough = (Path(__file__).resolve().parents[2] / "docs" / "toy-network.md").read_text()
    assert ">>> lr = 0.001\n" in walkthrough
    assert page.input_value("#tx-lr") == "0.1"
    hint = page.locator(f"{ROOT} .tx-hint")
    assert hint.is_visible()
    text = " ".join(hint.inner_text().split())
    assert "starts at 0.1" in text and "0.001" in text and "walkthrough" in text
    box, step = hint.bounding_box(), page.locator(f"{ROOT} .tx-step").bounding_box()
    assert 0 <= box["y"] - (step["y"] + step["height"]) < 40, "the hint is under the button"


def test_the_finite_difference_check_is_the_package_s(page: Page) -> None:
    """The check's numerical gradient equals numerical_grads (ε = 1e-6) at the shown precision,
    up to the rounding noise of central differences, and its relative errors are those of
    relative_error, shown as the nearest power of ten (error_decade)."""
    rng = np.random.default_rng(21)
    texts = shown(page)
    assert {v for k, v in texts.items() if k.startswith("fd")} == {"—"}, "nothing before a press"
    for setting in range(6):
        if setting:
            type_setting(page, rng)
        params, xs, y = params_of(fields(page))
        loss, grads = loss_and_grads(params, xs, y, loss="squared_last")
        numerical = numerical_grads(params, xs, y, loss="squared_last", eps=1e-6)
        page.click(f"{ROOT} [data-action=check]")
        texts = shown(page)
        # L(θ ± ε) each carry a few units of rounding in L's last digit (and Math.tanh may differ
        # from NumPy's in a last bit): their difference over 2ε is that noisy.
        noise = 1e-8 * (abs(loss) + 1)
        for name in PARAMS:
            for (i, j), value in np.ndenumerate(getattr(numerical, name)):
                text = texts[f"fd_{name}:{i},{j}"]
                got = float(text.replace("−", "-"))
                close = any(shown_as(text, value + d) for d in (-noise, 0, noise))
                assert close or abs(got - value) <= noise, (setting, name, text, value)
            error_el = page.locator(f'{ROOT} [data-quantity="fd-error"][data-index="{name}"]')
            page_error = float(error_el.get_attribute("data-value"))
            expected = relative_error(getattr(grads, name), getattr(numerical, name))
            text = error_el.inner_text()
            decade = error_decade(page_error)  # the nearest power of ten, as on the site's pages
            assert text == f"1e{round(np.log10(decade))}".replace("-", "−"), (text, page_error)
            assert page_error < 1e-5 and expected < 1e-5, (setting, name, page_error, expected)
            if expected > 0 and page_error > 0:  # both rounding noise: the same size, not digits
                assert abs(np.log10(page_error) - np.log10(expected)) < 1.5, (name, expected)
    page.click(f"{ROOT} [data-action=reset]")
    page.click(f"{ROOT} [data-action=check]")
    errors = {
        name: float(
            page.get_attribute(
                f'{ROOT} [data-quantity="fd-error"][data-index="{name}"]', "data-value"
            )
        )
        for name in PARAMS
    }  # the page says: at the seed, W_hy's relative error is the smallest
    assert errors["W_hy"] < min(errors["W_xh"], errors["W_hh"]) / 10, errors
    field(page, "y").fill("2")
    assert {v for k, v in shown(page).items() if k.startswith("fd")} == {"—"}, "cleared by edits"
    assert mismatches(page) == []


def test_the_plot_has_axis_titles(page: Page) -> None:
    titles = page.locator(f"{ROOT} svg[data-plot] .tx-axis-title")
    assert titles.count() == 2
    assert titles.nth(0).text_content() == "steps back, T − k"
    assert titles.nth(1).text_content() == "‖∂hT/∂hk‖2 (log scale)"
    plot = page.locator(f"{ROOT} svg[data-plot]").bounding_box()
    for n in range(2):
        box = titles.nth(n).bounding_box()
        assert box["width"] > 0 and box["height"] > 0
        assert plot["x"] <= box["x"] and box["x"] + box["width"] <= plot["x"] + plot["width"] + 1
        assert plot["y"] <= box["y"] and box["y"] + box["height"] <= plot["y"] + plot["height"] + 1
    # the vertical title runs up the left side, left of every decade label
    vertical = titles.nth(1).bounding_box()
    assert vertical["height"] > vertical["width"]
    decades = page.locator(f"{ROOT} svg[data-plot] > text:not(.tx-axis-title)")
    lefts = decades.evaluate_all("(ts) => ts.map((t) => t.getBoundingClientRect().left)")
    assert vertical["x"] + vertical["width"] <= min(lefts)
