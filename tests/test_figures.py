"""The site's plots: every docs/_figures module draws a Figure, and its data() is checked here.

Each figure module needs an entry in CHECKS, a test that recomputes or bounds the numbers it
plots by an independent route (finite differences, the literal double sum, per-chunk runs).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from rnn_derivatives import (
    forward,
    hidden_jacobian,
    loss_and_grads,
    numerical_grads,
    relative_error,
    scaled_network,
    w_hh_grad_terms,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_hook():
    spec = importlib.util.spec_from_file_location("figures_hook", DOCS / "_hooks" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = load_hook()
MODULES = hook.figure_modules(DOCS)


def fd_jacobian_norm(params, xs, t, k, eps=1e-6):
    """‖∂h_t/∂h_k‖₂ with the Jacobian from central differences of the forward pass."""
    h_k = forward(params, xs).h[k]
    columns = []
    for j in range(params.n_hidden):
        step = np.eye(params.n_hidden)[j] * eps
        plus, minus = (forward(params, xs[k:t], h0=h_k + d).h[-1] for d in (step, -step))
        columns.append((plus - minus) / (2 * eps))
    return np.linalg.norm(np.stack(columns, axis=1), 2)


def check_jacobian_decay(module):
    d = module.data()
    T = module.T
    assert d["norms"].shape == d["bounds"].shape == (len(d["scales"]), T + 1)
    np.testing.assert_array_equal(d["lags"], np.arange(T + 1))
    np.testing.assert_allclose(d["norms"][:, 0], 1.0, rtol=1e-14)
    np.testing.assert_allclose(d["bounds"], d["scales"][:, None] ** d["lags"], rtol=1e-14)
    assert np.all(d["norms"] <= d["bounds"] * (1 + 1e-12))  # σ_max(s Q) = s
    for i, s in enumerate(d["scales"]):
        params, xs = scaled_network(s, n_steps=T)
        for lag in (1, 5, 12):
            if d["norms"][i, lag] > 1e-3:  # below that, differences drown in rounding
                expected = fd_jacobian_norm(params, xs, T, T - lag)
                assert d["norms"][i, lag] == pytest.approx(expected, rel=1e-6)
    by_scale = dict(zip(d["scales"], d["norms"][:, -1], strict=True))
    assert by_scale[0.5] < 1e-15 and by_scale[0.9] < 1e-6  # σ_max < 1: vanishing
    assert by_scale[3.0] > 10  # large W_hh: the norm grows despite tanh's saturation


def check_w_hh_terms(module):
    d = module.data()
    T = module.T
    assert d["term_norms"].shape == (len(d["scales"]), T - 1)
    np.testing.assert_array_equal(d["lags"], np.arange(T - 1))
    for i, s in enumerate(d["scales"]):
        params, xs = scaled_network(s, n_steps=T)
        y = np.zeros(params.n_out)
        cache = forward(params, xs)
        terms = w_hh_grad_terms(params, xs, y, loss="squared_last")
        assert np.all(terms[0] == 0.0)  # k = 1, left out of the figure
        _, grads = loss_and_grads(params, xs, y, loss="squared_last")
        np.testing.assert_allclose(terms.sum(axis=0), grads.W_hh, rtol=1e-10, atol=1e-14)
        dL_dhT = (cache.o[-1] - y) @ params.W_hy
        for lag in (0, 3, 20):  # the double-sum term, with ∂h_T/∂h_k from explicit Jacobians
            k = T - lag
            delta = (dL_dhT @ hidden_jacobian(params, cache, T, k)) * (1 - cache.h[k] ** 2)
            expected = np.linalg.norm(np.outer(delta, cache.h[k - 1]))
            assert d["term_norms"][i, lag] == pytest.approx(expected, rel=1e-10)


def check_truncation_error(module):
    d = module.data()
    T = module.T
    np.testing.assert_array_equal(d["K"], np.arange(1, T))
    params, xs, targets = module.problem()
    _, full = loss_and_grads(params, xs, targets)
    assert relative_error(full, numerical_grads(params, xs, targets)) < 1e-7
    for K in (1, 7):
        _, literal = loss_and_grads(params, xs, targets, truncate=K, method="double_sum")
        assert d["per_output"][K - 1] == pytest.approx(relative_error(literal, full), rel=1e-8)
        h = forward(params, xs).h  # chunk by chunk, each from the full forward pass's state
        parts = [
            loss_and_grads(params, xs[s : s + K], targets[s : s + K], h0=h[s])[1]
            for s in range(0, T, K)
        ]
        chunked = type(full)(**{n: sum(getattr(p, n) for p in parts) for n, _ in full.items()})
        assert d["chunked"][K - 1] == pytest.approx(relative_error(chunked, full), rel=1e-8)
    assert d["per_output"][0] == pytest.approx(d["chunked"][0], rel=1e-12)  # K = 1: same terms
    assert np.all(np.diff(d["per_output"]) < 0)  # each extra step of history helps
    assert d["per_output"][29] < 1e-6 and d["chunked"].min() > 1e-2


def check_training_loss(module):
    d = module.data()
    np.testing.assert_array_equal(d["steps"], np.arange(1, module.STEPS + 1))
    assert d["losses"].shape == (module.STEPS,) and np.all(np.isfinite(d["losses"]))
    assert d["chance"] == pytest.approx(np.log(4), rel=1e-15)
    assert d["losses"][0] > d["chance"]
    assert d["losses"][-1] < d["chance"] / 100
    assert d["accuracy"] >= 0.99


def check_benchmark_scaling(module):
    """A stored measurement (benchmarks/results.json): check the figure plots it faithfully and
    that it shows what the page says, O(T²) against O(T)."""
    d = module.data()
    T, seconds = d["T"], d["seconds"]
    assert T[0] == 1 and np.all(np.diff(T) > 0) and T[-1] >= 200
    for method in ("recursive", "double_sum"):
        t = seconds[method]
        assert t.shape == T.shape and np.all(t > 0), method
        slope = np.polyfit(np.log(T[T >= 10]), np.log(t[T >= 10]), 1)[0]
        assert d["loglog_slope"][method] == pytest.approx(slope, rel=1e-12), method
        assert np.all(np.abs(d["fitted"][method] / t - 1) < 0.25), method  # the fit follows
    assert 0.8 <= d["exponent"]["recursive"] <= 1.2
    assert 1.7 <= d["exponent"]["double_sum"] <= 2.1
    assert np.all(seconds["double_sum"][T >= 10] > seconds["recursive"][T >= 10])


CHECKS = {
    "benchmark_scaling": check_benchmark_scaling,
    "jacobian_decay": check_jacobian_decay,
    "w_hh_terms": check_w_hh_terms,
    "truncation_error": check_truncation_error,
    "training_loss": check_training_loss,
}


def test_every_figure_module_has_a_data_check():
    assert set(MODULES) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_figure_data(name):
    CHECKS[name](MODULES[name])


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_figure_renders_as_a_transparent_svg_with_text_as_paths(name):
    module = MODULES[name]
    assert isinstance(module.figure(), Figure)
    svg = hook.render_svg(module)  # draws figure() again, in the site's style
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "<text" not in svg  # text drawn as paths: no font needed
    assert "#ffffff" not in svg.lower()  # no white background on the dark theme
    assert hook.render_svg(module) == svg  # same numbers, same bytes


def test_mkdocs_runs_the_hook_and_it_adds_one_svg_per_figure_module(monkeypatch, tmp_path):
    config = load_config(str(DOCS.parent / "mkdocs.yml"))
    registered = config.plugins["docs/_hooks/figures.py"]  # the hook as mkdocs.yml loads it
    monkeypatch.setattr(registered, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(registered, "render_svg", lambda module: f"<svg>{module.__name__}</svg>")
    files = config.plugins.on_files(Files([]), config=config)
    svgs = {f.src_uri: f.content_string for f in files if f.src_uri.startswith("figures/")}
    assert set(svgs) == {f"figures/{name}.svg" for name in CHECKS}
    assert svgs["figures/training_loss.svg"].endswith("training_loss</svg>")


def test_figure_modules_skip_private_names(tmp_path):
    folder = tmp_path / "_figures"
    folder.mkdir()
    (folder / "_helpers.py").write_text("raise RuntimeError('must not be imported')\n")
    (folder / "demo.py").write_text("def data():\n    return {}\n")
    assert list(hook.figure_modules(tmp_path)) == ["demo"]


def test_figures_are_redrawn_only_when_an_input_changes(monkeypatch, tmp_path):
    folder = tmp_path / "_figures"
    folder.mkdir()
    (folder / "demo.py").write_text("def figure():\n    return None\n")
    (folder / "_helpers.py").write_text("SCALE = 1\n")
    drawn = []
    monkeypatch.setattr(hook, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(hook, "render_svg", lambda module: drawn.append(1) or f"<svg>{len(drawn)}")

    def svg() -> str:
        return hook.cached_svg("demo", hook.figure_modules(tmp_path)["demo"])

    assert svg() == svg() == "<svg>1"  # drawn once, then read from the cache
    (folder / "_helpers.py").write_text("SCALE = 2\n")
    assert svg() == "<svg>2"  # a helper changed
    (folder / "demo.py").write_text("def figure():\n    return 1\n")
    assert svg() == "<svg>3"  # the figure module changed
    monkeypatch.setattr(hook, "PACKAGE", folder)  # stands in for the package's source
    assert svg() == "<svg>4"
    assert svg() == "<svg>4"
    assert [p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()] == ["demo"]
