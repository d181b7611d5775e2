"""The LSTM and the GRU (and the vanilla cell through the same driver): every gradient against
central differences, the contract of the public functions, and stacking layers."""

from __future__ import annotations

import numpy as np
import pytest
from gated_helpers import GATES, array_differences, random_params, random_problem
from package_helpers import raises_naming

from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RNNParams,
    StateGrads,
    backprop_states,
    gru_loss_and_grads,
    hidden_states,
    loss_and_grads,
    lstm_loss_and_grads,
    numerical_grads,
    relative_error,
    state_grads,
)
from rnn_derivatives.gradcheck import central_differences
from rnn_derivatives.sequence import full_grads

KINDS = [LSTMParams, GRUParams, RNNParams]
CASES = [
    pytest.param(kind, loss, T, B, states, id=f"{kind.__name__}-{loss}-T{T}-B{B}-s{int(states)}")
    for kind in KINDS
    for loss in ("cross_entropy", "squared_last")
    for T in (1, 5)
    for B in (None, 2)
    for states in (False, True)
]


def loss_of(problem, **changes):
    return full_grads(**(problem | changes))[0]


def assert_fd(analytic, numeric):
    """Equal to central differences, whose rounding noise is about 1e-10 absolute."""
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("kind", "loss", "T", "B", "states"), CASES)
def test_every_gradient_equals_central_differences(kind, loss, T, B, states):
    p = random_problem(kind, seed=T + 7 * (B or 0), T=T, B=B, loss=loss, with_states=states)
    value, grads, sg = full_grads(**p)
    assert value == pytest.approx(loss_of(p), rel=0, abs=0)
    numeric = central_differences(lambda q: loss_of(p, params=q), p["params"])
    assert relative_error(grads, numeric) < 1e-7
    assert_fd(sg.xs, array_differences(lambda x: loss_of(p, xs=x), p["xs"]))
    h0 = np.zeros(np.shape(sg.h0)) if p["h0"] is None else p["h0"]
    assert sg.h0.shape == h0.shape
    assert_fd(sg.h0, array_differences(lambda h: loss_of(p, h0=h), h0))
    if kind is LSTMParams:
        c0 = np.zeros(np.shape(sg.c0)) if p["c0"] is None else p["c0"]
        assert_fd(sg.c0, array_differences(lambda c: loss_of(p, c0=c), c0))
    else:
        assert sg.c0 is None


@pytest.mark.parametrize(("kind", "loss", "T", "B", "states"), CASES[::3])
def test_named_functions_return_the_driver_results(kind, loss, T, B, states):
    p = random_problem(kind, seed=3, T=T, B=B, loss=loss, with_states=states)
    value, grads, sg = full_grads(**p)
    args = (p["params"], p["xs"], p["targets"])
    if kind is LSTMParams:
        named = lstm_loss_and_grads(*args, loss=loss, h0=p["h0"], c0=p["c0"])
    elif kind is GRUParams:
        named = gru_loss_and_grads(*args, loss=loss, h0=p["h0"])
    else:
        named = loss_and_grads(*args, loss=loss, h0=p["h0"])
        assert relative_error(named[1], numerical_grads(*args, loss=loss, h0=p["h0"])) < 1e-7
    assert named[0] == pytest.approx(value, rel=1e-14)
    assert type(named[1]) is kind and relative_error(named[1], grads) < 1e-12
    kwargs = {k: v for k, v in p.items() if k in ("loss", "h0", "c0")}
    again = state_grads(*args, **kwargs)
    assert isinstance(again, StateGrads)
    np.testing.assert_array_equal(again.xs, sg.xs)
    np.testing.assert_array_equal(again.h0, sg.h0)


@pytest.mark.parametrize("kind", KINDS)
def test_batch_gradients_are_the_sum_of_the_sequences(kind):
    p = random_problem(kind, seed=11, T=4, B=3)
    value, grads, sg = full_grads(**p)
    total, parts = 0.0, []
    for b in range(3):
        one = {
            k: (v[:, b] if k in ("xs", "targets") else v[b])
            for k, v in p.items()
            if k in ("xs", "targets", "h0", "c0")
        }
        v, g, s = full_grads(p["params"], loss=p["loss"], **one)
        total += v
        parts.append(g)
        np.testing.assert_allclose(sg.xs[:, b], s.xs, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(sg.h0[b], s.h0, rtol=1e-12, atol=1e-15)
    assert value == pytest.approx(total, rel=1e-13)
    for name, array in grads.items():
        summed = sum(getattr(g, name) for g in parts)
        np.testing.assert_allclose(array, summed, rtol=1e-12, atol=1e-14, err_msg=name)


def test_the_vanilla_cell_through_the_driver_matches_loss_and_grads():
    p = random_problem(RNNParams, seed=5, T=12, B=3, loss="squared_last")
    value, grads, _ = full_grads(**p)
    ref_value, ref = loss_and_grads(p["params"], p["xs"], p["targets"], loss=p["loss"], h0=p["h0"])
    assert value == pytest.approx(ref_value, rel=1e-14)
    assert relative_error(grads, ref) < 1e-13


def test_lstm_cell_path_jacobian_is_diag_f():
    """∂c_t/∂c_{t−1} = diag(f_t) when h_{t−1} is held fixed: one step with h_0 fixed."""
    rng = np.random.default_rng(2)
    params = random_params(LSTMParams, 3, 4, 2, rng=rng)
    x, h0, c0 = rng.normal(size=(1, 3)), rng.normal(size=4), rng.normal(size=4)
    a = params.W_x @ x[0] + params.W_h @ h0 + params.b
    f = 1 / (1 + np.exp(-a[4:8]))
    rows = [array_differences(lambda c, i=i: _c1(params, x, h0, c)[i], c0) for i in range(4)]
    jac = np.stack(rows)
    np.testing.assert_allclose(jac, np.diag(f), atol=1e-9)


def _c1(params, x, h0, c0):
    from rnn_derivatives import lstm

    (_, c), _ = lstm.step_forward(params, x, (h0[None], c0[None]))
    return c[0]


def test_random_params_follow_the_gate_layout():
    lstm = LSTMParams.random(3, 5, 2, seed=0, forget_bias=1.0)
    assert lstm.W_x.shape == (20, 3) and lstm.W_h.shape == (20, 5) and lstm.b.shape == (20,)
    np.testing.assert_array_equal(lstm.gate("b", "f"), np.ones(5))
    np.testing.assert_array_equal(np.delete(lstm.b, np.s_[5:10]), np.zeros(15))
    gru = GRUParams.random(3, 5, 2, seed=0, scale=0.2)
    assert gru.W_x.shape == (15, 3) and gru.b_x.shape == gru.b_h.shape == (15,)
    assert (gru.n_in, gru.n_hidden, gru.n_out) == (3, 5, 2)
    again = GRUParams.random(3, 5, 2, seed=0, scale=0.2)
    assert relative_error(gru, again) == 0.0
    assert 0.15 < np.std(gru.W_x) < 0.25
    assert "GRUParams(W_x=(15, 3)" in repr(gru)
    assert GATES[LSTMParams] == len(LSTMParams.GATES) and GATES[GRUParams] == len(GRUParams.GATES)


def test_params_are_read_only_copies_and_float32_stays_float32():
    W_x = np.ones((8, 2))
    params = LSTMParams(W_x, np.zeros((8, 2)), np.zeros(8), np.ones((3, 2)))
    W_x[0, 0] = 5.0
    assert params.W_x[0, 0] == 1.0 and not params.W_x.flags.writeable
    np.testing.assert_array_equal(params.b_y, np.zeros(3))
    small = params.astype(np.float32)
    assert small.dtype == np.float32 and type(small) is LSTMParams
    value, grads = lstm_loss_and_grads(small, np.ones((3, 2), np.float32), [0, 1, 2])
    assert grads.W_x.dtype == np.float32 and np.isfinite(value)


@pytest.mark.parametrize("kind", KINDS)
def test_functions_do_not_modify_their_arguments(kind):
    p = random_problem(kind, seed=1, T=3, B=2)
    copies = {k: np.copy(v) for k, v in p.items() if isinstance(v, np.ndarray)}
    full_grads(**p)
    hidden_states(p["params"], p["xs"], h0=p["h0"], c0=p.get("c0"))
    for name, value in copies.items():
        np.testing.assert_array_equal(p[name], value, err_msg=name)


def test_two_stacked_layers_chain_state_grads():
    """Layer 1 (an LSTM) feeds layer 2 (a GRU); layer 1's gradients come from chaining."""
    rng = np.random.default_rng(4)
    lower = random_params(LSTMParams, 3, 4, 1, rng=rng)
    upper = random_params(GRUParams, 4, 3, 2, rng=rng)
    xs, targets = rng.normal(size=(5, 2, 3)), rng.integers(0, 2, size=(5, 2))

    def total(lower_params, xs_in=xs):
        return full_grads(upper, hidden_states(lower_params, xs_in), targets)[0]

    hs = hidden_states(lower, xs)
    from_above = state_grads(upper, hs, targets).xs  # ∂L/∂h_t of the lower layer
    grads, sg = backprop_states(lower, xs, from_above)
    assert relative_error(grads, central_differences(total, lower)) < 1e-7
    assert np.all(grads.W_hy == 0) and np.all(grads.b_y == 0)
    assert_fd(sg.xs, array_differences(lambda x: total(lower, x), xs))


def test_backprop_states_equals_a_loss_through_the_output_layer():
    """With G_t = W_hyᵀ ∂L/∂o_t, backprop_states gives the cell gradients of full_grads."""
    p = random_problem(LSTMParams, seed=9, T=4, B=None)
    params = p["params"]
    _, grads, sg = full_grads(**p)
    o = hidden_states(params, p["xs"], h0=p["h0"], c0=p["c0"]) @ params.W_hy.T + params.b_y
    y = np.exp(o - o.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    y[np.arange(4), p["targets"]] -= 1.0
    cell, sg2 = backprop_states(params, p["xs"], y @ params.W_hy, h0=p["h0"], c0=p["c0"])
    for name in ("W_x", "W_h", "b"):
        np.testing.assert_allclose(getattr(cell, name), getattr(grads, name), rtol=1e-12)
    np.testing.assert_allclose(sg2.c0, sg.c0, rtol=1e-12)


@pytest.mark.parametrize(
    ("kind", "change", "name", "fragments"),
    [
        (LSTMParams, {"W_x": np.zeros((7, 3))}, "W_x", ("4H", "multiple of 4")),
        (GRUParams, {"W_x": np.zeros((8, 3))}, "W_x", ("3H", "multiple of 3")),
        (LSTMParams, {"W_h": np.zeros((8, 3))}, "W_h", ("(4H, H) = (8, 2)", "W_x")),
        (GRUParams, {"W_h": np.zeros((6, 3))}, "W_h", ("(3H, H) = (6, 2)", "W_x")),
        (LSTMParams, {"b": np.zeros(6)}, "b", ("(4H,) = (8,)",)),
        (GRUParams, {"b_h": np.zeros(8)}, "b_h", ("(3H,) = (6,)",)),
        (GRUParams, {"W_hy": np.zeros((3, 5))}, "W_hy", ("(O, H) = (3, 2)",)),
        (LSTMParams, {"b_y": np.zeros(2)}, "b_y", ("(O,) = (3,)", "W_hy")),
        (LSTMParams, {"W_x": np.zeros(8)}, "W_x", ("shape",)),
        (GRUParams, {"b_x": np.full(6, np.nan)}, "b_x", ("finite",)),
        (LSTMParams, {"W_h": [[1, 2], [3]]}, "W_h", ()),
    ],
)
def test_bad_parameters_raise_value_errors_naming_them(kind, change, name, fragments):
    rng = np.random.default_rng(0)
    good = dict(random_params(kind, 3, 2, 3, rng=rng).items())
    with raises_naming(name, *fragments):
        kind(**(good | change))


@pytest.mark.parametrize(
    ("kind", "call", "name", "fragments"),
    [
        (LSTMParams, lambda p: lstm_loss_and_grads(p, np.zeros((4, 2)), [0] * 4), "xs", ("D",)),
        (LSTMParams, lambda p: lstm_loss_and_grads(p, np.zeros((4, 3)), [0] * 3), "targets", ()),
        (
            LSTMParams,
            lambda p: lstm_loss_and_grads(p, np.zeros((4, 3)), [0] * 4, c0=np.zeros(3)),
            "c0",
            ("(2,)",),
        ),
        (
            LSTMParams,
            lambda p: lstm_loss_and_grads(p, np.zeros((4, 1, 3)), [[0]] * 4, h0=np.zeros(2)),
            "h0",
            ("(1, 2)",),
        ),
        (GRUParams, lambda p: state_grads(p, np.zeros((4, 3)), [0] * 4, c0=np.zeros(2)), "c0", ()),
        (GRUParams, lambda p: lstm_loss_and_grads(p, np.zeros((4, 3)), [0] * 4), "params", ()),
        (LSTMParams, lambda p: gru_loss_and_grads(p, np.zeros((4, 3)), [0] * 4), "params", ()),
        (GRUParams, lambda p: state_grads("p", np.zeros((4, 3)), [0] * 4), "params", ()),
        (
            GRUParams,
            lambda p: gru_loss_and_grads(p, np.zeros((4, 3)), [0] * 4, loss="l1"),
            "loss",
            (),
        ),
        (
            GRUParams,
            lambda p: backprop_states(p, np.zeros((4, 3)), np.zeros((4, 3))),
            "d_hs",
            ("(4, 2)",),
        ),
        (LSTMParams, lambda p: p.gate("b", "x"), "gate", ()),
        (LSTMParams, lambda p: p.gate("W_hy", "f"), "name", ()),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(kind, call, name, fragments):
    params = random_params(kind, 3, 2, 3, rng=np.random.default_rng(0))
    with raises_naming(name, *fragments):
        call(params)


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
def test_train_takes_gated_cells(kind):
    from rnn_derivatives import RecallTask
    from rnn_derivatives.train import train

    task = RecallTask(delay=3)
    params = kind.random(task.n_in, 6, task.n_out, seed=0, scale=0.3)
    result = train(task, params, steps=40, seed=0)
    assert type(result.params) is kind
    assert result.losses[-1] < result.losses[0] / 2
    xs, targets = task.batch(2, seed=np.random.default_rng([0, 0]))
    first = full_grads(params, xs[:, :2], targets[:, :2])[0]
    assert np.isfinite(first)
    with raises_naming("chunk", "RNN only"):
        train(task, params, steps=1, chunk=2)


def test_hidden_grads_match_the_jacobian_chain_of_the_vanilla_rnn():
    """∂L/∂h_k for a loss on the last state only: G_T (∂h_T/∂h_k), by `hidden_jacobian`."""
    from rnn_derivatives import forward, hidden_grads, hidden_jacobian

    rng = np.random.default_rng(6)
    params = random_params(RNNParams, 3, 4, 2, rng=rng)
    xs = rng.normal(size=(6, 3))
    G = np.zeros((6, 4))
    G[-1] = rng.normal(size=4)
    dhs = hidden_grads(params, xs, G)
    cache = forward(params, xs)
    for k in range(7):
        np.testing.assert_allclose(dhs[k], G[-1] @ hidden_jacobian(params, cache, 6, k), rtol=1e-12)


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
def test_hidden_grads_at_zero_equal_central_differences(kind):
    from rnn_derivatives import hidden_grads

    rng = np.random.default_rng(8)
    params = random_params(kind, 3, 2, 2, rng=rng)
    xs, h0 = rng.normal(size=(5, 2, 3)), rng.normal(size=(2, 2))
    G = rng.normal(size=(5, 2, 2))

    def loss(h):
        return float(np.sum(G * hidden_states(params, xs, h0=h)))

    dhs = hidden_grads(params, xs, G, h0=h0)
    assert dhs.shape == (6, 2, 2)
    assert_fd(dhs[0], array_differences(loss, h0))
    np.testing.assert_allclose(dhs[0], backprop_states(params, xs, G, h0=h0)[1].h0)
