"""The site's plots: every docs/_figures module draws a Figure, and its data() is checked here.

Each figure module needs an entry in CHECKS, a test that recomputes or bounds the numbers it
plots by an independent route (finite differences, the literal double sum, per-chunk runs).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from load_module import load_module
from matplotlib.figure import Figure
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from package_helpers import fd_hidden_jacobian

from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RNNParams,
    forward,
    hidden_jacobian,
    immediate_jacobians,
    loss_and_grads,
    numerical_grads,
    relative_error,
    scaled_network,
    softmax,
    step_forward,
    w_hh_grad_terms,
)
from rnn_derivatives.sequence import backward as sequence_backward

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_hook():
    return load_module(DOCS / "_hooks" / "figures.py", "figures_hook")


hook = load_hook()
MODULES = hook.figure_modules(DOCS)


def fd_jacobian_norm(params, xs, t, k):
    """‖∂h_t/∂h_k‖₂ with the Jacobian from central differences of the forward pass."""
    return np.linalg.norm(fd_hidden_jacobian(params, xs, t, k), 2)


def check_jacobian_decay(module):
    d = module.data()
    T = module.T
    assert d["norms"].shape == d["bounds"].shape == (len(d["scales"]), T + 1)
    np.testing.assert_array_equal(d["lags"], np.arange(T + 1))
    np.testing.assert_allclose(d["norms"][:, 0], 1.0, rtol=1e-14)
    np.testing.assert_allclose(d["bounds"], d["scales"][:, None] ** d["lags"], rtol=1e-14)
    assert np.all(d["norms"] <= d["bounds"] * (1 + 1e-12))  # ‖s Q‖₂ = s
    for i, s in enumerate(d["scales"]):
        params, xs = scaled_network(s, n_steps=T)
        for lag in (1, 5, 12):
            if d["norms"][i, lag] > 1e-3:  # below that, differences drown in rounding
                expected = fd_jacobian_norm(params, xs, T, T - lag)
                assert d["norms"][i, lag] == pytest.approx(expected, rel=1e-6)
    by_scale = dict(zip(d["scales"], d["norms"][:, -1], strict=True))
    assert by_scale[0.5] < 1e-15 and by_scale[0.9] < 1e-6  # ‖W_hh‖₂ < 1: vanishing
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
    # the page's alt text: per output 0.39 to 5e-10 (nearly nine orders of magnitude); chunked
    # 0.39 at K = 1, then between 0.03 and 0.2 from K = 7 on
    assert round(d["per_output"][0], 2) == 0.39 and round(d["chunked"][0], 2) == 0.39
    assert f"{d['per_output'][-1]:.0e}" == "5e-10"
    assert 8.5 < np.log10(d["per_output"][0] / d["per_output"][-1]) < 9
    assert np.all((d["chunked"][6:] > 0.03) & (d["chunked"][6:] < 0.2))
    assert d["chunked"][5] > 0.2  # K = 6: not yet


def check_training_loss(module):
    d = module.data()
    np.testing.assert_array_equal(d["steps"], np.arange(1, module.STEPS + 1))
    assert d["losses"].shape == (module.STEPS,) and np.all(np.isfinite(d["losses"]))
    assert d["chance"] == pytest.approx(np.log(4), rel=1e-15)
    assert d["losses"][0] > d["chance"]
    assert d["losses"][-1] < d["chance"] / 100
    assert d["accuracy"] >= 0.99


def check_clipping_cliff(module):
    """The cliff: a wall that falls from the start's loss to almost 0 within Δ < 10⁻⁵, a valley,
    a second wall; the unclipped step lands above the start, the clipped one in the valley."""
    d = module.data()
    s, losses, loss, norm = d["lengths"], d["losses"], d["loss"], d["norm"]
    assert s.shape == losses.shape == (661,) and np.all(np.diff(s) > 0)
    assert loss == pytest.approx(1.9048, abs=1e-4) and norm == pytest.approx(7498.1, abs=0.1)
    assert np.all(losses[s <= 1e-7] > 0.99 * loss)  # the plateau the start sits on
    valley = (s >= 1e-5) & (s <= 0.1)
    assert np.all(losses[valley] < 0.0021)  # beyond the wall, within 10⁻⁵
    assert np.all(losses[s >= 1.0] > loss)  # beyond the second wall
    (long_s, long_loss), (short_s, short_loss) = d["steps"]["unclipped"], d["steps"]["clipped"]
    assert long_s == pytest.approx(module.LR * norm, rel=1e-12) and long_loss > loss
    assert short_s == pytest.approx(module.LR * module.TAU, rel=1e-12) and short_loss < 0.002
    params, xs, _ = module.problem()
    h = forward(params, xs).h[:, 0, 0]  # the first sequence's h_t, t = 0..T (the docstring)
    assert np.all(np.abs(h[1:15]) < 0.1) and abs(h[15]) >= 0.1 and round(h[17], 2) == -0.56


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


def check_benchmark_versus_torch(module):
    """A stored measurement: every bar is the median time results.json holds for its row."""
    d = module.data()
    rows = json.loads(module.RESULTS.read_text(encoding="utf-8"))["versus_torch"]
    for dtype in module.DTYPES:
        mine = [r for r in rows if r["dtype"] == dtype]
        assert [r["H"] for r in mine] == list(d["H"][dtype]), dtype
        assert np.all(np.diff(d["H"][dtype]) > 0), dtype  # sizes left to right
        for program in module.PROGRAMS:
            bars = d["ms"][dtype][program]
            expected = [1e3 * r["seconds"][program] for r in mine]
            np.testing.assert_allclose(bars, expected, rtol=1e-15)
            assert np.all(bars > 0), (dtype, program)


def check_long_lag_gradients(module):
    """∂L_T/∂h_k by an independent route: for the vanilla RNNs, G_T (∂h_T/∂h_k) with the
    Jacobian chain of `hidden_jacobian`; for the gated cells, k = 0 by central differences of
    L_T in h_0. Then what the page says the figure shows."""
    from rnn_derivatives import outputs, softmax

    d = module.data()
    nets, xs, targets = module.problem()
    T = module.DELAY + 1
    assert d["norms"].shape == (len(module.LABELS), T + 1)
    np.testing.assert_array_equal(d["lags"], np.arange(T + 1))
    for i, params in enumerate(nets):
        per_sequence = []
        for b in (0, 1):  # two sequences are enough to tie the numbers to the definition
            x, y = xs[:, b], targets[-1, b]

            def last_loss(h0, params=params, x=x, y=y):
                return -np.log(softmax(outputs(params, x, h0=h0)[-1])[y])

            h0 = np.zeros(params.n_hidden)
            if i < 2:  # vanilla: every lag
                cache = forward(params, x)
                g_T = (softmax(cache.o[-1]) - np.eye(params.n_out)[y]) @ params.W_hy
                per_sequence.append(
                    [
                        np.linalg.norm(g_T @ hidden_jacobian(params, cache, T, T - lag))
                        for lag in range(T + 1)
                    ]
                )
            else:
                fd = [
                    (last_loss(h0 + 1e-6 * e) - last_loss(h0 - 1e-6 * e)) / 2e-6
                    for e in np.eye(params.n_hidden)
                ]
                per_sequence.append(np.linalg.norm(fd))
        grads = module.hidden_grads(
            params, xs[:, :2], module.last_step_upstream(params, xs[:, :2], targets[:, :2])
        )
        ours = np.linalg.norm(grads, axis=2)[::-1]  # (T + 1, 2), index T − k
        if i < 2:
            np.testing.assert_allclose(ours.T, per_sequence, rtol=1e-9)
        else:
            np.testing.assert_allclose(ours[-1], per_sequence, rtol=1e-6, atol=1e-9)
    by_label = dict(zip(module.LABELS, d["norms"], strict=True))
    # what the page says
    assert by_label["vanilla RNN"][-1] > 10 * by_label["vanilla RNN"][0]  # grows
    assert by_label["vanilla RNN, scale 0.1"][-1] < 1e-10  # vanishes
    assert by_label["LSTM, b_f = 0"][-1] < 1e-3 * by_label["LSTM, b_f = 1"][-1]
    assert by_label["LSTM, b_f = 1"][-1] > by_label["GRU"][-1] > 1e-3


def load_benchmark(name):
    """A script of benchmarks/ as a module (they are not part of the package)."""
    return load_module(DOCS.parent / "benchmarks" / f"{name}.py", name)


def check_long_lag_training(module):
    """A stored run (benchmarks/long_lags.json): the figure plots it, and re-running the first
    block of updates of some runs reproduces the stored losses."""
    from rnn_derivatives import RecallTask, train

    d = module.data()
    results = module.stored()
    script = load_benchmark("long_lags")
    settings = results["settings"]
    assert settings["steps"] == script.STEPS and settings["block"] == script.BLOCK
    runs = results["runs"]
    assert len(runs) == len(script.DELAYS) * len(script.SEEDS) * len(script.CELLS) + len(
        script.EXTRA
    )
    np.testing.assert_array_equal(d["delays"], script.DELAYS)
    np.testing.assert_array_equal(d["seeds"], script.SEEDS)
    assert set(d["curves"]) == {(c, delay) for c in script.CELLS for delay in script.DELAYS}
    for (cell, delay), curves in d["curves"].items():
        assert curves.shape == (len(script.SEEDS), script.STEPS // script.BLOCK)
        for seed, curve in zip(script.SEEDS, curves, strict=True):
            (run,) = [
                r
                for r in runs
                if (r["cell"], r["delay"], r["seed"], r["extra"]) == (cell, delay, seed, False)
            ]
            np.testing.assert_array_equal(curve, run["block_means"])
    rerun = [r for r in runs if r["delay"] == 10 and r["seed"] == 0] + [runs[-1]]
    for run in rerun:
        task = RecallTask(delay=run["delay"])
        bias = script.FORGET_BIAS if run["forget_bias"] is None else run["forget_bias"]
        params = script.start(run["cell"], task, run["seed"], bias)
        losses = train(task, params, steps=script.BLOCK, seed=run["seed"]).losses
        np.testing.assert_allclose(losses[: script.HEAD], run["head"], rtol=1e-10)
        assert run["block_means"][0] == pytest.approx(losses.mean(), rel=1e-10)


def check_gradcheck_v_curve(module):
    d = module.data()
    eps, e64, e32 = d["eps"], d["float64"], d["float32"]
    assert eps.shape == e64.shape == e32.shape and np.all(np.diff(eps) < 0)
    params, xs, targets = module.problem()
    _, grads = loss_and_grads(params, xs, targets)
    for i in (0, 16):  # ε = 1e-1 and 1e-5: the literal central difference, entry by entry
        step, literal = eps[i], {}
        for name, value in params.items():
            grad = np.zeros_like(value)
            for index in np.ndindex(value.shape):
                losses = []
                for sign in (1, -1):
                    moved = value.copy()
                    moved[index] += sign * step
                    shifted = type(params)(**{**dict(params.items()), name: moved})
                    losses.append(loss_and_grads(shifted, xs, targets)[0])
                grad[index] = (losses[0] - losses[1]) / (2 * step)
            literal[name] = grad
        assert e64[i] == pytest.approx(relative_error(type(params)(**literal), grads), rel=1e-3)
    slopes = {}
    for name, errors in (("float64", e64), ("float32", e32)):
        best = int(np.argmin(errors))
        assert 0 < best < len(eps) - 1  # the minimum is inside the range: a V
        log_e, log_err = np.log10(eps), np.log10(errors)
        right = np.polyfit(log_e[: best - 2], log_err[: best - 2], 1)[0]  # larger ε
        slopes[name] = right
        assert right == pytest.approx(2, abs=0.15)  # truncation ∝ ε²
        left = slice(best + 3, None) if name == "float64" else slice(best + 3, best + 12)
        assert np.polyfit(log_e[left], log_err[left], 1)[0] == pytest.approx(-1, abs=0.25)
    assert np.argmin(e32) < np.argmin(e64)  # float32's best step is larger …
    assert e32.min() > 1e4 * e64.min()  # … and its best error far higher
    assert np.all(e32[eps <= 1e-10] == 1)  # every float32 difference zero: error exactly 1


def check_real_text_curves(module):
    """A stored run (benchmarks/char_model.json): every line is the block means of the stored
    training losses, every marker a stored validation loss, and the curves fall from log V."""
    from rnn_derivatives import Vocabulary

    d = module.data()
    results = module.stored()
    script = load_benchmark("char_model")
    text = script.DATA.read_text(encoding="utf-8")
    assert d["chance"] == pytest.approx(np.log(Vocabulary.from_text(text).size), rel=1e-15)
    assert d["updates"][-1] == script.STEPS and script.STEPS % module.BLOCK == 0
    np.testing.assert_array_equal(d["checkpoints"], script.CHECKPOINTS)
    assert set(d["train"]) == set(d["valid"]) == set(module.CELLS) == set(script.CELLS)
    for run in results["runs"]:
        cell, stored = run["cell"], run["package"]
        losses = np.array(stored["losses"])
        blocks = [losses[i : i + module.BLOCK].mean() for i in range(0, len(losses), module.BLOCK)]
        np.testing.assert_allclose(d["train"][cell], blocks, rtol=1e-12)
        valid = [c["valid_loss"] for c in stored["checkpoints"]]
        np.testing.assert_array_equal(d["valid"][cell], valid)
        assert losses[0] == pytest.approx(d["chance"], rel=0.01)  # a uniform guess at first
        assert d["train"][cell][-1] < d["train"][cell][0] < d["chance"]
        assert np.all(np.diff(d["valid"][cell]) < 0) and d["valid"][cell][0] < d["chance"]


def fd_answer_grad_norm(params, xs, targets, names, k):
    """Mean over the batch of ‖∂L_T/∂h_k‖ by central differences of the path-cut model whose
    step t keeps the routes ``names[t - 1]`` (L_T = −log softmax(o_T)[y], per sequence)."""
    from path_cut_model import ROUTES, states

    B = xs.shape[1]
    zeros = np.zeros((B, params.n_hidden))
    keep = [ROUTES[type(params)] if n == "full" else (n,) for n in names]
    hs, cs = states(params, xs, zeros, zeros, keep)
    frozen = {"W_h": hs, "skip": hs, "cell": cs}

    def answer_losses(e):
        """Each sequence's L_T with e added to h_k."""
        h0, offset = (e, None) if k == 0 else (zeros, (k, e))
        h_T = states(params, xs, h0, zeros, keep, frozen, offset)[0][-1]
        p = softmax(h_T @ params.W_hy.T + params.b_y)
        return -np.log(p[np.arange(B), targets[-1]])

    grad, eps = np.zeros_like(zeros), 1e-6
    for j in range(zeros.shape[1]):  # the sequences are independent: one column for all
        e = np.zeros_like(zeros)
        e[:, j] = eps
        grad[:, j] = (answer_losses(e) - answer_losses(-e)) / (2 * eps)
    return np.linalg.norm(grad, axis=1).mean()


def check_long_lag_paths(module):
    """Each route's curve from central differences of the path-cut model (tests/path_cut_model),
    at lags where the gradient stands above their rounding noise; "every path" is the curve
    of the gradient figure."""
    d = module.data()
    nets, xs, targets = module.problem()
    T = len(xs)
    assert list(d["lags"]) == list(range(T + 1))
    gradients = MODULES["long_lag_gradients"]
    whole = dict(zip(gradients.LABELS, gradients.data()["norms"], strict=True))
    np.testing.assert_array_equal(d["norms"]["LSTM"]["full"], whole["LSTM, b_f = 1"])
    np.testing.assert_array_equal(d["norms"]["GRU"]["full"], whole["GRU"])
    for name, params in nets.items():
        for route, curve in d["norms"][name].items():
            for lag in (2, 10, T):
                if curve[lag] < 1e-7:
                    continue
                if route == "cell":  # the cell path from c_T to c_{k+1}, then W_h into h_k
                    names = ["full"] * (T - lag) + ["W_h"] + ["cell"] * (lag - 1)
                else:
                    names = [route] * T
                expected = fd_answer_grad_norm(params, xs, targets, names, T - lag)
                assert curve[lag] == pytest.approx(expected, rel=1e-4), (name, route, lag)
    # what the page says: the pure paths carry a small part of what reaches h_0
    lstm, gru = d["norms"]["LSTM"], d["norms"]["GRU"]
    assert lstm["full"][-1] > 1e3 * lstm["cell"][-1] > 1e9 * lstm["W_h"][-1]
    assert gru["full"][-1] > 1e3 * gru["skip"][-1] > 1e9 * gru["W_h"][-1]


CHECKS = {
    "benchmark_scaling": check_benchmark_scaling,
    "benchmark_versus_torch": check_benchmark_versus_torch,
    "jacobian_decay": check_jacobian_decay,
    "w_hh_terms": check_w_hh_terms,
    "truncation_error": check_truncation_error,
    "training_loss": check_training_loss,
    "long_lag_gradients": check_long_lag_gradients,
    "long_lag_training": check_long_lag_training,
    "gradcheck_v_curve": check_gradcheck_v_curve,
    "real_text_curves": check_real_text_curves,
    "clipping_cliff": check_clipping_cliff,
    "long_lag_paths": check_long_lag_paths,
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
    monkeypatch.setattr(
        registered,
        "draw",
        lambda figures: {name: {"svg": f"<svg>{name}</svg>", "data": {}} for name in figures},
    )
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
    data = tmp_path / "data.json"
    data.write_text("[1]")
    drawn = []

    def draw(figures):
        drawn.append(sorted(figures))
        digest = hook.file_digest(data)
        return {
            name: {"svg": f"<svg>{len(drawn)}", "data": {str(data): digest}} for name in figures
        }

    monkeypatch.setattr(hook, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(hook, "draw", draw)

    def svg() -> str:
        return hook.figure_svgs(tmp_path)["demo"]

    assert svg() == svg() == "<svg>1"  # drawn once, then read from the cache
    (folder / "_helpers.py").write_text("SCALE = 2\n")
    assert svg() == "<svg>2"  # a helper changed
    (folder / "demo.py").write_text("def figure():\n    return 1\n")
    assert svg() == "<svg>3"  # the figure module changed
    data.write_text("[2]")
    assert svg() == "<svg>4"  # a data file it read changed
    source = tmp_path / "src"
    (source / hook.PACKAGE).mkdir(parents=True)
    (source / hook.PACKAGE / "__init__.py").write_text("VALUE = 1\n")
    monkeypatch.setattr(hook, "SOURCE", source)  # stands in for the package's source
    assert svg() == "<svg>5"
    assert svg() == "<svg>5"
    assert [p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()] == ["demo"]
    assert drawn == [["demo"]] * 5


def test_a_figure_whose_sources_change_while_it_is_drawn_is_not_cached(
    monkeypatch, tmp_path, caplog
):
    folder = tmp_path / "_figures"
    folder.mkdir()
    (folder / "demo.py").write_text("VALUE = 1\n")
    drawn = []

    def draw(figures):  # the author saves the module while it is being drawn
        drawn.append(1)
        (folder / "demo.py").write_text(f"VALUE = {len(drawn) + 1}\n")
        return {name: {"svg": "<svg>old</svg>", "data": {}} for name in figures}

    monkeypatch.setattr(hook, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(hook, "draw", draw)
    with caplog.at_level("WARNING", logger="mkdocs"):
        assert hook.figure_svgs(tmp_path) == {"demo": "<svg>old</svg>"}
    assert "demo: its sources changed while it was drawn" in caplog.text
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_figures_are_drawn_by_the_package_source_that_was_hashed(monkeypatch, tmp_path):
    """The figure imports ``rnn_derivatives`` from the hashed source folder, in a fresh
    interpreter, though this process imported another ``rnn_derivatives`` long ago."""
    import rnn_derivatives

    source = tmp_path / "src"
    package = source / hook.PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n")
    folder = tmp_path / "_figures"
    folder.mkdir()
    (folder / "demo.py").write_text(
        "from matplotlib.figure import Figure\n"
        "import rnn_derivatives\n\n"
        "def figure():\n"
        "    fig = Figure()\n"
        "    fig.add_subplot().set_gid(f'value-{rnn_derivatives.VALUE}')\n"
        "    return fig\n"
    )
    monkeypatch.setattr(hook, "SOURCE", source)
    monkeypatch.setattr(hook, "CACHE_DIR", tmp_path / "cache")
    assert not hasattr(rnn_derivatives, "VALUE")  # not the package this process imported
    assert 'id="value-1"' in hook.figure_svgs(tmp_path)["demo"]
    (package / "__init__.py").write_text("VALUE = 2\n")
    assert 'id="value-2"' in hook.figure_svgs(tmp_path)["demo"]
    (package / "__init__.py").write_text("VALUE = 1\n")
    assert 'id="value-1"' in hook.figure_svgs(tmp_path)["demo"]


# --- diagrams drawn as inline SVG (docs/_diagrams, the hook docs/_hooks/diagrams.py) -------


diagrams_hook = load_module(DOCS / "_hooks" / "diagrams.py", "diagrams_hook")
gradient_paths = diagrams_hook.diagram_module(DOCS, "gradient_paths")
unrolled = diagrams_hook.diagram_module(DOCS, "unrolled")
two_roads = diagrams_hook.diagram_module(DOCS, "two_roads")


def edges_of(svg_html: str, cls: str = "edge") -> list[str]:
    """``data-edge`` of every ``<g>`` whose class is exactly ``cls``, in document order."""
    return re.findall(rf'<g class="{cls}" data-edge="([^"]+)"', svg_html.replace("&gt;", ">"))


def test_the_hook_replaces_every_diagram_marker_and_rejects_unknown_names():
    page = "Before\n\n<!-- diagram: two_roads -->\n\nAfter <!-- diagram: two_roads --> inline\n"
    out = diagrams_hook.render(page, DOCS)
    assert out.count("<svg") == 1 and "<!-- diagram: two_roads -->\n\nAfter" not in out
    assert "After <!-- diagram: two_roads --> inline" in out  # only whole lines are markers
    with pytest.raises(diagrams_hook.PluginError, match="no_such"):
        diagrams_hook.render("<!-- diagram: no_such -->", DOCS)
    for page_name, name in [("index.md", "unrolled"), ("four-steps.md", "gradient_paths")]:
        assert f"<!-- diagram: {name} -->" in (DOCS / page_name).read_text()
    assert "<!-- diagram: two_roads -->" in (DOCS / "matrix-form.md").read_text()


def test_gradient_paths_are_the_terms_of_the_double_sum():
    T = gradient_paths.T
    assert T == 4
    terms = gradient_paths.terms()
    assert sorted(terms) == [(t, k) for t in range(1, T + 1) for k in range(1, t + 1)]
    assert len(terms) == T * (T + 1) // 2 == 10
    assert gradient_paths.path_edges(3, 1) == [
        "x_1>h_1",
        "h_1>h_2",
        "h_2>h_3",
        "h_3>o_3",
        "o_3>L_3",
    ]
    assert gradient_paths.formula(3, 1).endswith("J_3 J_2 P_1")
    assert gradient_paths.words(2, 1) == "x₁ → h₁ → h₂ → o₂ → L₂"
    with pytest.raises(ValueError, match="k <= t"):
        gradient_paths.path_edges(2, 3)


def test_each_path_multiplies_the_factors_of_its_term():
    """Multiply one factor per edge of a path (x_k>h_k: P_k, h_j>h_j+1: J_j+1, h_t>o_t>L_t:
    ∂L_t/∂h_t) and get the page's term ∂L_t/∂h_t · ∂h_t/∂h_k · P_k; the ten terms sum to the
    package's ∂L/∂W_xh."""
    D, H, O, T = 3, 4, 3, gradient_paths.T
    params = RNNParams.random(D, H, O, seed=0, scale=0.5)
    rng = np.random.default_rng(1)
    xs, targets = rng.normal(size=(T, D)), rng.integers(0, O, size=T)
    cache = forward(params, xs)
    dL_dh = (softmax(cache.o) - np.eye(O)[targets]) @ params.W_hy  # row t - 1: ∂L_t/∂h_t
    total = np.zeros((H, D))
    for t, k in gradient_paths.terms():
        edges = gradient_paths.path_edges(t, k)
        assert edges[-2:] == [f"h_{t}>o_{t}", f"o_{t}>L_{t}"] and edges[0] == f"x_{k}>h_{k}"
        row = dL_dh[t - 1]
        for edge in reversed(edges[1:-2]):  # h_j>h_{j+1}, from h_t back to h_k
            j = int(edge.split(">")[1].split("_")[1])
            row = row @ ((1 - cache.h[j] ** 2)[:, None] * params.W_hh)  # · J_j
        by_edges = np.outer((1 - cache.h[k] ** 2) * row, xs[k - 1])  # · P_k
        P_k = immediate_jacobians(forward(params, xs[:, None, :]), k)["W_xh"][0]
        term = np.einsum("i,ij,jpq->pq", dL_dh[t - 1], hidden_jacobian(params, cache, t, k), P_k)
        np.testing.assert_allclose(by_edges, term, rtol=1e-12, atol=1e-15, err_msg=f"{t, k}")
        total += by_edges
    _, grads = loss_and_grads(params, xs, targets)
    np.testing.assert_allclose(total, grads.W_xh, rtol=1e-12)


def test_gradient_paths_html_draws_every_path_it_lists():
    html = gradient_paths.html()
    main = html[: html.index("</svg>")]
    every_edge = {f"{a}>{b}" for a, b in gradient_paths.edges()}
    assert set(edges_of(main)) == every_edge  # nothing lit before a reader selects a term
    buttons = re.findall(r'<button type="button" class="paths-term".*?</button>', html, re.S)
    assert len(buttons) == len(gradient_paths.terms())
    for button, (t, k) in zip(buttons, gradient_paths.terms(), strict=True):
        expected = gradient_paths.path_edges(t, k)
        assert f'data-term="{t},{k}"' in button
        listed = re.search(r'data-edges="([^"]+)"', button)[1].replace("&gt;", ">").split()
        assert listed == expected
        assert edges_of(button, "edge is-lit") == expected  # the static picture shows it
        assert set(edges_of(button)) == every_edge - set(expected)
        assert button.count("J_") == t - k  # one J per step along the chain
        assert gradient_paths.words(t, k) in button
    assert html.count('class="arithmatex"') == len(buttons) + gradient_paths.T
    assert "\n\n" not in html  # one raw HTML block: a blank line would end it


def test_home_figure_draws_z_and_the_two_roads_into_h():
    html = unrolled.html()
    forward_edges = edges_of(html)
    for t in range(1, unrolled.T + 1):
        for edge in (f"x_{t}>z_{t}", f"h_{t - 1}>z_{t}", f"z_{t}>h_{t}", f"h_{t}>o_{t}"):
            assert edge in forward_edges
    backward = edges_of(html, "edge-back")
    assert backward == ["o_2>h_2", "z_3>h_2"]  # from o_t, and from z_{t+1}
    for edge in backward:  # each runs against a forward arrow
        a, b = edge.split(">")
        assert f"{b}>{a}" in forward_edges
    assert [name for _, _, name in unrolled.backward_edges()] == ["W_{hy}^{⊤}", "W_{hh}^{⊤}"]
    assert 'role="img"' in html and "two roads" in unrolled.DESC
    assert "stroke-dasharray" in html  # not colour alone


def test_two_roads_figure_merges_into_delta_t():
    html = two_roads.html()
    backward = edges_of(html, "edge-back")
    assert backward == ["o_t>h_t", "z_{t+1}>h_t", "h_t>z_t"]
    forward_edges = edges_of(html)
    for edge in backward:
        a, b = edge.split(">")
        assert f"{b}>{a}" in forward_edges
    text = re.sub(r"<title.*?</desc>|<[^>]+>", "", html)  # what the picture shows
    for words in ("Why⊤ ∂Lt/∂ot", "Whh⊤ δt+1", "(1 − ht ⊙ ht) ⊙", "δt = ∂L/∂zt"):
        assert words in text


delta_merge = diagrams_hook.diagram_module(DOCS, "delta_merge")


def drawn_terms(spelled: str) -> list[tuple[int, int]]:
    return [tuple(int(i) for i in item.split(",")) for item in spelled.split()]


def test_delta_merge_groups_the_ten_paths_by_the_z_k_they_leave_from():
    """The merging picture lists each path of the four-steps page once, under the δ_k where it
    leaves for x_k; the arrow from δ_{k+1} carries exactly group k + 1's paths, one step
    longer; on a model, each group's terms sum to δ_k x_kᵀ, and the carried ones to
    (1 − h_k²) ⊙ W_hhᵀ δ_{k+1} times x_kᵀ."""
    from rnn_derivatives import deltas

    html = delta_merge.html()
    assert "<!-- diagram: delta_merge -->" in (DOCS / "matrix-form.md").read_text()
    T = gradient_paths.T
    groups = {
        int(k): drawn_terms(spelled)
        for k, spelled in re.findall(
            r'class="merge-group" data-delta="(\d)" data-terms="([^"]+)"', html
        )
    }
    assert sorted(groups) == list(range(1, T + 1))
    assert sorted(term for group in groups.values() for term in group) == sorted(
        gradient_paths.terms()
    )  # each path once
    arrows = dict(
        re.findall(r'<g class="edge-back" data-edge="([^"]+)" data-terms="([^"]+)"', html)
    )
    assert sorted(arrows) == sorted(
        [f"L_{k}&gt;δ_{k}" for k in range(1, T + 1)] + [f"δ_{k + 1}&gt;δ_{k}" for k in range(1, T)]
    )
    for k, group in groups.items():
        assert group == [(t, k) for t in range(k, T + 1)]
        assert all(gradient_paths.path_edges(t, kk)[0] == f"x_{k}>h_{k}" for t, kk in group)
        assert drawn_terms(arrows[f"L_{k}&gt;δ_{k}"]) == [(k, k)]  # ∂L_k/∂z_k: one path
        if k < T:
            from_next = drawn_terms(arrows[f"δ_{k + 1}&gt;δ_{k}"])
            assert from_next == group[1:]
            assert [(t, k + 1) for t, _ in from_next] == groups[k + 1]
            for t, _ in from_next:  # the same path, one step h_k > h_{k+1} longer
                longer, shorter = (
                    gradient_paths.path_edges(t, k),
                    gradient_paths.path_edges(t, k + 1),
                )
                assert longer[2:] == shorter[1:] and longer[1] == f"h_{k}>h_{k + 1}"
        drawn = html.split(f'data-delta="{k}"')[1].split("</g>")[0]
        lines = re.findall(r"<text [^>]*>(.*?)</text>", drawn)
        words = [re.sub(r"<[^>]+>", "", line) for line in lines]
        assert words == [f"L{t} → z{k}" for t in range(k, T + 1)] + [f"δ{k} x{k}⊤"]
    D, H, O = 3, 4, 3
    params = RNNParams.random(D, H, O, seed=0, scale=0.5)
    rng = np.random.default_rng(1)
    xs, targets = rng.normal(size=(T, D)), rng.integers(0, O, size=T)
    cache = forward(params, xs)
    dL_dh = (softmax(cache.o) - np.eye(O)[targets]) @ params.W_hy  # row t - 1: ∂L_t/∂h_t
    delta = deltas(params, xs, targets)
    for k, group in groups.items():
        slope = 1 - cache.h[k] ** 2
        r = {t: hidden_jacobian(params, cache, t, k).T @ dL_dh[t - 1] for t, _ in group}
        np.testing.assert_allclose(
            sum(np.outer(slope * r[t], xs[k - 1]) for t in r),
            np.outer(delta[k - 1], xs[k - 1]),
            rtol=1e-12,
            atol=1e-15,
        )
        from_next = params.W_hh.T @ delta[k] if k < T else np.zeros(H)
        carried = [t for t, _ in group[1:]]
        np.testing.assert_allclose(
            sum((slope * r[t] for t in carried), np.zeros(H)), slope * from_next, atol=1e-15
        )


first_path = diagrams_hook.diagram_module(DOCS, "first_path")


def test_first_path_lights_term_2_1_of_the_double_sum():
    """The picture that opens the four-steps page lights exactly path (2, 1) of the graph the
    path buttons use, and names the three weights the path runs through."""
    assert "<!-- diagram: first_path -->" in (DOCS / "four-steps.md").read_text()
    html = first_path.html()
    every_edge = {f"{a}>{b}" for a, b in gradient_paths.edges()}
    assert edges_of(html, "edge is-lit") == gradient_paths.path_edges(2, 1)
    assert set(edges_of(html)) == every_edge - set(gradient_paths.path_edges(2, 1))
    text = re.sub(r"<title.*?</desc>|<[^>]+>", "", html)
    for words in ("Wxh", "Whh", "Why", "x1", "h1", "h2", "o2", "L2"):
        assert words in text
    assert 'role="img"' in html and "x_1 to h_1 to h_2 to o_2 to L_2" in first_path.TITLE


# --- the gated cells, stacking and truncation diagrams (issue 20, item 5) ----------------

gru_cell = diagrams_hook.diagram_module(DOCS, "gru_cell")
lstm_cell = diagrams_hook.diagram_module(DOCS, "lstm_cell")
stacked_layers = diagrams_hook.diagram_module(DOCS, "stacked_layers")
truncation_pairs = diagrams_hook.diagram_module(DOCS, "truncation_pairs")


def run_drawn_cell(module, params, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Evaluate a cell diagram as the computation it draws: a weight box multiplies by its
    block (and adds the block's bias), σ and tanh nodes apply to the sum of what arrives, ⊙
    multiplies, + adds, 1− subtracts from one, a named node passes its one input on."""
    spots, routes = module.spots(), module.routes()
    sources: dict[str, list[str]] = {}
    for edge in routes:
        a, b = edge.split(">")
        sources.setdefault(b, []).append(a)
    bias_of = {"W_x": "b_x", "W_h": "b_h"} if hasattr(params, "b_x") else {"W_x": "b"}
    values = dict(inputs)

    def value(name: str) -> np.ndarray:
        if name in values:
            return values[name]
        spot, args = spots[name], [value(a) for a in sources[name]]
        if spot.kind == "box":
            weight, gate = re.fullmatch(r"W_\{(\w),(\w)\}", name).groups()
            stacked = f"W_{weight}"
            out = params.gate(stacked, gate) @ args[0]
            if stacked in bias_of:
                out = out + params.gate(bias_of[stacked], gate)
        elif spot.text == "σ":
            out = 1 / (1 + np.exp(-sum(args)))
        elif spot.text == "tanh":
            out = np.tanh(sum(args))
        elif spot.text == "⊙":
            out = args[0] * args[1]
        elif spot.text == "+":
            out = sum(args)
        elif spot.text == "1−":
            out = 1 - args[0]
        else:
            (out,) = args
        values[name] = out
        return out

    return {name: value(name) for name in spots if name not in inputs and name in sources}


def test_gru_diagram_computes_the_packages_step_reset_after():
    D, H, O = 3, 4, 2
    params = GRUParams.random(D, H, O, seed=3, scale=0.8)
    rng = np.random.default_rng(0)
    x, h_prev = rng.normal(size=D), rng.normal(size=H)
    # biases that are not zero, so their placement matters
    params = replace(params, b_x=rng.normal(size=3 * H), b_h=rng.normal(size=3 * H))
    drawn = run_drawn_cell(gru_cell, params, {"x_t": x, "h_{t−1}": h_prev})
    (h_t,), _ = step_forward(params, x[None], (h_prev[None],))
    np.testing.assert_allclose(drawn["h_t"], h_t[0], rtol=1e-14)
    routes = gru_cell.routes()
    assert "W_{h,n}>⊙r" in routes and "r>⊙r" in routes  # r_t scales W_{h,n} h_{t−1} + b_{h,n}
    assert "h_t>h next" in routes and "h_t>ŷ_t" in routes
    html = gru_cell.html()
    assert gru_cell.GATES == "".join(GRUParams.GATES) == "rzn"
    assert 'role="img"' in html and "reset" in gru_cell.TITLE and "1 − z_t" in gru_cell.DESC
    assert "\n\n" not in html


def test_lstm_diagram_computes_the_packages_step_in_gate_order():
    D, H, O = 3, 4, 2
    params = LSTMParams.random(D, H, O, seed=4, scale=0.8, forget_bias=1.0)
    rng = np.random.default_rng(1)
    params = replace(params, b=rng.normal(size=4 * H))
    x, h_prev, c_prev = rng.normal(size=D), rng.normal(size=H), rng.normal(size=H)
    drawn = run_drawn_cell(lstm_cell, params, {"x_t": x, "h_{t−1}": h_prev, "c_{t−1}": c_prev})
    (h_t, c_t), _ = step_forward(params, x[None], (h_prev[None], c_prev[None]))
    np.testing.assert_allclose(drawn["c_t"], c_t[0], rtol=1e-14)
    np.testing.assert_allclose(drawn["h_t"], h_t[0], rtol=1e-14)
    assert lstm_cell.GATES == "".join(LSTMParams.GATES) == "ifgo"
    xs_of_boxes = [s.x for k, s in lstm_cell.spots().items() if k.startswith("W_{h,")]
    assert xs_of_boxes == sorted(xs_of_boxes)  # drawn left to right in PyTorch's order
    routes = lstm_cell.routes()
    assert {"c_t>c next", "h_t>h next", "h_t>ŷ_t"} <= set(routes)


def test_lstm_backward_diagram_matches_the_step_jacobians_blocks():
    """The dashed paths from (h_t, c_t) back to (h_{t−1}, c_{t−1}) pass through exactly the
    W_h blocks of the page's four Jacobian blocks: none in the c_{t−1} column (diag(f_t) and
    diag(ω_t ⊙ f_t)), W_{h,i}, W_{h,f}, W_{h,g} in ∂c_t/∂h_{t−1}, all four in ∂h_t/∂h_{t−1}."""
    blocks = lstm_cell.jacobian_blocks()
    assert blocks["c_t", "c_{t−1}"] == blocks["h_t", "c_{t−1}"] == set()
    assert blocks["c_t", "h_{t−1}"] == {"W_{h,i}", "W_{h,f}", "W_{h,g}"}
    assert blocks["h_t", "h_{t−1}"] == {f"W_{{h,{g}}}" for g in "ifgo"}
    (cell_path,) = lstm_cell.backward_paths(lstm_cell.BACKWARD, "c_t", "c_{t−1}")
    assert cell_path == ["c_t", "+c", "⊙f", "c_{t−1}"]  # through f_t only
    html = lstm_cell.backward_html()
    back = edges_of(html, "edge-back")
    forward = set(edges_of(html))
    assert len(back) == len(lstm_cell.BACKWARD) + len(lstm_cell.INCOMING)
    assert {"c next>c_t", "h next>h_t", "ŷ_t>h_t"} <= set(back)  # where the gradient comes from
    for edge in back:  # each dashed arrow runs against a drawn forward one
        a, b = edge.split(">")
        assert f"{b}>{a}" in forward
    assert "stroke-dasharray" in html and "diag(f_t)" in lstm_cell.BACK_DESC
    assert not any(edge.startswith("W_{x") or edge.endswith("W_{x") for edge in back)


def test_stacked_layers_diagram_flows_back_along_both_axes():
    html = stacked_layers.html()
    T = stacked_layers.T
    forward_edges = edges_of(html)
    for t in range(1, T + 1):
        assert f"h_{t}^{{(1)}}>h_{t}^{{(2)}}" in forward_edges  # h^(1)_t is layer 2's input
    back = edges_of(html, "edge-back")
    assert {f"h_{t}^{{(2)}}>h_{t}^{{(1)}}" for t in range(1, T + 1)} <= set(back)  # down
    for layer in (1, 2):  # and back in time, to h_0, in each layer
        assert {f"h_{t}^{{({layer})}}>h_{t - 1}^{{({layer})}}" for t in range(1, T + 1)} <= set(
            back
        )
    pairs = [edge.split(">") for edge in forward_edges]
    assert sorted(back) == sorted(f"{b}>{a}" for a, b in pairs if not a.startswith("x"))


@pytest.mark.parametrize("kind", ["truncate", "chunk"])
def test_truncation_pairs_are_the_ones_the_package_keeps(kind):
    """For each output t alone, the steps k whose backward the package runs are the drawn
    row t, for the page's T = 10 and K = 3."""
    T, K = truncation_pairs.T, truncation_pairs.K
    assert (T, K) == (10, 3)
    params = RNNParams.random(2, 3, 2, seed=0, scale=0.5)
    trace = forward(params, np.random.default_rng(0).normal(size=(T, 1, 2)))
    package = set()
    for t in range(1, T + 1):
        dh_out = np.zeros((T, 1, 3))
        dh_out[t - 1] = 1.0
        back = sequence_backward(trace, dh_out, **{kind: K})
        package |= {(t, k) for k in range(1, T + 1) if np.any(back.h[k] != 0)}
    drawn = set(truncation_pairs.kept_pairs(kind))
    assert drawn == package
    html = truncation_pairs.html()
    cells = re.findall(r'data-pair="(\d+),(\d+)"[^>]*class="(\w+)"', html)
    panel = cells[:55] if kind == "truncate" else cells[55:]
    assert len(cells) == 2 * 55 and {(int(t), int(k)) for t, k, c in panel if c == "kept"} == drawn
    assert f"{len(drawn)} of the 55 pairs" in truncation_pairs.DESC
    full = {(t, k) for t in range(1, T + 1) for k in range(1, t + 1)}
    assert sum(min(t, K) for t in range(1, T + 1)) == len(truncation_pairs.kept_pairs("truncate"))
    assert drawn < full


def test_labels_set_single_letters_in_italic_and_words_upright():
    """As TeX sets math: a variable (one letter, any alphabet: h, δ, ñ) in italic, a word
    (tanh, of, in) upright; in a script two letters are two variables (the hy of W_{hy})."""
    svg = diagrams_hook.diagram_module(DOCS, "svg")

    def italic(text: str) -> list[str]:
        return re.findall(r'<tspan font-style="italic">([^<]+)</tspan>', svg.label(0, 0, text))

    assert italic("ñ_t of h_{t−1} in W_{hy}") == ["ñ", "t", "h", "t", "W", "hy"]
    assert italic("tanh(δ_t) + ŷ") == ["δ", "t", "ŷ"]
    html = svg.label(0, 0, "W_{hh}^{(2)}", size=20)
    assert html.count('font-size="16"') == 2  # scripts at 0.8 of the label
    assert svg.SCRIPT == 0.8


def test_the_explorer_graphs_draw_unrolled_s_network_with_a_slot_for_every_number():
    """The explorers' live graphs (docs/_diagrams/explorer_graph.py): the nodes and forward
    arrows of ``unrolled``, the roads into each h_t, and an empty slot for each number the
    script fills; the toy's ŷ and L only at its one scored step."""
    classifier = diagrams_hook.diagram_module(DOCS, "explorer_classifier").html()
    toy = diagrams_hook.diagram_module(DOCS, "explorer_toy").html()
    for page_name, name in [
        ("explorer.md", "explorer_classifier"),
        ("explorer.md", "explorer_toy"),
    ]:
        assert f"<!-- diagram: {name} -->" in (DOCS / page_name).read_text()
    # the graph twice, wide (time running right) and tall (its transpose, time running down)
    layouts = re.findall(r'data-layout="(\w+)"', classifier + toy)
    assert layouts == ["wide", "tall", "wide", "tall"]
    classifier_wide, classifier_tall = re.split(r'(?=<svg class="gx-tall")', classifier)
    toy_wide, toy_tall = re.split(r'(?=<svg class="gx-tall")', toy)
    all_edges = [f"{a}>{b}" for a, b, _ in unrolled.forward_edges()]
    for classifier, toy in ((classifier_wide, toy_wide), (classifier_tall, toy_tall)):
        assert edges_of(classifier) == all_edges
        assert edges_of(toy) == [e for e in all_edges if not re.search(r"[ŷL]_[12]", e)]
    for svg_html in (classifier_wide, classifier_tall, toy_wide, toy_tall):
        roads = re.findall(r'data-road="([^"]+)" data-into="(\d)"', svg_html)
        assert roads == [("o:1", "1"), ("z:1", "1"), ("o:2", "2"), ("z:2", "2"), ("o:3", "3")]
        assert re.findall(r'data-delta="(\d)" tabindex="0"', svg_html) == ["1", "2", "3"]
    for svg_html in (classifier_wide + classifier_tall, toy_wide + toy_tall):
        assert 'aria-labelledby="' in svg_html and svg_html.count("<title ") == 1
    for classifier, toy in ((classifier_wide, toy_wide), (classifier_tall, toy_tall)):
        slots = re.findall(r'data-quantity="(g-[a-z]+)" data-index="([\d,]+)"></text>', classifier)
        assert len(slots) == 3 * (1 + 2 + 2 + 2 + 2 + 2 + 1)  # x, h, o, ŷ, ∂L/∂h, δ (2 each), L
        toy_slots = re.findall(r'data-quantity="(g-(?:yhat|loss))" data-index="([\d,]+)"', toy)
        assert toy_slots == [("g-yhat", "3,0"), ("g-loss", "3")]
