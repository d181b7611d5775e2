"""Hypothesis property tests over random sizes, seeds, lengths, batches and losses."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from package_helpers import Problem, fd_hidden_jacobian, make_problem, reference_states

from rnn_derivatives import (
    forward,
    hidden_jacobian,
    loss_and_grads,
    numerical_grads,
    numerical_jacobian,
    relative_error,
    softmax,
    softmax_jacobian,
)

#: Modest settings: the whole file runs in a few seconds on two cores.
PROPERTY = settings(max_examples=30, deadline=None)

sizes = st.integers(min_value=1, max_value=4)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def problems(draw, *, batched: bool | None = None, max_T: int = 10) -> Problem:
    """A random problem: D, H, O in 1..4, T in 1..max_T, B in 1..3 or unbatched, any loss."""
    if batched is None:
        batched = draw(st.booleans())
    loss = draw(st.sampled_from(["cross_entropy", "squared_last"]))
    return make_problem(
        seed=draw(seeds),
        T=draw(st.integers(min_value=1, max_value=max_T)),
        B=draw(st.integers(min_value=1, max_value=3)) if batched else None,
        D=draw(sizes),
        H=draw(sizes),
        O=draw(sizes),
        loss=loss,
        with_states=draw(st.booleans()),
        scale=draw(st.floats(min_value=0.1, max_value=1.0)),
    )


@PROPERTY
@given(problems())
def test_recursive_equals_double_sum(p):
    loss_r, grads_r = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs, method="recursive")
    loss_d, grads_d = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs, method="double_sum")
    assert loss_r == loss_d
    assert relative_error(grads_r, grads_d) < 1e-12


@PROPERTY
@given(problems(max_T=8))
def test_gradient_matches_finite_differences(p):
    _, grads = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    check = numerical_grads(p.params, p.xs, p.targets, **p.kwargs)
    assert relative_error(grads, check) < 1e-7


@PROPERTY
@given(problems(batched=True))
def test_batch_is_the_sum_of_its_sequences(p):
    total, grads = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    B = p.xs.shape[1]
    parts = []
    for b in range(B):
        targets = p.targets[:, b] if p.loss == "cross_entropy" else p.targets[b]
        h0 = None if p.h0 is None else p.h0[b]
        parts.append(loss_and_grads(p.params, p.xs[:, b], targets, loss=p.loss, h0=h0))
    assert np.isclose(total, sum(value for value, _ in parts), rtol=1e-13, atol=0)
    for name, value in grads.items():
        summed = sum(getattr(g, name) for _, g in parts)
        np.testing.assert_allclose(value, summed, rtol=1e-12, atol=1e-14, err_msg=name)


@PROPERTY
@given(problems(batched=False))
def test_forward_matches_the_equations_and_leaves_inputs_alone(p):
    xs, h0 = p.xs.copy(), None if p.h0 is None else p.h0.copy()
    cache = forward(p.params, xs, h0)
    hs, os = reference_states(p.params, p.xs, p.h0)
    np.testing.assert_allclose(cache.h, np.array(hs), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(cache.o, np.array(os), rtol=1e-13, atol=1e-14)
    np.testing.assert_array_equal(xs, p.xs)
    if h0 is not None:
        np.testing.assert_array_equal(h0, p.h0)


@PROPERTY
@given(problems(batched=False), st.data())
def test_hidden_jacobian_matches_finite_differences(p, data):
    T, H = p.xs.shape[0], p.params.n_hidden
    t = data.draw(st.integers(min_value=0, max_value=T), label="t")
    k = data.draw(st.integers(min_value=0, max_value=T), label="k")
    cache = forward(p.params, p.xs, p.h0)
    jac = hidden_jacobian(p.params, cache, t, k)
    assert jac.shape == (H, H)
    if k > t:
        np.testing.assert_array_equal(jac, np.zeros((H, H)))
        return
    fd = fd_hidden_jacobian(p.params, p.xs, t, k, p.h0)
    np.testing.assert_allclose(jac, fd, rtol=0, atol=1e-8)


logits = st.lists(
    st.floats(min_value=-1000.0, max_value=1000.0, allow_nan=False), min_size=1, max_size=8
)


@PROPERTY
@given(logits)
def test_softmax_is_a_finite_distribution_even_for_huge_logits(o):
    p = softmax(o)
    assert np.all(np.isfinite(p))
    assert np.all((p >= 0.0) & (p <= 1.0))
    assert abs(p.sum() - 1.0) < 1e-12
    assert p[int(np.argmax(o))] == p.max()
    jac = softmax_jacobian(o)
    assert np.all(np.isfinite(jac))
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-15)


@PROPERTY
@given(st.lists(st.floats(min_value=-5.0, max_value=5.0), min_size=1, max_size=6))
def test_softmax_jacobian_matches_finite_differences(o):
    o = np.array(o)
    fd = numerical_jacobian(softmax, o)
    np.testing.assert_allclose(softmax_jacobian(o), fd, rtol=0, atol=1e-9)
