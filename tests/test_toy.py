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
    softmax,
    toy_classifier,
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


# --- the classifier toy: every term of the backward pass ---------------------------------


def test_toy_classifier_is_the_documented_example():
    params, xs, classes = toy_classifier()
    np.testing.assert_array_equal(params.W_xh, [[0.6], [-0.4]])
    np.testing.assert_array_equal(params.W_hh, [[0.5, -0.3], [0.2, 0.4]])
    np.testing.assert_array_equal(params.W_hy, [[1.0, -0.5], [-0.6, 0.8]])
    np.testing.assert_array_equal(params.b_h, [0.1, -0.1])
    np.testing.assert_array_equal(params.b_y, [0.2, -0.2])
    np.testing.assert_array_equal(xs, [[1.0], [-0.5], [0.8]])
    np.testing.assert_array_equal(classes, [0, 1, 1])
    xs[:] = 0.0  # fresh arrays on every call
    np.testing.assert_array_equal(toy_classifier()[1], [[1.0], [-0.5], [0.8]])


def test_toy_classifier_is_unsaturated_and_uses_every_term():
    """Hidden states well inside (−0.9, 0.9), so tanh' = 1 − h² stays above 0.19, and every
    gradient entry is nonzero: no term of the page's hand computation is vacuous."""
    params, xs, classes = toy_classifier()
    h = forward(params, xs).h
    assert np.abs(h[1:]).max() < 0.9 and np.abs(h[1:]).min() > 0.03
    _, grads = loss_and_grads(params, xs, classes)
    for name, value in grads.items():
        assert np.all(np.abs(value) > 1e-3), name


def test_toy_classifier_deltas_by_the_two_roads():
    """δ_t = (1 − h_t ⊙ h_t) ⊙ (W_hyᵀ (ŷ_t − y_t) + W_hhᵀ δ_{t+1}) with δ_4 = 0, written out
    with column vectors; the five gradients from it match the package and central differences."""
    params, xs, classes = toy_classifier()
    cache = forward(params, xs)
    h, T = cache.h, len(xs)
    d_o = [softmax(cache.o[t - 1]) - np.eye(2)[classes[t - 1]] for t in range(1, T + 1)]
    deltas = {T + 1: np.zeros(2)}
    for t in range(T, 0, -1):
        from_output = params.W_hy.T @ d_o[t - 1]
        from_next = params.W_hh.T @ deltas[t + 1]
        deltas[t] = (1 - h[t] * h[t]) * (from_output + from_next)
        assert np.all(from_output != 0)
        assert (t == T) == np.all(from_next == 0)  # the h_{t+1} road is empty only at t = T
    by_hand = {
        "W_xh": sum(np.outer(deltas[t], xs[t - 1]) for t in range(1, T + 1)),
        "W_hh": sum(np.outer(deltas[t], h[t - 1]) for t in range(1, T + 1)),
        "b_h": sum(deltas[t] for t in range(1, T + 1)),
        "W_hy": sum(np.outer(d_o[t - 1], h[t]) for t in range(1, T + 1)),
        "b_y": sum(d_o),
    }
    loss, grads = loss_and_grads(params, xs, classes)
    expected_loss = -sum(np.log(softmax(cache.o[t])[classes[t]]) for t in range(T))
    assert loss == pytest.approx(expected_loss, rel=1e-14)
    check = numerical_grads(params, xs, classes)
    for name, value in by_hand.items():
        np.testing.assert_allclose(getattr(grads, name), value, rtol=1e-13, err_msg=name)
        np.testing.assert_allclose(getattr(check, name), value, rtol=1e-7, err_msg=name)


@pytest.mark.parametrize("method", ["recursive", "double_sum"])
def test_toy_classifier_gradient_matches_finite_differences(method):
    params, xs, classes = toy_classifier()
    _, grads = loss_and_grads(params, xs, classes, method=method)
    assert relative_error(grads, numerical_grads(params, xs, classes)) < 1e-8
