"""The worked 2-unit example: the numbers the site computes by hand."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_derivatives import (
    forward,
    loss_and_grads,
    numerical_grads,
    relative_error,
    sgd_step,
    toy_network,
)

#: The hand-worked values, to the digits the issue states them.
H_1 = [0.37994896, 0.19737532]
H_2 = [0.87975882, 0.97711011]
H_3 = [0.9986059, 0.99999815]
Y_HAT = 5.99720442
DIGITS = 5e-9  # half a unit of the 8th decimal


def test_toy_network_is_the_documented_example():
    params, xs, y = toy_network()
    np.testing.assert_array_equal(params.W_xh, [[2.0], [1.0]])
    np.testing.assert_array_equal(params.W_hh, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(params.W_hy, [[2.0, 4.0]])
    np.testing.assert_array_equal(params.b_h, [0.0, 0.0])
    np.testing.assert_array_equal(params.b_y, [0.0])
    np.testing.assert_array_equal(xs, [[0.2], [0.3], [0.4]])
    assert y == 7.0


def test_toy_forward_reproduces_the_hand_worked_states():
    params, xs, _ = toy_network()
    cache = forward(params, xs)
    np.testing.assert_array_equal(cache.h[0], [0.0, 0.0])
    np.testing.assert_allclose(cache.h[1], H_1, rtol=0, atol=DIGITS)
    np.testing.assert_allclose(cache.h[2], H_2, rtol=0, atol=DIGITS)
    np.testing.assert_allclose(cache.h[3], H_3, rtol=0, atol=DIGITS)
    np.testing.assert_allclose(cache.o[-1], [Y_HAT], rtol=0, atol=DIGITS)


def test_toy_first_state_by_hand():
    """h_1 = tanh(W x_1) since h_0 = 0: tanh(0.4) and tanh(0.2)."""
    params, xs, _ = toy_network()
    np.testing.assert_allclose(forward(params, xs).h[1], np.tanh([0.4, 0.2]), rtol=1e-15)


def test_toy_loss_is_half_squared_error_of_the_last_output():
    params, xs, y = toy_network()
    loss, _ = loss_and_grads(params, xs, y, loss="squared_last")
    assert isinstance(loss, float)
    assert loss == pytest.approx(0.5 * (Y_HAT - y) ** 2, abs=1e-8)


def test_toy_output_weight_gradient_by_hand():
    """∂L/∂w = (ŷ − y) h_3ᵀ and ∂L/∂b_y = ŷ − y: only the last output is scored."""
    params, xs, y = toy_network()
    _, grads = loss_and_grads(params, xs, y, loss="squared_last")
    h_3 = forward(params, xs).h[3]
    y_hat = forward(params, xs).o[-1, 0]
    np.testing.assert_allclose(grads.W_hy, [(y_hat - y) * h_3], rtol=1e-13)
    np.testing.assert_allclose(grads.b_y, [y_hat - y], rtol=1e-13)


@pytest.mark.parametrize("method", ["recursive", "double_sum"])
def test_toy_gradient_matches_finite_differences(method):
    params, xs, y = toy_network()
    _, grads = loss_and_grads(params, xs, y, loss="squared_last", method=method)
    check = numerical_grads(params, xs, y, loss="squared_last")
    assert relative_error(grads, check) < 1e-7
    for name, value in grads.items():
        assert np.all(np.isfinite(value)), name
        assert np.abs(value).max() > 0.0, f"{name}: a zero gradient would make the check vacuous"
        np.testing.assert_allclose(value, getattr(check, name), rtol=1e-6, atol=1e-9, err_msg=name)


def test_one_sgd_step_lowers_the_toy_loss():
    params, xs, y = toy_network()
    before, grads = loss_and_grads(params, xs, y, loss="squared_last")
    stepped = sgd_step(params, grads, lr=0.001)
    after, _ = loss_and_grads(stepped, xs, y, loss="squared_last")
    assert after < before
    # The step is the one it claims to be, and the original parameters are untouched.
    np.testing.assert_allclose(stepped.W_hy, params.W_hy - 0.001 * grads.W_hy, rtol=1e-15)
    np.testing.assert_array_equal(params.W_hy, [[2.0, 4.0]])


def test_toy_network_returns_fresh_arrays():
    _, xs, _ = toy_network()
    xs[:] = 0.0
    _, xs_again, _ = toy_network()
    np.testing.assert_array_equal(xs_again, [[0.2], [0.3], [0.4]])
