"""Truncated BPTT, both kinds: ``loss_and_grads(..., truncate=K)`` and chunked_loss_and_grads.

Truncated gradients are not gradients of L, but each is the exact gradient of another function:
L_t computed from a frozen earlier state. The finite-difference checks below differentiate
those functions directly, independently of any backward code.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from package_helpers import make_problem

from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RNNParams,
    central_differences,
    chunked_loss_and_grads,
    forward,
    hidden_jacobian,
    loss_and_grads,
    numerical_grads,
    relative_error,
    softmax,
)

T = 6


@pytest.fixture
def problem():
    """A small network with saturating weights, one sequence of T steps, class targets."""
    rng = np.random.default_rng(3)
    params = RNNParams.random(2, 3, 3, seed=4, scale=0.9)
    params = dataclasses.replace(params, b_h=rng.normal(size=3), b_y=rng.normal(size=3))
    xs = rng.normal(size=(T, 2))
    targets = rng.integers(0, 3, size=T)
    return params, xs, targets


def windowed_loss(params, xs, targets, frozen, K):
    """Σ_t L_t with the forward pass for L_t started from the frozen state at step t − K (or
    0): h, and an LSTM's c, taken from the trace ``frozen`` of the full forward pass."""
    total = 0.0
    for t in range(1, len(xs) + 1):
        start = max(t - K, 0)
        c0 = None if frozen.c is None else frozen.c[start]
        o_t = forward(params, xs[start:t], h0=frozen.h[start], c0=c0).o[-1]
        total -= np.log(softmax(o_t)[targets[t - 1]])
    return total


@pytest.mark.parametrize("K", [1, 2, 4])
def test_truncated_gradient_is_the_gradient_of_the_windowed_loss(problem, K):
    params, xs, targets = problem
    frozen = forward(params, xs)
    expected = central_differences(lambda p: windowed_loss(p, xs, targets, frozen, K), params)
    _, grads = loss_and_grads(params, xs, targets, truncate=K)
    assert relative_error(grads, expected) < 1e-7


#: The gated cells, each with a random problem of T steps (every entry drawn, biases included).
GATED = [pytest.param(kind, id=kind.__name__) for kind in (LSTMParams, GRUParams)]


@pytest.mark.parametrize("K", [1, 2, 4])
@pytest.mark.parametrize("kind", GATED)
def test_gated_truncated_gradient_is_the_gradient_of_the_windowed_loss(kind, K):
    params, xs, targets = make_problem(kind, seed=7, T=T, D=2, H=3, scale=0.9).args
    frozen = forward(params, xs)
    expected = central_differences(lambda p: windowed_loss(p, xs, targets, frozen, K), params)
    _, grads = loss_and_grads(params, xs, targets, truncate=K)
    assert relative_error(grads, expected) < 1e-7
    assert relative_error(grads, loss_and_grads(params, xs, targets)[1]) > 1e-6  # it truncates


@pytest.mark.parametrize("K", [1, 2, 4])
@pytest.mark.parametrize("kind", GATED)
def test_gated_chunked_gradient_is_the_sum_of_chunk_gradients_from_frozen_states(kind, K):
    params, xs, targets = make_problem(kind, seed=8, T=T, D=2, H=3, scale=0.9).args
    frozen = forward(params, xs)
    parts = [
        numerical_grads(
            params,
            xs[s : s + K],
            targets[s : s + K],
            h0=frozen.h[s],
            **({} if frozen.c is None else {"c0": frozen.c[s]}),
        )
        for s in range(0, T, K)
    ]
    expected = kind(**{n: sum(getattr(g, n) for g in parts) for n, _ in params.items()})
    loss, grads = loss_and_grads(params, xs, targets, chunk=K)
    assert relative_error(grads, expected) < 1e-7
    assert loss == pytest.approx(loss_and_grads(params, xs, targets)[0], rel=1e-14)


@pytest.mark.parametrize("K", [1, 2, 3, 5, 6, 9])
def test_truncated_recursion_matches_the_restricted_double_sum(problem, K):
    params, xs, targets = problem
    _, recursive = loss_and_grads(params, xs, targets, truncate=K)
    _, double_sum = loss_and_grads(params, xs, targets, truncate=K, method="double_sum")
    assert relative_error(recursive, double_sum) < 1e-12


@pytest.mark.parametrize("K", [1, 3])
def test_truncated_w_hh_gradient_is_the_inner_sum_over_the_last_K_steps(problem, K):
    params, xs, targets = problem
    cache = forward(params, xs)
    expected = np.zeros((3, 3))
    for t in range(1, T + 1):
        d_o = softmax(cache.o[t - 1]) - np.eye(3)[targets[t - 1]]  # ∂L_t/∂o_t
        dLt_dht = d_o @ params.W_hy
        for k in range(max(t - K + 1, 1), t + 1):  # t − K < k ≤ t
            delta = (dLt_dht @ hidden_jacobian(params, cache, t, k)) * (1 - cache.h[k] ** 2)
            expected += np.outer(delta, cache.h[k - 1])
    _, grads = loss_and_grads(params, xs, targets, truncate=K)
    np.testing.assert_allclose(grads.W_hh, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("K", [T, T + 1, 100])
@pytest.mark.parametrize("method", ["recursive", "double_sum"])
def test_truncation_at_or_beyond_T_is_full_bptt(problem, K, method):
    params, xs, targets = problem
    full_loss, full = loss_and_grads(params, xs, targets)
    loss, grads = loss_and_grads(params, xs, targets, truncate=K, method=method)
    assert loss == full_loss
    assert relative_error(grads, full) < 1e-14


def test_short_truncation_differs_from_the_gradient(problem):
    params, xs, targets = problem
    _, full = loss_and_grads(params, xs, targets)
    _, grads = loss_and_grads(params, xs, targets, truncate=2)
    assert relative_error(grads, full) > 1e-3
    assert np.array_equal(grads.W_hy, full.W_hy)  # the output layer is never truncated
    assert np.array_equal(grads.b_y, full.b_y)


def test_truncation_works_on_a_batch_and_on_squared_last():
    params = RNNParams.random(2, 4, 2, seed=0, scale=0.8)
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(5, 3, 2))
    target = rng.normal(size=(3, 2))
    for K in (1, 2, 4):
        _, rec = loss_and_grads(params, xs, target, loss="squared_last", truncate=K)
        _, dbl = loss_and_grads(
            params, xs, target, loss="squared_last", truncate=K, method="double_sum"
        )
        assert relative_error(rec, dbl) < 1e-12
        # Only L_T is scored, so a batch is the sum of its sequences.
        parts = [
            loss_and_grads(params, xs[:, b], target[b], loss="squared_last", truncate=K)[1]
            for b in range(3)
        ]
        np.testing.assert_allclose(rec.W_hh, sum(p.W_hh for p in parts), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("bad", [0, -1, 1.5, 2.0, True, "3"])
def test_bad_truncate_raises_a_value_error_naming_it(problem, bad):
    params, xs, targets = problem
    with pytest.raises(ValueError, match="truncate must be an integer >= 1"):
        loss_and_grads(params, xs, targets, truncate=bad)


def test_truncation_leaves_the_inputs_unchanged(problem):
    params, xs, targets = problem
    xs_copy, targets_copy = xs.copy(), targets.copy()
    loss_and_grads(params, xs, targets, truncate=2)
    chunked_loss_and_grads(params, xs, targets, chunk=2)
    np.testing.assert_array_equal(xs, xs_copy)
    np.testing.assert_array_equal(targets, targets_copy)


# Chunked truncated BPTT (carry h forward, stop the gradient at chunk boundaries).


@pytest.mark.parametrize("K", [1, 2, 4])
def test_chunked_gradient_is_the_sum_of_chunk_gradients_from_frozen_states(problem, K):
    params, xs, targets = problem
    frozen_h = forward(params, xs).h
    expected = [
        numerical_grads(params, xs[s : s + K], targets[s : s + K], h0=frozen_h[s])
        for s in range(0, T, K)
    ]
    expected = RNNParams(**{n: sum(getattr(g, n) for g in expected) for n, _ in params.items()})
    _, grads = chunked_loss_and_grads(params, xs, targets, chunk=K)
    assert relative_error(grads, expected) < 1e-7


@pytest.mark.parametrize("K", [1, 2, 4, T, 50])
def test_chunked_loss_is_the_full_loss(problem, K):
    params, xs, targets = problem
    h0 = np.array([0.3, -0.2, 0.1])
    loss, _ = chunked_loss_and_grads(params, xs, targets, chunk=K, h0=h0)
    assert loss == pytest.approx(loss_and_grads(params, xs, targets, h0=h0)[0], rel=1e-14)


def test_chunks_of_T_or_more_give_full_bptt_and_chunks_of_one_match_truncate_one(problem):
    params, xs, targets = problem
    _, full = loss_and_grads(params, xs, targets)
    assert relative_error(chunked_loss_and_grads(params, xs, targets, chunk=T)[1], full) == 0.0
    _, one = loss_and_grads(params, xs, targets, truncate=1)
    assert relative_error(chunked_loss_and_grads(params, xs, targets, chunk=1)[1], one) < 1e-14


def test_chunked_batch_equals_the_sum_over_its_sequences():
    params = RNNParams.random(2, 4, 3, seed=1, scale=0.8)
    rng = np.random.default_rng(1)
    xs, targets = rng.normal(size=(7, 3, 2)), rng.integers(0, 3, size=(7, 3))
    loss, grads = chunked_loss_and_grads(params, xs, targets, chunk=3)
    parts = [chunked_loss_and_grads(params, xs[:, b], targets[:, b], chunk=3) for b in range(3)]
    assert loss == pytest.approx(sum(p[0] for p in parts), rel=1e-14)
    np.testing.assert_allclose(grads.W_xh, sum(p[1].W_xh for p in parts), rtol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chunk": 0}, "chunk must be an integer >= 1"),
        ({"chunk": 2.0}, "chunk must be an integer >= 1"),
        (
            {"chunk": 2, "h0": np.zeros(4)},
            r"h0 must be \(H,\) = \(3,\) because params.W_hy has 3 columns",
        ),
    ],
)
def test_bad_chunked_arguments_raise_value_errors_naming_them(problem, kwargs, message):
    params, xs, targets = problem
    with pytest.raises(ValueError, match=message):
        chunked_loss_and_grads(params, xs, targets, **kwargs)


def test_chunked_targets_must_be_class_ids(problem):
    params, xs, _ = problem
    with pytest.raises(
        ValueError, match="targets must be \\(T,\\) = \\(6,\\) because xs has 6 time steps"
    ):
        chunked_loss_and_grads(params, xs, np.zeros(3), chunk=2)
