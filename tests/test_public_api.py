"""The public API: one namespace for every cell, and nothing on the site that reaches past it.

Pages, the notebook, the figure scripts and the benchmarks import only ``from rnn_derivatives
import …``; every public function takes every cell its mathematics allows; the step pair,
``deltas`` and ``Trace.stacked`` agree with the sequence engine.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest
from package_helpers import make_problem, raises_naming

import rnn_derivatives
from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RecallTask,
    RNNParams,
    clip_by_global_norm,
    clip_by_value,
    cosine_similarity,
    deltas,
    forward,
    initial_params,
    loss_and_grads,
    numerical_grads,
    relative_error,
    sgd_step,
    state_grads,
    step_backward,
    step_forward,
    train,
)
from rnn_derivatives.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
KINDS = [pytest.param(kind, id=kind.__name__) for kind in (RNNParams, LSTMParams, GRUParams)]


# --- what the site imports ---------------------------------------------------------------


def python_sources() -> list[tuple[str, str]]:
    """(where, code) of every page's fences, the notebooks' code cells, figure and diagram
    scripts, and the benchmarks."""
    fence = re.compile(r"^ *```\{?\.?(?:python|pycon)[^\n]*\n(.*?)^ *```", re.M | re.S)
    sources = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        code = "\n".join(line.lstrip() for line in "\n".join(fence.findall(text)).splitlines())
        sources.append((page.name, code))
    for notebook in sorted((ROOT / "docs" / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        sources.append((notebook.name, code))
    for folder in ("docs/_figures", "docs/_diagrams", "benchmarks"):
        for script in sorted((ROOT / folder).glob("*.py")):
            sources.append((f"{folder}/{script.name}", script.read_text(encoding="utf-8")))
    return sources


def test_the_site_imports_only_the_public_namespace():
    found = []
    for where, code in python_sources():
        for line in code.splitlines():
            line = line.removeprefix(">>> ").removeprefix("... ").strip()
            if re.match(r"(from|import) rnn_derivatives\.", line):
                found.append(f"{where}: {line}")
            elif m := re.match(r"from rnn_derivatives import (.*)", line):
                names = re.findall(r"\w+", m[1].split("#")[0])
                found += [f"{where}: {n}" for n in names if n not in rnn_derivatives.__all__]
    assert found == []


def test_multi_line_imports_name_only_public_names():
    """The parenthesised imports of scripts (``from rnn_derivatives import (…)``)."""
    for where, code in python_sources():
        if not where.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and node.module == "rnn_derivatives":
                names = [alias.name for alias in node.names]
                assert set(names) <= set(rnn_derivatives.__all__), (where, names)


def test_every_public_name_has_a_docstring():
    for name in rnn_derivatives.__all__:
        assert inspect.getdoc(getattr(rnn_derivatives, name)), name


# --- every cell, one API -----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_numerical_grads_takes_every_cell_with_its_states(kind):
    p = make_problem(kind, seed=3, T=4, B=2, H=2, with_states=True)
    _, grads = loss_and_grads(*p.args, **p.kwargs)
    check = numerical_grads(*p.args, **p.kwargs)
    assert relative_error(grads, check) < 1e-7
    assert check.dtype == np.float64 and type(check) is kind


@pytest.mark.parametrize("kind", KINDS)
def test_clipping_similarity_and_sgd_take_every_cell(kind):
    p = make_problem(kind, seed=4, T=3, H=2)
    _, grads = loss_and_grads(*p.args, **p.kwargs)
    clipped = clip_by_global_norm(grads, 1e-3)
    assert type(clipped) is kind
    assert cosine_similarity(clipped, grads) == pytest.approx(1.0, abs=1e-12)
    small = clip_by_value(grads, 1e-4)
    assert max(np.abs(v).max() for _, v in small.items()) <= 1e-4
    moved = sgd_step(p.params, grads, 0.1)
    for (name, before), (_, after) in zip(p.params.items(), moved.items(), strict=True):
        np.testing.assert_allclose(after, before - 0.1 * getattr(grads, name), rtol=1e-15)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_train_and_the_command_line_take_every_cell(cell, capsys):
    task = RecallTask(delay=2)
    params = initial_params(task, 4, seed=0, cell=cell)
    assert type(params) is {"rnn": RNNParams, "lstm": LSTMParams, "gru": GRUParams}[cell]
    result = train(task, params, steps=3, seed=0, chunk=2)
    assert type(result.params) is type(params) and len(result.losses) == 3
    argv = ["--cell", cell, "--delay", "2", "--hidden", "4", "--steps", "3", "--quiet"]
    assert main(argv) == 0
    assert "recall accuracy" in capsys.readouterr().out


def test_the_command_line_rejects_an_unknown_cell(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--cell", "transformer"])
    assert exit_info.value.code == 2
    assert "argument --cell: invalid choice: 'transformer'" in capsys.readouterr().err


# --- views of the engine -----------------------------------------------------------------


@pytest.mark.parametrize("option", [{}, {"truncate": 2}, {"chunk": 2}], ids=["full", "K2", "c2"])
@pytest.mark.parametrize("B", [None, 3])
def test_deltas_sum_to_the_bias_gradient(B, option):
    p = make_problem(seed=5, T=5, B=B, with_states=True)
    d = deltas(*p.args, **p.kwargs, **option)
    assert d.shape == (*np.shape(p.xs)[:-1], p.params.n_hidden)
    _, grads = loss_and_grads(*p.args, **p.kwargs, **option)
    np.testing.assert_allclose(d.reshape(-1, d.shape[-1]).sum(axis=0), grads.b_h, rtol=1e-12)
    rows, inputs = d.reshape(-1, d.shape[-1]), p.xs.reshape(-1, p.xs.shape[-1])
    np.testing.assert_allclose(rows.T @ inputs, grads.W_xh, rtol=1e-12, atol=1e-15)


def test_deltas_give_the_input_grads():
    """∂L/∂x_t = W_xhᵀ δ_t, and state_grads computes ∂L/∂x_t by the engine."""
    p = make_problem(seed=6, T=4)
    np.testing.assert_allclose(deltas(*p.args) @ p.params.W_xh, state_grads(*p.args).xs)


def test_deltas_reject_a_gated_cell():
    p = make_problem(LSTMParams, seed=6, T=4)
    with raises_naming("params", "RNNParams"):
        deltas(*p.args)


@pytest.mark.parametrize("B", [None, 2])
def test_trace_stacked_holds_each_steps_cache_in_the_callers_layout(B):
    p = make_problem(LSTMParams, seed=7, T=4, B=B, H=3)
    trace = forward(*p.args[:2])
    f = trace.stacked("f")
    assert f.shape == (*np.shape(p.xs)[:-1], 3)
    assert np.all((f > 0) & (f < 1))
    np.testing.assert_array_equal(trace.stacked("h_prev"), trace.h[:-1])
    with raises_naming("name", "forget"):
        trace.stacked("forget")
    vanilla = forward(*make_problem(seed=7, T=4, B=B).args[:2])
    np.testing.assert_array_equal(vanilla.z, vanilla.stacked("z"))
    with pytest.raises(ValueError, match="vanilla RNN"):
        _ = trace.z


@pytest.mark.parametrize("kind", KINDS)
def test_the_public_step_pair_runs_a_sequence_like_the_engine(kind):
    """step_forward over the steps gives forward's states; step_backward from step T down
    gives loss_and_grads's cell gradients (here of L = Σ_t g_t · h_t, with g_t random)."""
    p = make_problem(kind, seed=8, T=4, B=2, H=3)
    params, xs = p.params, p.xs
    trace = forward(params, xs)
    state = tuple(np.zeros((2, 3)) for _ in range(2 if kind is LSTMParams else 1))
    caches = []
    for x in xs:
        state, cache = step_forward(params, x, state)
        caches.append(cache)
    np.testing.assert_allclose(state[0], trace.h[-1], rtol=1e-15)
    g = np.random.default_rng(0).normal(size=trace.h[1:].shape)
    d_state = tuple(np.zeros((2, 3)) for _ in state)
    total: dict[str, np.ndarray] = {}
    for t in range(len(xs), 0, -1):
        d_state = (d_state[0] + g[t - 1], *d_state[1:])
        _, d_state, terms = step_backward(params, d_state, caches[t - 1])
        for name, value in terms.items():
            total[name] = total.get(name, 0) + value
    from_engine, _ = rnn_derivatives.backprop_states(params, xs, g)
    for name, value in total.items():
        np.testing.assert_allclose(value, getattr(from_engine, name), rtol=1e-12, atol=1e-15)


def test_the_step_pair_rejects_a_wrong_state_or_cache():
    params = RNNParams.random(3, 4, 2, seed=0)
    with raises_naming("state"):
        step_forward(params, np.zeros((2, 3)), np.zeros((2, 4)))
    _, cache = step_forward(params, np.zeros((2, 3)), (np.zeros((2, 4)),))
    with raises_naming("cache"):
        step_backward(LSTMParams.random(3, 4, 2, seed=0), (np.zeros((2, 4)),) * 2, cache)
