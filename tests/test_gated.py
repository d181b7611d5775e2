"""The LSTM and the GRU (and the vanilla cell through the same driver): every gradient against
central differences, the contract of the public functions, and stacking layers."""

from __future__ import annotations

import numpy as np
import pytest
from package_helpers import full_grads, make_problem, raises_naming

from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RNNParams,
    StateGrads,
    backprop_states,
    central_differences,
    gru_loss_and_grads,
    hidden_states,
    loss_and_grads,
    lstm_loss_and_grads,
    numerical_grads,
    numerical_jacobian,
    relative_error,
    state_grads,
)

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
    return problem.call(full_grads, **changes)[0]


def assert_fd(analytic, numeric):
    """Equal to central differences, whose rounding noise is about 1e-10 absolute."""
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("kind", "loss", "T", "B", "states"), CASES)
def test_every_gradient_equals_central_differences(kind, loss, T, B, states):
    p = make_problem(kind, seed=T + 7 * (B or 0), T=T, B=B, H=2, loss=loss, with_states=states)
    value, grads, sg = p.call(full_grads)
    assert value == pytest.approx(loss_of(p), rel=0, abs=0)
    numeric = central_differences(lambda q: loss_of(p, params=q), p.params)
    assert relative_error(grads, numeric) < 1e-7
    assert_fd(sg.xs, numerical_jacobian(lambda x: loss_of(p, xs=x), p.xs))
    h0 = np.zeros(np.shape(sg.h0)) if p.h0 is None else p.h0
    assert sg.h0.shape == h0.shape
    assert_fd(sg.h0, numerical_jacobian(lambda h: loss_of(p, h0=h), h0))
    if kind is LSTMParams:
        c0 = np.zeros(np.shape(sg.c0)) if p.c0 is None else p.c0
        assert_fd(sg.c0, numerical_jacobian(lambda c: loss_of(p, c0=c), c0))
    else:
        assert sg.c0 is None


@pytest.mark.parametrize(("kind", "loss", "T", "B", "states"), CASES[::3])
def test_named_functions_return_the_driver_results(kind, loss, T, B, states):
    p = make_problem(kind, seed=3, T=T, B=B, H=2, loss=loss, with_states=states)
    value, grads, sg = p.call(full_grads)
    if kind is LSTMParams:
        named = lstm_loss_and_grads(*p.args, loss=loss, h0=p.h0, c0=p.c0)
    elif kind is GRUParams:
        named = gru_loss_and_grads(*p.args, loss=loss, h0=p.h0)
    else:
        named = loss_and_grads(*p.args, loss=loss, h0=p.h0)
    assert named[0] == pytest.approx(value, rel=1e-14)
    assert type(named[1]) is kind and relative_error(named[1], grads) < 1e-12
    again = p.call(state_grads)
    assert isinstance(again, StateGrads)
    np.testing.assert_array_equal(again.xs, sg.xs)
    np.testing.assert_array_equal(again.h0, sg.h0)


@pytest.mark.parametrize("kind", KINDS)
def test_batch_gradients_are_the_sum_of_the_sequences(kind):
    p = make_problem(kind, seed=11, T=4, B=3, H=2, with_states=True)
    value, grads, sg = p.call(full_grads)
    total, parts = 0.0, []
    for b in range(3):
        c0 = None if p.c0 is None else p.c0[b]
        v, g, s = p.call(full_grads, xs=p.xs[:, b], targets=p.targets[:, b], h0=p.h0[b], c0=c0)
        total += v
        parts.append(g)
        np.testing.assert_allclose(sg.xs[:, b], s.xs, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(sg.h0[b], s.h0, rtol=1e-12, atol=1e-15)
    assert value == pytest.approx(total, rel=1e-13)
    for name, array in grads.items():
        summed = sum(getattr(g, name) for g in parts)
        np.testing.assert_allclose(array, summed, rtol=1e-12, atol=1e-14, err_msg=name)


def test_the_vanilla_cell_through_the_driver_matches_loss_and_grads():
    p = make_problem(RNNParams, seed=5, T=12, B=3, H=2, loss="squared_last", with_states=True)
    value, grads, _ = p.call(full_grads)
    ref_value, ref = loss_and_grads(*p.args, loss=p.loss, h0=p.h0)
    assert value == pytest.approx(ref_value, rel=1e-14)
    assert relative_error(grads, ref) < 1e-13


def test_lstm_cell_path_jacobian_is_diag_f():
    """∂c_t/∂c_{t−1} = diag(f_t) when h_{t−1} is held fixed: one step with h_0 fixed."""
    p = make_problem(LSTMParams, seed=2, T=1, B=1, D=3, H=4, O=2, with_states=True)
    params, x, h0, c0 = p.params, p.xs[0], p.h0[0], p.c0[0]
    a = params.W_x @ x[0] + params.W_h @ h0 + params.b
    f = 1 / (1 + np.exp(-a[4:8]))
    jac = numerical_jacobian(lambda c: _c1(params, x, h0, c), c0)
    np.testing.assert_allclose(jac, np.diag(f), atol=1e-9)


def _c1(params, x, h0, c0):
    from rnn_derivatives import step_forward

    (_, c), _ = step_forward(params, x, (h0[None], c0[None]))
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
@pytest.mark.parametrize("option", [{}, {"truncate": 2}, {"chunk": 2}], ids=["full", "K2", "c2"])
def test_functions_do_not_modify_their_arguments(kind, option):
    p = make_problem(kind, seed=1, T=5, B=2, H=2, with_states=True)
    names = [n for n in ("xs", "targets", "h0", "c0") if getattr(p, n) is not None]
    for name in names:
        assert getattr(p, name).flags.writeable
    copies = {name: getattr(p, name).copy() for name in names}
    loss_and_grads(*p.args, **p.kwargs, **option)
    p.call(state_grads)
    hidden_states(p.params, p.xs, h0=p.h0, c0=p.c0)
    for name in names:
        np.testing.assert_array_equal(getattr(p, name), copies[name], err_msg=name)


def test_two_stacked_layers_chain_state_grads():
    """Layer 1 (an LSTM) feeds layer 2 (a GRU); layer 1's gradients come from chaining."""
    lower, xs, _ = make_problem(LSTMParams, seed=4, T=5, B=2, O=1).args
    upper, _, targets = make_problem(GRUParams, seed=5, T=5, B=2, D=4, H=3, O=2).args

    def total(lower_params, xs_in=xs):
        return full_grads(upper, hidden_states(lower_params, xs_in), targets)[0]

    hs = hidden_states(lower, xs)
    from_above = state_grads(upper, hs, targets).xs  # ∂L/∂h_t of the lower layer
    grads, sg = backprop_states(lower, xs, from_above)
    assert relative_error(grads, central_differences(total, lower)) < 1e-7
    assert np.all(grads.W_hy == 0) and np.all(grads.b_y == 0)
    assert_fd(sg.xs, numerical_jacobian(lambda x: total(lower, x), xs))


def test_backprop_states_equals_a_loss_through_the_output_layer():
    """With G_t = W_hyᵀ ∂L/∂o_t, backprop_states gives the cell gradients of full_grads."""
    p = make_problem(LSTMParams, seed=9, T=4, H=2, with_states=True)
    params = p.params
    _, grads, sg = p.call(full_grads)
    o = hidden_states(params, p.xs, h0=p.h0, c0=p.c0) @ params.W_hy.T + params.b_y
    y = np.exp(o - o.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    y[np.arange(4), p.targets] -= 1.0
    cell, sg2 = backprop_states(params, p.xs, y @ params.W_hy, h0=p.h0, c0=p.c0)
    for name in ("W_x", "W_h", "b"):
        np.testing.assert_allclose(getattr(cell, name), getattr(grads, name), rtol=1e-12)
    np.testing.assert_allclose(sg2.c0, sg.c0, rtol=1e-12)


@pytest.mark.parametrize(
    ("kind", "change", "name", "fragments"),
    [
        (
            LSTMParams,
            {"W_x": np.zeros((7, 3))},
            "W_x",
            ("(4H, D) = (8, 3)", "W_h, b and W_hy say H = 2"),
        ),
        (
            GRUParams,
            {"W_x": np.zeros((8, 3))},
            "W_x",
            ("(3H, D) = (6, 3)", "b_h and W_hy say H = 2"),
        ),
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
    good = dict(make_problem(kind, seed=0, T=1, H=2).params.items())
    with raises_naming(name, *fragments):
        kind(**(good | change))


XS4 = np.zeros((4, 3))


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
        (
            LSTMParams,
            lambda p: LSTMParams.random(3, 2, 3, seed=0, forget_bias=np.nan),
            "forget_bias",
            ("finite",),
        ),
        (
            LSTMParams,
            lambda p: LSTMParams.random(3, 2, 3, seed=0, forget_bias="abc"),
            "forget_bias",
            (),
        ),
        (GRUParams, lambda p: GRUParams.random(3, 0, 3, seed=0), "n_hidden", (">= 1",)),
        (GRUParams, lambda p: GRUParams.random(3, 2, 3, seed=-1), "seed", (">= 0",)),
        (
            LSTMParams,
            lambda p: LSTMParams.random(3, 2, 3, seed=0, scale=np.inf),
            "scale",
            ("finite",),
        ),
        (
            GRUParams,
            lambda p: numerical_grads(p, np.zeros((4, 3)), [0] * 4, eps=0.0),
            "eps",
            ("> 0",),
        ),
        (
            LSTMParams,
            lambda p: loss_and_grads(p, np.zeros((4, 3)), [0] * 4, method="double_sum"),
            "params",
            ("RNNParams",),
        ),
        (
            GRUParams,
            lambda p: loss_and_grads(p, np.zeros((4, 3)), [0] * 4, truncate=2, chunk=2),
            "truncate",
            ("chunk",),
        ),
        (LSTMParams, lambda p: p.gate("W_hy", "f"), "name", ()),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(kind, call, name, fragments):
    params = make_problem(kind, seed=0, T=1, H=2).params
    with raises_naming(name, *fragments):
        call(params)


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
def test_train_takes_gated_cells(kind):
    from rnn_derivatives import RecallTask, train

    task = RecallTask(delay=3)
    params = kind.random(task.n_in, 6, task.n_out, seed=0, scale=0.3)
    result = train(task, params, steps=40, seed=0)
    assert type(result.params) is kind
    assert result.losses[-1] < result.losses[0] / 2
    xs, targets = task.batch(2, seed=np.random.default_rng([0, 0]))
    first = full_grads(params, xs[:, :2], targets[:, :2])[0]
    assert np.isfinite(first)
    # Chunks as long as the sequence are full BPTT; shorter chunks train on other gradients.
    whole = train(task, params, steps=3, seed=0, chunk=task.n_steps)
    np.testing.assert_allclose(whole.losses, result.losses[:3], rtol=1e-12)
    cut = train(task, params, steps=3, seed=0, chunk=1)
    assert cut.losses[0] == whole.losses[0] and cut.losses[2] != whole.losses[2]


def test_hidden_grads_match_the_jacobian_chain_of_the_vanilla_rnn():
    """∂L/∂h_k for a loss on the last state only: G_T (∂h_T/∂h_k), by `hidden_jacobian`."""
    from rnn_derivatives import forward, hidden_grads, hidden_jacobian

    params, xs = make_problem(seed=6, T=6, D=3, H=4, O=2).args[:2]
    G = np.zeros((6, 4))
    G[-1] = np.random.default_rng(6).normal(size=4)
    dhs = hidden_grads(params, xs, G)
    cache = forward(params, xs)
    for k in range(7):
        np.testing.assert_allclose(dhs[k], G[-1] @ hidden_jacobian(params, cache, 6, k), rtol=1e-12)


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
def test_hidden_grads_at_zero_equal_central_differences(kind):
    from rnn_derivatives import hidden_grads

    p = make_problem(kind, seed=8, T=5, B=2, D=3, H=2, O=2, with_states=True)
    params, xs, h0 = p.params, p.xs, p.h0
    G = np.random.default_rng(8).normal(size=(5, 2, 2))

    def loss(h):
        return float(np.sum(G * hidden_states(params, xs, h0=h)))

    dhs = hidden_grads(params, xs, G, h0=h0)
    assert dhs.shape == (6, 2, 2)
    assert_fd(dhs[0], numerical_jacobian(loss, h0))
    np.testing.assert_allclose(dhs[0], backprop_states(params, xs, G, h0=h0)[1].h0)
