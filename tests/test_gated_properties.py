"""Hypothesis property tests for the LSTM and the GRU over random sizes, lengths and batches."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from package_helpers import full_grads, make_problem

from rnn_derivatives import GRUParams, LSTMParams, central_differences, numerical_jacobian

#: Few examples: each one runs several hundred forward passes for its central differences.
PROPERTY = settings(max_examples=15, deadline=None)

sizes = st.integers(min_value=1, max_value=3)


@st.composite
def problems(draw, *, kinds=(LSTMParams, GRUParams)):
    """A random LSTM or GRU problem: D, H, O in 1..3, T in 1..6, B in 1..3 or unbatched."""
    batched = draw(st.booleans())
    return make_problem(
        draw(st.sampled_from(kinds)),
        seed=draw(st.integers(min_value=0, max_value=2**32 - 1)),
        T=draw(st.integers(min_value=1, max_value=6)),
        B=draw(st.integers(min_value=1, max_value=3)) if batched else None,
        D=draw(sizes),
        H=draw(sizes),
        O=draw(sizes),
        loss=draw(st.sampled_from(["cross_entropy", "squared_last"])),
        with_states=draw(st.booleans()),
        scale=draw(st.floats(min_value=0.1, max_value=1.5)),
    )


def assert_near_fd(analytic, numeric):
    """‖analytic − numeric‖ ≤ 1e-6 ‖numeric‖ + 1e-8: central differences (ε = 1e-6) carry
    rounding noise of about 1e-10 · |L| in every entry, so tiny entries get an absolute floor."""
    a, b = np.ravel(analytic), np.ravel(numeric)
    assert np.linalg.norm(a - b) <= 1e-6 * np.linalg.norm(b) + 1e-8, (a, b)


@PROPERTY
@given(problems())
def test_gradients_match_central_differences(p):
    _, grads, sg = p.call(full_grads)
    numeric = central_differences(lambda q: p.call(full_grads, params=q)[0], p.params)
    assert_near_fd(grads_vector(grads), grads_vector(numeric))
    dxs = numerical_jacobian(lambda x: p.call(full_grads, xs=x)[0], p.xs)
    assert_near_fd(sg.xs, dxs)
    if p.h0 is not None:
        dh0 = numerical_jacobian(lambda h: p.call(full_grads, h0=h)[0], p.h0)
        assert_near_fd(sg.h0, dh0)
    if p.c0 is not None:
        dc0 = numerical_jacobian(lambda c: p.call(full_grads, c0=c)[0], p.c0)
        assert_near_fd(sg.c0, dc0)


def grads_vector(grads):
    return np.concatenate([value.ravel() for _, value in grads.items()])


@PROPERTY
@given(problems())
def test_shapes_follow_the_arguments(p):
    value, grads, sg = p.call(full_grads)
    assert np.isfinite(value) and value >= 0
    for name, array in p.params.items():
        assert getattr(grads, name).shape == array.shape
    assert sg.xs.shape == np.shape(p.xs)
    H = p.params.n_hidden
    assert sg.h0.shape == ((H,) if np.ndim(p.xs) == 2 else (np.shape(p.xs)[1], H))


@PROPERTY
@given(problems(kinds=(LSTMParams,)), st.floats(min_value=4.0, max_value=8.0))
def test_a_closed_forget_gate_cuts_the_cell_path(p, bias):
    """With b_f very negative (f ≈ 0) c_0 cannot reach the loss: ∂L/∂c_0 ≈ 0, since
    ∂c_1/∂c_0 = diag(f_1) is the only path from c_0."""
    params = p.params
    b = params.b.copy()
    H = params.n_hidden
    b[H : 2 * H] = -40.0 * bias
    closed = LSTMParams(params.W_x, np.zeros_like(params.W_h), b, params.W_hy, params.b_y)
    sg = p.call(full_grads, params=closed)[2]
    assert np.max(np.abs(sg.c0)) < 1e-60
