"""rnn_derivatives.fast computes what the readable code computes: same forward pass, same loss,
same gradients (checked against method="recursive" and against central differences)."""

from __future__ import annotations

import numpy as np
import pytest
from package_helpers import GRADIENT_CASES, make_problem, raises_naming

from rnn_derivatives import (
    RNNParams,
    Workspace,
    fast_loss_and_grads,
    forward,
    loss_and_grads,
    numerical_grads,
    relative_error,
)
from rnn_derivatives.fast import fast_forward, tanh_into


@pytest.mark.parametrize(("loss", "T", "B", "with_h0"), GRADIENT_CASES)
def test_fast_equals_the_readable_recursion(loss, T, B, with_h0):
    p = make_problem(seed=T + 7, T=T, B=B, loss=loss, with_states=with_h0)
    expected_loss, expected = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    got_loss, got = fast_loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    assert got_loss == pytest.approx(expected_loss, rel=1e-14)
    for name, value in expected.items():
        assert getattr(got, name).shape == value.shape, name
        assert relative_error(getattr(got, name), value) < 1e-13, name


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_last"])
def test_fast_gradient_matches_central_differences(loss):
    p = make_problem(seed=3, T=6, B=2, D=3, H=4, O=3, loss=loss, with_states=True)
    _, grads = fast_loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
    check = numerical_grads(p.params, p.xs, p.targets, **p.kwargs)
    assert relative_error(grads, check) < 1e-7
    for name, value in grads.items():
        assert relative_error(value, getattr(check, name)) < 1e-6, name


def test_fast_forward_matches_the_driver():
    p = make_problem(seed=5, T=9, B=4, with_states=True)
    expected = forward(p.params, p.xs, p.h0)
    got = dict(zip(("h", "o"), fast_forward(p.params, expected.xs, expected.h[0]), strict=True))
    for field in ("h", "o"):
        want, have = getattr(expected, field), got[field]
        assert have.shape == want.shape, field
        np.testing.assert_allclose(have, want, rtol=1e-14, atol=1e-15, err_msg=field)


def test_tanh_into_is_tanh_to_within_four_units_in_the_last_place_of_one():
    z = np.concatenate([np.linspace(-1000, 1000, 20001), np.geomspace(1e-300, 40, 5000)])
    z = np.concatenate([z, -z])
    out = np.empty_like(z)
    with np.errstate(over="ignore"):
        tanh_into(z, out)
    assert np.max(np.abs(out - np.tanh(z))) < 4e-16
    assert np.all(out[np.abs(z) > 20] == np.sign(z[np.abs(z) > 20]))  # saturates exactly


def test_saturated_units_give_no_warning_and_the_same_gradient():
    p = make_problem(seed=2, T=5, B=2, scale=400.0)  # |z| in the hundreds: e^{2z} overflows
    expected_loss, expected = loss_and_grads(p.params, p.xs, p.targets)
    got_loss, got = fast_loss_and_grads(p.params, p.xs, p.targets)  # RuntimeWarning = error
    assert got_loss == pytest.approx(expected_loss, rel=1e-14)
    assert relative_error(got, expected) < 1e-13


def test_float32_stays_float32_and_agrees_with_float64():
    p = make_problem(seed=4, T=20, B=3, D=5, H=6, O=4)
    p32 = p.params.astype(np.float32)
    loss32, grads32 = fast_loss_and_grads(p32, p.xs, p.targets)
    _, grads64 = loss_and_grads(p32.astype(np.float64), p.xs.astype(np.float32), p.targets)
    for name, value in grads32.items():
        assert value.dtype == np.float32, name
    assert relative_error(grads32, grads64) < 1e-5
    assert isinstance(loss32, float)


def test_fast_leaves_its_inputs_unchanged():
    p = make_problem(seed=6, T=4, B=2, with_states=True)
    xs, h0, targets = p.xs.copy(), p.h0.copy(), p.targets.copy()
    fast_loss_and_grads(p.params, xs, targets, h0=h0)
    np.testing.assert_array_equal(xs, p.xs)
    np.testing.assert_array_equal(h0, p.h0)
    np.testing.assert_array_equal(targets, p.targets)


def test_fast_checks_its_inputs_like_loss_and_grads():
    params = RNNParams.random(2, 3, 4, seed=0)
    with raises_naming("xs", "(T, D) = (3, 2) because params.W_xh has 2 columns"):
        fast_loss_and_grads(params, np.zeros((3, 3)), [0, 1, 2])
    with raises_naming("targets", "[0, 3]"):
        fast_loss_and_grads(params, np.zeros((3, 2)), [0, 1, 4])
    with raises_naming("loss", "'cross_entropy'"):
        fast_loss_and_grads(params, np.zeros((3, 2)), [0, 1, 2], loss="hinge")


def test_a_workspace_gives_the_same_results_and_keeps_none_of_them():
    workspace = Workspace()
    first = make_problem(seed=8, T=7, B=3, with_states=True)
    other = make_problem(seed=9, T=4, B=2, H=5, loss="squared_last")
    _, alone = fast_loss_and_grads(first.params, first.xs, first.targets, **first.kwargs)
    loss1, grads1 = fast_loss_and_grads(
        first.params, first.xs, first.targets, **first.kwargs, workspace=workspace
    )
    kept = {name: value.copy() for name, value in grads1.items()}
    for p in (other, first, first):  # other shapes, then the same shapes again
        loss, grads = fast_loss_and_grads(
            p.params, p.xs, p.targets, **p.kwargs, workspace=workspace
        )
        expected_loss, expected = loss_and_grads(p.params, p.xs, p.targets, **p.kwargs)
        assert loss == pytest.approx(expected_loss, rel=1e-14)
        assert relative_error(grads, expected) < 1e-13
    assert loss1 == loss
    for name, value in grads1.items():
        np.testing.assert_array_equal(value, kept[name], err_msg=name)  # not overwritten
        np.testing.assert_array_equal(value, getattr(alone, name), err_msg=name)


def test_workspace_returns_the_same_array_while_shape_and_dtype_stay():
    workspace = Workspace()
    a = workspace.array("z", (3, 2), np.dtype(np.float64))
    assert workspace.array("z", (3, 2), np.dtype(np.float64)) is a
    assert workspace.array("z", (3, 2), np.dtype(np.float32)).dtype == np.float32
    assert workspace.array("z", (4, 2), np.dtype(np.float32)).shape == (4, 2)
