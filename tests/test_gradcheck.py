"""Every analytic gradient against central finite differences, and the checker itself."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from package_helpers import Problem, make_problem, raises_naming, reference_loss

from rnn_derivatives import (
    RNNParams,
    error_decade,
    loss_and_grads,
    numerical_grads,
    relative_error,
)

TOLERANCE = 1e-7

CASES = [
    pytest.param(loss, T, B, with_h0, id=f"{loss}-T{T}-B{B}-h0{int(with_h0)}")
    for loss in ("cross_entropy", "squared_last")
    for T in (1, 12)
    for B in (None, 3)
    for with_h0 in (False, True)
]


@pytest.mark.parametrize(("loss", "T", "B", "with_h0"), CASES)
def test_every_parameter_gradient_matches_finite_differences(loss, T, B, with_h0):
    p = make_problem(seed=100 + T, T=T, B=B, loss=loss, with_states=with_h0)
    _, grads = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    check = numerical_grads(p.params, p.xs, p.targets, **p.kwargs)
    for name, value in grads.items():
        if name == "W_hh" and T == 1 and not with_h0:
            # ∂L/∂W_hh = δ_1 h_0ᵀ and h_0 = 0: exactly zero, and so must the estimate be.
            np.testing.assert_array_equal(value, 0.0)
            np.testing.assert_array_equal(check.W_hh, 0.0)
            continue
        assert np.abs(value).max() > 1e-4, f"{name}: a vanishing gradient makes the check vacuous"
        error = relative_error(value, getattr(check, name))
        assert error < TOLERANCE, f"{name}: relative error {error:.2e}"
    assert relative_error(grads, check) < TOLERANCE


def _independent_numerical_grads(problem: Problem, eps: float = 1e-6) -> RNNParams:
    """Central differences of the test suite's own reference loss (no package code)."""
    grads = {}
    for name, value in problem.params.items():
        grad = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            losses = []
            for sign in (1.0, -1.0):
                shifted = value.copy()
                shifted[index] += sign * eps
                params = dataclasses.replace(problem.params, **{name: shifted})
                losses.append(reference_loss(dataclasses.replace(problem, params=params)))
            grad[index] = (losses[0] - losses[1]) / (2 * eps)
        grads[name] = grad
    return RNNParams(**grads)


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_last"])
def test_numerical_grads_agrees_with_an_independent_reference(loss):
    p = make_problem(seed=21, T=4, B=2, D=2, H=3, O=2, loss=loss, with_states=True)
    ours = _independent_numerical_grads(p)
    theirs = numerical_grads(p.params, p.xs, p.targets, **p.kwargs)
    assert relative_error(ours, theirs) < 1e-8
    _, analytic = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    assert relative_error(ours, analytic) < TOLERANCE


def test_numerical_grads_returns_params_shapes_and_accepts_another_eps():
    p = make_problem(seed=3, T=5, D=2, H=3, O=4)
    fine = numerical_grads(p.params, p.xs, p.targets)
    coarse = numerical_grads(p.params, p.xs, p.targets, eps=1e-4)
    for name, value in p.params.items():
        assert getattr(fine, name).shape == value.shape, name
    # The truncation error is O(ε²): ε = 1e-4 is still close, but not identical.
    assert 0.0 < relative_error(fine, coarse) < 1e-6


def test_the_check_detects_a_small_error_in_one_entry():
    p = make_problem(seed=5, T=6, loss="squared_last")
    _, grads = loss_and_grads(p.params, p.xs, p.targets, loss="squared_last")
    check = numerical_grads(p.params, p.xs, p.targets, loss="squared_last")
    wrong_W_hh = grads.W_hh.copy()
    wrong_W_hh[1, 2] *= 1.0 + 1e-4
    wrong = dataclasses.replace(grads, W_hh=wrong_W_hh)
    assert relative_error(grads, check) < TOLERANCE
    assert relative_error(wrong, check) > TOLERANCE


# --- relative_error ----------------------------------------------------------------------


def test_relative_error_of_two_zeros_is_zero():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    zeros = RNNParams(np.zeros((2, 1)), np.zeros((2, 2)), np.zeros((1, 2)))
    result = relative_error(zeros, zeros)
    assert result == 0.0
    assert isinstance(result, float)


def test_relative_error_is_the_norm_ratio():
    a, b = np.array([3.0, 4.0]), np.array([3.0, 0.0])
    assert relative_error(a, b) == pytest.approx(4.0 / 5.0, rel=1e-15)
    assert relative_error(b, a) == relative_error(a, b)
    assert relative_error(a, np.zeros(2)) == 1.0
    assert relative_error(a, a) == 0.0
    assert relative_error(1e-30 * a, 1e-30 * b) == pytest.approx(0.8, rel=1e-15)


def test_relative_error_over_all_parameters_at_once():
    a = RNNParams.random(2, 3, 2, seed=0)
    b = dataclasses.replace(a, b_y=[1.0, 0.0])
    flat_a = np.concatenate([value.ravel() for _, value in a.items()])
    flat_b = np.concatenate([value.ravel() for _, value in b.items()])
    expected = np.linalg.norm(flat_a - flat_b) / max(np.linalg.norm(flat_a), np.linalg.norm(flat_b))
    assert relative_error(a, b) == pytest.approx(expected, rel=1e-15)


def test_relative_error_accepts_integers_lists_and_scalars():
    assert relative_error([1, 2], [1, 2]) == 0.0
    assert relative_error(2, 1) == pytest.approx(0.5, rel=1e-15)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (np.ones(3), np.ones(4)),
        (np.ones((2, 3)), np.ones((3, 2))),  # same number of entries, different shapes
        (np.ones((2, 3)), np.ones(6)),
        (RNNParams.random(2, 3, 2, seed=0), RNNParams.random(3, 2, 2, seed=0)),
        (RNNParams.random(2, 3, 2, seed=0), np.ones(6 + 9 + 6 + 3 + 2)),
    ],
    ids=["lengths", "transposed", "flattened", "params-shapes", "params-vs-array"],
)
def test_relative_error_rejects_a_shape_mismatch(a, b):
    with raises_naming("a and b", "same shape"):
        relative_error(a, b)


# --- error_decade --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "decade"),
    [
        (1.3e-9, 1e-9),
        (2.8e-10, 1e-10),
        (4e-9, 1e-8),  # log10 = -8.4 rounds to -8
        (2.5e-9, 1e-9),  # log10 = -8.6 rounds to -9
        (-6e-16, 1e-15),  # the sign is dropped
        (1.0, 1.0),
        (3e5, 1e5),
        (np.float32(7e-3), 1e-2),
        (0.0, 0.0),
    ],
)
def test_error_decade_is_the_nearest_power_of_ten(x, decade):
    result = error_decade(x)
    assert result == decade  # exactly the float nearest 10**n, as f"1e{n}" parses
    assert isinstance(result, float)


@pytest.mark.parametrize("x", [float("nan"), float("inf"), -float("inf")])
def test_error_decade_rejects_a_non_finite_number(x):
    with raises_naming("x", "finite"):
        error_decade(x)


@pytest.mark.parametrize("x", ["1e-9", [1e-9, 1e-8], None])
def test_error_decade_rejects_a_non_number(x):
    with raises_naming("x"):
        error_decade(x)
