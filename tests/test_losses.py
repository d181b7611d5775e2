"""softmax, its Jacobian, and the two losses' values."""

from __future__ import annotations

import numpy as np
import pytest
from package_helpers import make_problem, reference_loss

from rnn_derivatives import (
    RNNParams,
    forward,
    loss_and_grads,
    numerical_jacobian,
    softmax,
    softmax_jacobian,
)

# --- softmax -----------------------------------------------------------------------------


def test_softmax_matches_the_definition():
    o = np.array([0.5, -1.0, 2.0, 0.0])
    expected = np.exp(o) / np.sum(np.exp(o))
    np.testing.assert_allclose(softmax(o), expected, rtol=1e-15)


def test_softmax_rows_sum_to_one_over_the_last_axis():
    o = np.random.default_rng(0).normal(0.0, 5.0, (4, 3, 6))
    p = softmax(o)
    assert p.shape == o.shape
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-15)
    assert np.all(p > 0.0)
    np.testing.assert_allclose(p[2, 1], softmax(o[2, 1]), rtol=1e-15)


def test_softmax_is_unchanged_by_adding_a_constant():
    o = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(softmax(o + 500.0), softmax(o), rtol=1e-13)


@pytest.mark.parametrize(
    ("logits", "expected"),
    [
        ([1000.0, -1000.0, 0.0], [1.0, 0.0, 0.0]),
        ([-1000.0, -1000.0], [0.5, 0.5]),
        ([1000.0, 1000.0, -1000.0], [0.5, 0.5, 0.0]),
        ([-1000.0, 0.0], [0.0, 1.0]),
    ],
)
def test_softmax_stays_finite_for_logits_of_plus_minus_1000(logits, expected):
    p = softmax(logits)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p, expected, atol=1e-300)
    assert p.sum() == pytest.approx(1.0, abs=1e-15)


def test_softmax_accepts_integers():
    np.testing.assert_allclose(softmax([1, 2, 3]), softmax([1.0, 2.0, 3.0]), rtol=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_softmax_jacobian_matches_finite_differences(seed):
    o = np.random.default_rng(seed).normal(0.0, 2.0, 5)
    jac = softmax_jacobian(o)
    assert jac.shape == (5, 5)
    np.testing.assert_allclose(jac, numerical_jacobian(softmax, o), rtol=0, atol=1e-9)


def test_softmax_jacobian_is_diag_minus_outer_and_symmetric_with_zero_row_sums():
    o = np.array([0.1, 1.2, -0.4])
    p = softmax(o)
    jac = softmax_jacobian(o)
    np.testing.assert_allclose(jac, np.diag(p) - np.outer(p, p), rtol=1e-15)
    np.testing.assert_allclose(jac, jac.T, rtol=0, atol=0)
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=1e-16)
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-16)


def test_softmax_jacobian_finite_for_logits_of_plus_minus_1000():
    jac = softmax_jacobian([1000.0, -1000.0, 0.0])
    assert np.all(np.isfinite(jac))
    np.testing.assert_allclose(jac, np.zeros((3, 3)), atol=1e-300)
    tied = softmax_jacobian([1000.0, 1000.0])
    np.testing.assert_allclose(tied, [[0.25, -0.25], [-0.25, 0.25]], rtol=1e-15)


# --- loss values -------------------------------------------------------------------------


@pytest.mark.parametrize("B", [None, 3])
@pytest.mark.parametrize("loss", ["cross_entropy", "squared_last"])
def test_loss_value_matches_the_definition(loss, B):
    p = make_problem(seed=4, T=6, B=B, loss=loss, with_states=True)
    value, _ = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    assert isinstance(value, float)
    assert value == pytest.approx(reference_loss(p), rel=1e-13)


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_last"])
def test_batch_loss_and_gradient_are_the_sums_over_sequences(loss):
    p = make_problem(seed=8, T=5, B=4, loss=loss, with_states=True)
    total, grads = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    values, parts = [], []
    for b in range(4):
        targets_b = p.targets[:, b] if loss == "cross_entropy" else p.targets[b]
        value, g = loss_and_grads(p.params, p.xs[:, b], targets_b, loss=loss, h0=p.h0[b])
        values.append(value)
        parts.append(g)
    assert total == pytest.approx(sum(values), rel=1e-14)
    for name, value in grads.items():
        summed = sum(getattr(g, name) for g in parts)
        np.testing.assert_allclose(value, summed, rtol=1e-12, atol=1e-15, err_msg=name)


def test_cross_entropy_stays_finite_for_logits_of_plus_minus_1000():
    """With h = 0 the logits are b_y exactly: L = −log softmax(b_y)[y]."""
    params = RNNParams(
        W_xh=np.zeros((1, 1)),
        W_hh=np.zeros((1, 1)),
        W_hy=np.zeros((3, 1)),
        b_y=[1000.0, -1000.0, 0.0],
    )
    xs = np.zeros((3, 1))
    loss, grads = loss_and_grads(params, xs, [0, 1, 2])
    assert loss == pytest.approx(0.0 + 2000.0 + 1000.0, rel=1e-15)
    assert all(np.all(np.isfinite(value)) for _, value in grads.items())
    # ∂L/∂b_y = Σ_t (ŷ_t − onehot(y_t)) with ŷ_t = (1, 0, 0) at every step.
    np.testing.assert_allclose(grads.b_y, [3.0 - 1.0, -1.0, -1.0], atol=1e-300)


def test_cross_entropy_of_a_uniform_prediction_is_log_O_per_step():
    params = RNNParams(W_xh=np.zeros((2, 1)), W_hh=np.zeros((2, 2)), W_hy=np.zeros((5, 2)))
    loss, _ = loss_and_grads(params, np.ones((4, 1)), [0, 1, 2, 4])
    assert loss == pytest.approx(4 * np.log(5), rel=1e-15)


def test_cross_entropy_accepts_integer_ids_of_any_int_dtype_and_whole_floats():
    p = make_problem(seed=2, T=4, O=3)
    reference, _ = loss_and_grads(p.params, p.xs, p.targets)
    for targets in (p.targets.astype(np.int32), p.targets.astype(np.uint8), p.targets.tolist()):
        assert loss_and_grads(p.params, p.xs, targets)[0] == reference
    assert loss_and_grads(p.params, p.xs, p.targets.astype(float))[0] == reference


def test_squared_last_scores_only_the_last_output():
    p = make_problem(seed=6, T=5, loss="squared_last")
    _, grads = loss_and_grads(p.params, p.xs, p.targets, loss="squared_last")
    # ∂L/∂o_t = 0 for t < T, so the output-layer gradients are (o_T − y) h_Tᵀ and o_T − y.
    cache = forward(p.params, p.xs)
    diff = cache.o[-1] - p.targets
    np.testing.assert_allclose(grads.W_hy, np.outer(diff, cache.h[-1]), rtol=1e-14)
    np.testing.assert_allclose(grads.b_y, diff, rtol=1e-14)


def test_squared_last_accepts_a_plain_number_when_O_is_1():
    params = RNNParams.random(2, 3, 1, seed=0, scale=0.5)
    xs = np.random.default_rng(1).normal(size=(4, 2))
    as_number, g1 = loss_and_grads(params, xs, 0.75, loss="squared_last")
    as_array, g2 = loss_and_grads(params, xs, np.array([0.75]), loss="squared_last")
    as_int, _ = loss_and_grads(params, xs, 2, loss="squared_last")
    assert as_number == as_array
    np.testing.assert_array_equal(g1.W_hh, g2.W_hh)
    assert as_int == loss_and_grads(params, xs, 2.0, loss="squared_last")[0]


def test_squared_last_accepts_integer_targets():
    p = make_problem(seed=1, T=3, B=2, loss="squared_last")
    targets = np.array([[1, 0, -2], [0, 3, 1]])
    assert (
        loss_and_grads(p.params, p.xs, targets, loss="squared_last")[0]
        == loss_and_grads(p.params, p.xs, targets.astype(float), loss="squared_last")[0]
    )
