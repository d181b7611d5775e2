"""Jacobian norms, the σ_max bound, ρ versus σ_max, and the per-step terms of ∂L/∂W_hh."""

from __future__ import annotations

import numpy as np
import pytest
from package_helpers import fd_hidden_jacobian

from rnn_derivatives import (
    RNNParams,
    forward,
    jacobian_norms,
    largest_singular_value,
    loss_and_grads,
    scaled_network,
    spectral_radius,
    w_hh_grad_terms,
)


def test_jacobian_norms_are_spectral_norms_of_the_finite_difference_jacobians():
    params, xs = scaled_network(1.2, n_hidden=5, n_steps=8, seed=2)
    norms = jacobian_norms(params, forward(params, xs), 8)
    assert norms.shape == (9,)
    assert norms[0] == pytest.approx(1.0, abs=1e-15)
    for lag in (1, 3, 7):
        expected = np.linalg.norm(fd_hidden_jacobian(params, xs, 8, 8 - lag), 2)
        assert norms[lag] == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("seed", range(5))
def test_jacobian_norms_respect_the_sigma_max_bound(seed):
    params = RNNParams.random(3, 6, 2, seed=seed, scale=0.6)
    xs = np.random.default_rng(seed).normal(size=(12, 3))
    norms = jacobian_norms(params, forward(params, xs), 12)
    bound = largest_singular_value(params.W_hh) ** np.arange(13)
    assert np.all(norms <= bound * (1 + 1e-12))


def test_jacobian_norms_at_an_earlier_step_and_bad_input():
    params, xs = scaled_network(0.9, n_hidden=4, n_steps=6)
    cache = forward(params, xs)
    assert jacobian_norms(params, cache, 3).shape == (4,)
    with pytest.raises(ValueError, match=r"t must be an integer in \[0, 6\]"):
        jacobian_norms(params, cache, 7)
    batched = forward(params, xs[:, None, :])
    with pytest.raises(ValueError, match="cache must be the forward pass of one sequence"):
        jacobian_norms(params, batched, 3)


def test_spectral_radius_and_largest_singular_value_differ_for_a_non_normal_matrix():
    W = [[0.5, 2.0], [0.0, 0.5]]  # eigenvalues 0.5, 0.5; σ_max = (2 + √(4 + 4·0.25)) / 2
    assert spectral_radius(W) == pytest.approx(0.5, rel=1e-12)
    assert largest_singular_value(W) == pytest.approx((2 + np.sqrt(5)) / 2, rel=1e-12)
    powers = [np.linalg.norm(np.linalg.matrix_power(np.array(W), n), 2) for n in range(1, 9)]
    assert powers[0] > 1 and powers[1] > 1 and powers[-1] < 1  # grows first, then decays


def test_spectral_quantities_agree_for_a_symmetric_matrix():
    W = np.array([[0.2, -0.7], [-0.7, 0.1]])
    assert spectral_radius(W) == pytest.approx(largest_singular_value(W), rel=1e-12)


@pytest.mark.parametrize("fn", [spectral_radius, largest_singular_value])
def test_spectral_quantities_reject_a_non_square_matrix(fn):
    with pytest.raises(
        ValueError, match=r"W_hh must be \(H, H\) = \(2, 2\) because W_hh has 2 rows; got \(2, 3\)"
    ):
        fn(np.ones((2, 3)))


def test_scaled_network_has_rho_equal_sigma_max_equal_scale_and_shared_draws():
    a, xs_a = scaled_network(0.5, n_hidden=6, n_steps=4, seed=7)
    b, xs_b = scaled_network(2.0, n_hidden=6, n_steps=4, seed=7)
    for params, s in ((a, 0.5), (b, 2.0)):
        assert spectral_radius(params.W_hh) == pytest.approx(s, rel=1e-12)
        assert largest_singular_value(params.W_hh) == pytest.approx(s, rel=1e-12)
    np.testing.assert_allclose(a.W_hh / 0.5, b.W_hh / 2.0, rtol=1e-14)
    np.testing.assert_array_equal(a.W_xh, b.W_xh)
    np.testing.assert_array_equal(xs_a, xs_b)
    assert xs_a.shape == (4, 4) and a.W_hy.shape == (3, 6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0.0}, "scale must be a finite number > 0"),
        ({"scale": 1.0, "n_hidden": 0}, "n_hidden must be an integer >= 1"),
        ({"scale": 1.0, "n_steps": 2.5}, "n_steps must be an integer >= 1"),
    ],
)
def test_scaled_network_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        scaled_network(**kwargs)


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_last"])
def test_w_hh_terms_sum_to_the_gradient(loss):
    params = RNNParams.random(2, 4, 3, seed=5, scale=0.7)
    rng = np.random.default_rng(5)
    xs = rng.normal(size=(6, 2, 2))
    targets = rng.integers(0, 3, (6, 2)) if loss == "cross_entropy" else rng.normal(size=(2, 3))
    h0 = rng.normal(size=(2, 4))
    terms = w_hh_grad_terms(params, xs, targets, loss=loss, h0=h0)
    assert terms.shape == (6, 4, 4)
    _, grads = loss_and_grads(params, xs, targets, loss=loss, h0=h0)
    np.testing.assert_allclose(terms.sum(axis=0), grads.W_hh, rtol=1e-12, atol=1e-15)


def test_w_hh_terms_for_a_last_step_loss_carry_the_hidden_jacobian():
    params, xs = scaled_network(0.9, n_hidden=5, n_steps=7)
    y = np.array([0.5, -1.0, 0.2])
    cache = forward(params, xs)
    terms = w_hh_grad_terms(params, xs, y, loss="squared_last")
    dL_dhT = (cache.o[-1] - y) @ params.W_hy
    for k in range(1, 8):
        jac = fd_hidden_jacobian(params, xs, 7, k)
        expected = np.outer((dL_dhT @ jac) * (1 - cache.h[k] ** 2), cache.h[k - 1])
        np.testing.assert_allclose(terms[k - 1], expected, rtol=1e-6, atol=1e-12)
    assert np.all(terms[0] == 0.0)  # h_0 = 0
