"""The classifier explorer (docs/explorer.md, "The classifier") against the package, in
headless Chromium.

The classifier is ``toy_classifier()``: tanh, h_0 = 0, ŷ_t = softmax(W_hy h_t + b_y) and
L = Σ_t −log ŷ_{t,c_t}, implemented a second time in docs/javascripts/toy-explorer.js. These
tests type values into the page's own fields and compare every number the page shows with
``rnn_derivatives`` at the precision shown. The contract: the root carries
``data-explorer="classifier"``; each field is an ``<input>`` with ``data-param`` (W_xh, W_hh,
W_hy with ``data-index`` "i,j"; b_h, b_y with "i"; x and c with "t", 1-based, c being 0 or 1);
each shown number is an element with ``data-quantity`` (h, yhat, delta with "t,i"; loss; dW_xh,
dW_hh, dW_hy with "i,j"; db_h, db_y with "i") whose text is the number alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import explorercheck
import numpy as np
import pytest
from a11ycheck import focus_ring, ring_problem
from explorercheck import (
    CONTRAST_JS,
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
from sitecheck import Recorder, math_problems, wait_for_layout
from siteserver import Site

from rnn_derivatives import (
    RNNParams,
    deltas,
    error_decade,
    forward,
    loss_and_grads,
    numerical_grads,
    relative_error,
    sgd_step,
    softmax,
    toy_classifier,
)

pytestmark = pytest.mark.browser

ROOT = '[data-explorer="classifier"]'
LIVE = f"{ROOT}.tx-live"
SETTINGS = 25  # random settings compared digit by digit
SHAPES = {"W_xh": (2, 1), "W_hh": (2, 2), "b_h": (2,), "W_hy": (2, 2), "b_y": (2,)}


# --- what the package says ------------------------------------------------------------------


def params_of(values: dict[str, float]) -> tuple[RNNParams, np.ndarray, np.ndarray]:
    """The classifier with the values of the page's fields: parameters, inputs, classes."""
    arrays = {name: np.zeros(shape) for name, shape in SHAPES.items()}
    for key, value in values.items():
        name, _, index = key.partition(":")
        if name in arrays:
            arrays[name][tuple(int(i) for i in index.split(","))] = value
    xs = np.array([[values[f"x:{t}"]] for t in (1, 2, 3)])
    classes = np.array([int(values[f"c:{t}"]) for t in (1, 2, 3)])
    return RNNParams(**arrays), xs, classes


def package_numbers(params: RNNParams, xs: np.ndarray, classes: np.ndarray) -> dict[str, float]:
    """Every number the classifier explorer shows, as rnn_derivatives computes it."""
    trace = forward(params, xs)
    loss, grads = loss_and_grads(params, xs, classes)
    delta = deltas(params, xs, classes)  # row t − 1 is δ_t, (3, 2)
    y_hat = softmax(trace.o)  # row t − 1 is ŷ_t, (3, 2)
    numbers = {"loss": loss}
    for t in (1, 2, 3):
        for i in (0, 1):
            numbers[f"h:{t},{i}"] = trace.h[t, i]
            numbers[f"yhat:{t},{i}"] = y_hat[t - 1, i]
            numbers[f"delta:{t},{i}"] = delta[t - 1, i]
    for name in SHAPES:
        for index, value in np.ndenumerate(getattr(grads, name)):
            numbers[f"d{name}:{','.join(map(str, index))}"] = value
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
    """Every shown number that is not what the package computes, or has too few digits, on
    the tables and on the graph, and every road of the graph whose size or width is wrong."""
    network = params_of(fields(page))
    on_graph, roads = graph_numbers(*network, loss="cross_entropy", scored=(1, 2, 3))
    expected = package_numbers(*network) | on_graph
    texts = shown(page)
    problems = road_problems(page.evaluate(ROADS_JS, ROOT), roads)
    problems += [f"{key} is not shown" for key in expected if key not in texts]
    for key, value in expected.items():
        text = texts.get(key)
        if text is not None and not shown_as(text, value):
            problems.append(f"{key}: page shows {text!r}, package computes {value!r}")
        elif text not in (None, "—", "overflow", "0") and significant_digits(text) < 4:
            problems.append(f"{key}: {text!r} has fewer than 4 significant digits")
    return problems


def type_setting(page: Page, rng: np.random.Generator) -> None:
    """Random weights, biases, inputs and classes, typed into the page's own fields."""
    for key in fields(page):
        name = key.partition(":")[0]
        if name == "c":
            field(page, key).fill(str(rng.integers(2)))
        else:
            low, high = (-1.5, 1.5) if name == "x" else (-3.0, 3.0)
            field(page, key).fill(random_text(rng, low, high))


# --- the tests --------------------------------------------------------------------------------


def test_the_classifier_comes_first_on_the_page(page: Page) -> None:
    tops = [page_top(page.locator(f'[data-explorer="{name}"]')) for name in ("classifier", "toy")]
    assert tops[0] < tops[1]


def test_the_explorer_starts_at_the_seed_and_shows_the_package_numbers(page: Page) -> None:
    params, xs, classes = toy_classifier()
    values = fields(page)
    for name in SHAPES:
        for index, value in np.ndenumerate(getattr(params, name)):
            assert values[f"{name}:{','.join(map(str, index))}"] == value, name
    assert [values[f"x:{t}"] for t in (1, 2, 3)] == list(xs[:, 0])
    assert [values[f"c:{t}"] for t in (1, 2, 3)] == list(classes)
    assert mismatches(page) == []
    texts = shown(page)  # the classifier's page works these by hand
    assert texts["loss"] == "3.209" and texts["delta:2,1"] == "−1.535"


def test_every_shown_number_matches_the_package_for_random_settings(page: Page) -> None:
    rng = np.random.default_rng(2026)
    problems = []
    seen_classes = set()
    for setting in range(SETTINGS):
        type_setting(page, rng)
        seen_classes |= {fields(page)[f"c:{t}"] for t in (1, 2, 3)}
        problems += [f"setting {setting} {fields(page)}: {p}" for p in mismatches(page)]
    assert problems == [], "\n".join(problems[:20])
    assert seen_classes == {0, 1}


def test_a_wrong_digit_is_caught(page: Page) -> None:
    """The comparison can fail: a shown number with its last digit changed does not match."""
    expected = package_numbers(*toy_classifier())
    checked = 0
    for key, text in shown(page).items():
        if key not in expected:
            continue
        assert shown_as(text, expected[key]), key
        last = max(i for i, c in enumerate(text.split("e")[0]) if c.isdigit())
        changed = text[:last] + str((int(text[last]) + 1) % 10) + text[last + 1 :]
        assert not shown_as(changed, expected[key]), f"{key}: {changed} accepted"
        checked += 1
    assert checked == len(expected)


#: Faults the comparison must catch, as (original, replacement) in toy-explorer.js: one in the
#: pass both networks share, and three in the classifier's own terms.
FAULTS = {
    "W_hh not transposed": (
        "fromNext = matTVec(p.W_hh, delta[t]);",
        "fromNext = matVec(p.W_hh, delta[t]);",
    ),
    "b_h left out of z_t": (
        "const z = addVec(addVec(matVec(W_xh, [x]), matVec(W_hh, h[i])), b_h);",
        "const z = addVec(matVec(W_xh, [x]), matVec(W_hh, h[i]));",
    ),
    "one-hot of class 0 at every step": (
        "dO[t] = yHat[t].map((v, k) => v - (k === c ? 1 : 0));",
        "dO[t] = yHat[t].map((v, k) => v - (k === 0 ? 1 : 0));",
    ),
    "b_y's gradient from step 1 only": (
        "db_y = addMat(db_y, outer(dO[t], [1]));",
        "db_y = addMat(db_y, outer(dO[1], [1]));",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_faulty_explorer_fails_the_comparison(browser: Browser, site: Site, fault: str) -> None:
    """The same checks on a copy of the page whose module carries one fault."""
    url = faulty_explorer(site, f"classifier {fault}", *FAULTS[fault])
    page, _ = open_explorer(browser, url, LIVE)
    try:
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
        page.context.close()


def test_a_gradient_step_lowers_the_loss_as_sgd_step_does(page: Page) -> None:
    rng = np.random.default_rng(3)
    for lr_text in ("0.1", "0.02", "1e-3"):
        if lr_text != "0.1":
            type_setting(page, rng)
        values = fields(page)
        params, xs, classes = params_of(values)
        loss, grads = loss_and_grads(params, xs, classes)
        stepped = sgd_step(params, grads, float(lr_text))
        loss_after, _ = loss_and_grads(stepped, xs, classes)
        page.fill("#cx-lr", lr_text)
        page.click(f"{ROOT} [data-action=step]")
        texts = shown(page)
        assert shown_as(texts["loss-before"], loss), (lr_text, texts["loss-before"], loss)
        assert shown_as(texts["loss-after"], loss_after), (lr_text, texts["loss-after"])
        after = fields(page)
        texts_after = page.evaluate(TEXTS_JS, ROOT)
        for name in SHAPES:
            for index, value in np.ndenumerate(getattr(stepped, name)):
                key = f"{name}:{','.join(map(str, index))}"
                assert after[key] == pytest.approx(value, rel=1e-14, abs=1e-300)
                text = texts_after[key]  # rounded to 6 significant digits
                assert float(text.replace("−", "-")) == float(f"{value:.6g}"), (key, text)
                assert significant_digits(text) <= 6, text
        assert {k: v for k, v in after.items() if k[0] in "xc"} == {
            k: v for k, v in values.items() if k[0] in "xc"
        }
        assert mismatches(page) == []
        if lr_text == "0.1":
            assert texts["loss-before"] == "3.209" and texts["loss-after"] == "1.580"


def test_reset_returns_to_the_seed(page: Page) -> None:
    type_setting(page, np.random.default_rng(5))
    page.fill("#cx-lr", "0.5")
    page.click(f"{ROOT} [data-action=step]")
    page.click(f"{ROOT} [data-action=check]")
    page.click(f"{ROOT} [data-action=reset]")
    now = params_of(fields(page))
    seed = toy_classifier()
    for name in SHAPES:
        assert getattr(now[0], name).tolist() == getattr(seed[0], name).tolist(), name
    assert now[1].tolist() == seed[1].tolist() and now[2].tolist() == seed[2].tolist()
    assert page.input_value("#cx-lr") == "0.1"
    texts = shown(page)
    assert texts["loss-before"] == texts["loss-after"] == "—"
    assert {v for k, v in texts.items() if k.startswith("fd")} == {"—"}
    assert mismatches(page) == []


def test_the_finite_difference_check_is_the_package_s(page: Page) -> None:
    """The check's numerical gradient equals numerical_grads (ε = 1e-6) at the shown precision,
    up to rounding noise, and its relative errors are relative_error's, to a power of ten."""
    rng = np.random.default_rng(21)
    for setting in range(6):
        if setting:
            type_setting(page, rng)
        params, xs, classes = params_of(fields(page))
        loss, grads = loss_and_grads(params, xs, classes)
        numerical = numerical_grads(params, xs, classes, eps=1e-6)
        page.click(f"{ROOT} [data-action=check]")
        texts = shown(page)
        noise = 1e-8 * (abs(loss) + 1)  # L(θ ± ε) carry rounding in L's last digits
        for name in SHAPES:
            for index, value in np.ndenumerate(getattr(numerical, name)):
                text = texts[f"fd_{name}:{','.join(map(str, index))}"]
                got = float(text.replace("−", "-"))
                close = any(shown_as(text, value + d) for d in (-noise, 0, noise))
                assert close or abs(got - value) <= noise, (setting, name, text, value)
            error_el = page.locator(f'{ROOT} [data-quantity="fd-error"][data-index="{name}"]')
            page_error = float(error_el.get_attribute("data-value"))
            expected = relative_error(getattr(grads, name), getattr(numerical, name))
            decade = error_decade(page_error)
            assert error_el.inner_text() == f"1e{round(np.log10(decade))}".replace("-", "−")
            assert page_error < 1e-5 and expected < 1e-5, (setting, name, page_error, expected)
            if expected > 0 and page_error > 0:  # both rounding noise: the same size
                assert abs(np.log10(page_error) - np.log10(expected)) < 1.5, (name, expected)
    field(page, "x:2").fill("0.25")
    assert {v for k, v in shown(page).items() if k.startswith("fd")} == {"—"}, "cleared by edits"
    assert mismatches(page) == []


BAD = [("W_hh:1,0", ""), ("W_hh:1,0", "abc"), ("b_y:1", "1e999"), ("b_h:0", "NaN")]
BAD += [("x:3", "--1"), ("c:2", "2"), ("c:1", "0.5"), ("c:3", "")]


@pytest.mark.parametrize(("key", "bad"), BAD)
def test_bad_input_is_marked_and_the_last_valid_numbers_stay(page: Page, key: str, bad: str):
    before = shown(page)
    target = field(page, key)
    results = page.locator(f"{ROOT} .tx-results")
    top = page_top(results)
    target.fill(bad)
    assert target.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{target.get_attribute('aria-describedby')}")
    where = {"W_hh:1,0": "row 2, col 1", "b_y:1": "entry 2", "b_h:0": "entry 1"}.get(key)
    where = where or f"{key[0]}{'₀₁₂₃'[int(key[-1])]}"
    assert message.is_visible() and message.inner_text().startswith(f"{where}: "), where
    if key.startswith("c") and bad:
        assert message.inner_text().endswith("must be 0 or 1")
    assert page.locator(f"{ROOT}.tx-stale").count() == 1
    number = page.locator(f"{ROOT} .tx-results [data-vector] span").first
    assert number.evaluate("(el) => getComputedStyle(el).fontStyle") == "italic"
    for scheme in ("default", "slate"):  # marked stale, yet readable (WCAG AA) in both themes
        assert number.evaluate(CONTRAST_JS, scheme) >= 4.5, scheme
    page.click(f"{ROOT} [data-action=step]")  # no step from an invalid field
    page.click(f"{ROOT} [data-action=check]")
    assert shown(page) == before, "the last valid numbers must stay"
    assert page_top(results) == top, "the page moved while typing"
    target.fill("1")
    assert target.get_attribute("aria-invalid") == "false" and message.inner_text() == ""
    assert page.locator(f"{ROOT}.tx-stale").count() == 0
    assert fields(page)[key] == 1
    assert mismatches(page) == []


def test_focusing_or_hovering_a_delta_lights_the_roads_into_its_h(page: Page) -> None:
    roads = page.evaluate(ROADS_JS, ROOT)
    assert len(roads) == 5 and not any(lit for _, _, lit in roads.values())
    field(page, "W_hh:1,1").focus()
    for t in (1, 2, 3):  # by keyboard: Tab reaches δ_1, δ_2, δ_3 in turn
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.dataset.delta || ''") == str(t):
                break
        else:
            raise AssertionError(f"Tab never reached δ_{t}")
        lit = {key for key, (_, _, on) in page.evaluate(ROADS_JS, ROOT).items() if on}
        assert lit == ({f"o:{t}", f"z:{t}"} if t < 3 else {"o:3"}), (t, lit)
        outline = page.locator(f'{ROOT} [data-delta="{t}"] .gx-focus >> visible=true')
        assert outline.evaluate("(el) => getComputedStyle(el).strokeWidth") == "2px"
        assert ring_problem(focus_ring(page), f"δ_{t}") is None  # the site's focus-ring rule
    page.keyboard.press("Shift+Tab")
    lit = {key for key, (_, _, on) in page.evaluate(ROADS_JS, ROOT).items() if on}
    assert lit == {"o:2", "z:2"}
    page.locator(f"{ROOT} .gx-figure figcaption").click()  # focus leaves the graph
    page.hover(f'{ROOT} [data-delta="1"] >> visible=true')  # the graph on screen
    lit = {key for key, (_, _, on) in page.evaluate(ROADS_JS, ROOT).items() if on}
    assert lit == {"o:1", "z:1"}
    page.mouse.move(0, 0)
    assert not any(on for _, _, on in page.evaluate(ROADS_JS, ROOT).values())


def test_the_graph_follows_every_edit(page: Page) -> None:
    """The roads' widths change at once with a weight: with W_hh = 0 the roads from z_{t+1}
    carry nothing and are drawn at the thinnest width."""
    before = page.evaluate(ROADS_JS, ROOT)
    for key in ("W_hh:0,0", "W_hh:0,1", "W_hh:1,0", "W_hh:1,1"):
        field(page, key).fill("0")
    after = page.evaluate(ROADS_JS, ROOT)
    assert after["z:1"][:2] == after["z:2"][:2] == [0, 1], after
    assert before["z:2"][1] > 1.5
    assert mismatches(page) == []


def test_a_class_is_the_one_scored(page: Page) -> None:
    """ "What to try": with c_3 = 0 the loss falls, as ŷ_3 already favours class 0."""
    field(page, "c:3").fill("0")
    assert shown(page)["loss"] == "1.408"
    assert mismatches(page) == []


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_classifier_fits_the_screen_in_both_themes(
    browser: Browser, site: Site, screenshot_dir: Path, width: int, scheme: str
) -> None:
    page, recorder = open_explorer(browser, site.url + "explorer/", LIVE, width, scheme)
    try:
        assert math_problems(page) == []
        assert page.evaluate(OVERFLOW_JS, width) == []
        shot = f"explorer-classifier-{width}-{scheme}"
        page.mouse.move(0, 0)
        wait_for_layout(page)
        page.locator(ROOT).screenshot(path=screenshot_dir / f"{shot}.png")
        graph = page.locator(f"{ROOT} [data-graph]")
        graph.screenshot(path=screenshot_dir / f"{shot}-graph.png")
        # the numbers on the picture are at least 11 px on screen, at both widths; at 390 px it
        # is the tall one, which does not scroll sideways, and all its text is 11 px or more
        layout, count, scrolls, number_px, text_px = graph_legibility(graph)
        assert (layout, count, number_px >= 11) == ("wide" if width > 600 else "tall", 36, True)
        if width == 390:
            assert not scrolls and text_px >= 11, (scrolls, text_px)
        button = page.locator(f"{ROOT} [data-action=step]")
        button.scroll_into_view_if_needed()
        button.click()
        result = page.locator(f"{ROOT} [data-step-result]").bounding_box()
        assert 0 <= result["y"] and result["y"] + result["height"] <= 900, result
        assert shown(page)["loss-after"] == "1.580"
        assert page.evaluate(OVERFLOW_JS, width) == []
        page.mouse.move(0, 0)
        page.screenshot(path=screenshot_dir / f"{shot}-step.png")
        assert recorder.take() == []
    finally:
        page.context.close()


def test_two_steps_from_the_seed_are_the_page_s(page: Page) -> None:
    """ "What to try": L falls from 3.2087 to 1.5799, then to 1.2722 (η = 0.1)."""
    page.click(f"{ROOT} [data-action=step]")
    assert (shown(page)["loss-before"], shown(page)["loss-after"]) == ("3.209", "1.580")
    page.click(f"{ROOT} [data-action=step]")
    assert (shown(page)["loss-before"], shown(page)["loss-after"]) == ("1.580", "1.272")
    assert mismatches(page) == []
