"""The two BPTT forms agree, and hidden_jacobian is the Jacobian of the hidden states."""

from __future__ import annotations

import numpy as np
import pytest
from package_helpers import GRADIENT_CASES, fd_hidden_jacobian, make_problem

from rnn_derivatives import (
    RNNParams,
    forward,
    hidden_jacobian,
    loss_and_grads,
    relative_error,
    toy_network,
)


@pytest.mark.parametrize(("loss", "T", "B", "with_h0"), GRADIENT_CASES)
def test_recursive_equals_double_sum(loss, T, B, with_h0):
    p = make_problem(seed=T, T=T, B=B, loss=loss, with_states=with_h0)
    loss_r, grads_r = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs, method="recursive")
    loss_d, grads_d = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs, method="double_sum")
    assert loss_r == loss_d
    assert relative_error(grads_r, grads_d) < 1e-12
    for name, value in grads_r.items():
        assert relative_error(value, getattr(grads_d, name)) < 1e-12, name


def test_recursive_is_the_default_method():
    p = make_problem(seed=1, T=4)
    _, default = loss_and_grads(p.params, p.xs, p.targets)
    _, recursive = loss_and_grads(p.params, p.xs, p.targets, method="recursive")
    for name, value in default.items():
        np.testing.assert_array_equal(value, getattr(recursive, name), err_msg=name)


def test_cross_entropy_is_the_default_loss():
    p = make_problem(seed=1, T=4)
    default, _ = loss_and_grads(p.params, p.xs, p.targets)
    assert default == loss_and_grads(p.params, p.xs, p.targets, loss="cross_entropy")[0]


def test_gradients_have_the_shapes_of_the_parameters():
    p = make_problem(seed=0, T=3, D=2, H=5, O=4)
    _, grads = loss_and_grads(p.params, p.xs, p.targets)
    assert isinstance(grads, RNNParams)
    for name, value in p.params.items():
        assert getattr(grads, name).shape == value.shape, name


def test_gradient_is_zero_when_nothing_can_lower_the_loss():
    """squared_last with a target equal to o_T: every gradient vanishes."""
    p = make_problem(seed=2, T=5, loss="squared_last")
    o_T = forward(p.params, p.xs).o[-1]
    loss, grads = loss_and_grads(p.params, p.xs, o_T, loss="squared_last")
    assert loss == 0.0
    for name, value in grads.items():
        np.testing.assert_array_equal(value, np.zeros_like(value), err_msg=name)


# --- hidden_jacobian ---------------------------------------------------------------------


@pytest.mark.parametrize(("t", "k"), [(1, 0), (3, 2), (4, 1), (6, 0), (6, 3), (6, 5)])
def test_hidden_jacobian_matches_finite_differences(t, k):
    p = make_problem(seed=11, T=6, H=4, with_states=True, scale=0.8)
    cache = forward(p.params, p.xs, p.h0)
    jac = hidden_jacobian(p.params, cache, t, k)
    assert jac.shape == (4, 4)
    fd = fd_hidden_jacobian(p.params, p.xs, t, k, p.h0)
    assert np.abs(fd).max() > 1e-3  # a vanished Jacobian would make the comparison vacuous
    np.testing.assert_allclose(jac, fd, rtol=0, atol=1e-9)


def test_hidden_jacobian_of_the_toy_network_matches_finite_differences():
    params, xs, _ = toy_network()
    cache = forward(params, xs)
    for t in range(1, 4):
        for k in range(t):
            fd = fd_hidden_jacobian(params, xs, t, k)
            np.testing.assert_allclose(
                hidden_jacobian(params, cache, t, k), fd, rtol=0, atol=1e-9, err_msg=f"{t},{k}"
            )


def test_one_step_jacobian_is_diag_one_minus_h_squared_times_W_hh():
    p = make_problem(seed=4, T=3)
    cache = forward(p.params, p.xs)
    expected = np.diag(1.0 - cache.h[2] ** 2) @ p.params.W_hh
    np.testing.assert_allclose(hidden_jacobian(p.params, cache, 2, 1), expected, rtol=1e-15)


def test_hidden_jacobian_chains_newest_factor_on_the_left():
    """∂h_5/∂h_1 = (∂h_5/∂h_3)(∂h_3/∂h_1): the chain rule, in order."""
    p = make_problem(seed=4, T=5, scale=0.9)
    cache = forward(p.params, p.xs)
    whole = hidden_jacobian(p.params, cache, 5, 1)
    split = hidden_jacobian(p.params, cache, 5, 3) @ hidden_jacobian(p.params, cache, 3, 1)
    np.testing.assert_allclose(whole, split, rtol=1e-13, atol=1e-16)
    wrong_order = hidden_jacobian(p.params, cache, 3, 1) @ hidden_jacobian(p.params, cache, 5, 3)
    assert not np.allclose(whole, wrong_order)


@pytest.mark.parametrize("t", [0, 2, 4])
def test_hidden_jacobian_is_the_identity_when_t_equals_k(t):
    p = make_problem(seed=0, T=4, H=3)
    cache = forward(p.params, p.xs)
    np.testing.assert_array_equal(hidden_jacobian(p.params, cache, t, t), np.eye(3))


@pytest.mark.parametrize(("t", "k"), [(0, 1), (2, 3), (1, 4)])
def test_hidden_jacobian_is_zero_when_k_is_later_than_t(t, k):
    p = make_problem(seed=0, T=4, H=3)
    cache = forward(p.params, p.xs)
    np.testing.assert_array_equal(hidden_jacobian(p.params, cache, t, k), np.zeros((3, 3)))


def test_hidden_jacobian_keeps_float32():
    params = RNNParams.random(2, 3, 2, seed=0, scale=0.5).astype(np.float32)
    cache = forward(params, np.ones((3, 2)))
    assert hidden_jacobian(params, cache, 3, 0).dtype == np.float32
    assert hidden_jacobian(params, cache, 0, 3).dtype == np.float32
