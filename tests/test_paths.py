"""`path_grads`: the backward pass with routes cut equals central differences of a path-cut model.

The path-cut model (tests/path_cut_model.py) is written independently of the package's cells.
"""

from __future__ import annotations

import numpy as np
import pytest
from package_helpers import make_problem, raises_naming
from path_cut_model import ROUTES, states

from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RNNParams,
    backprop_states,
    central_differences,
    hidden_grads,
    numerical_jacobian,
    path_grads,
    relative_error,
)

T, B, D, H = 5, 2, 3, 3


def cut_loss(p, xs, h0, c0, G, keep, frozen, offset=None):
    """Σ_t G_t · h_t of the path-cut model."""
    hs, _ = states(p, xs, h0, c0, keep, frozen, offset)
    return float(np.sum(G * hs[1:]))


def check_against_differences(kind, paths):
    """path_grads with ``paths`` equals central differences of the path-cut model."""
    prob = make_problem(kind, seed=11, T=T, B=B, D=D, H=H, O=2, with_states=True)
    p, xs, h0 = prob.params, prob.xs, prob.h0
    c0 = prob.c0 if kind is LSTMParams else np.zeros_like(h0)
    G = np.random.default_rng(12).normal(size=(T, B, H))
    names = [paths] * T if isinstance(paths, str) else list(paths)
    keep = [ROUTES[kind] if name == "full" else (name,) for name in names]
    hs, cs = states(p, xs, h0, c0, keep)
    frozen = {"W_h": hs, "skip": hs, "cell": cs}
    got = path_grads(p, xs, G, paths=paths, h0=h0, c0=prob.c0)

    def loss(params=p, x=xs, h=h0, c=c0, offset=None):
        return cut_loss(params, x, h, c, G, keep, frozen, offset)

    numeric = central_differences(lambda q: loss(params=q), p)
    assert relative_error(got.grads, numeric) < 1e-7
    tol = {"rtol": 1e-6, "atol": 1e-9}
    np.testing.assert_allclose(got.state.xs, numerical_jacobian(lambda x: loss(x=x), xs), **tol)
    np.testing.assert_allclose(got.state.h0, numerical_jacobian(lambda h: loss(h=h), h0), **tol)
    if kind is LSTMParams:
        dc0 = numerical_jacobian(lambda c: loss(c=c), c0)
        np.testing.assert_allclose(got.state.c0, dc0, **tol)
    for k in (0, 2, T):  # ∂L/∂h_k: an offset added to h_k
        zero = np.zeros((B, H))
        dh_k = numerical_jacobian(lambda e, k=k: loss(offset=(k, e)) if k else loss(h=h0 + e), zero)
        np.testing.assert_allclose(got.h[k], dh_k, **tol)


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
@pytest.mark.parametrize("route", [0, 1])
def test_one_route_at_every_step_equals_central_differences(kind, route):
    check_against_differences(kind, ROUTES[kind][route])


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
def test_a_route_per_step_equals_central_differences(kind):
    one, other = ROUTES[kind]
    check_against_differences(kind, [other, "full", one, one, other])


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
def test_a_cut_changes_the_gradient_and_full_is_the_whole_backward(kind):
    """The test model can fail: a cut route gives other numbers than the full pass."""
    prob = make_problem(kind, seed=13, T=T, B=B, D=D, H=H, O=2, with_states=True)
    G = np.random.default_rng(14).normal(size=(T, B, H))
    kwargs = {"h0": prob.h0, "c0": prob.c0}
    full = path_grads(prob.params, prob.xs, G, paths="full", **kwargs)
    grads, state = backprop_states(prob.params, prob.xs, G, **kwargs)
    assert relative_error(full.grads, grads) == 0
    np.testing.assert_array_equal(full.state.h0, state.h0)
    np.testing.assert_array_equal(full.h, hidden_grads(prob.params, prob.xs, G, **kwargs))
    for route in ROUTES[kind]:
        cut = path_grads(prob.params, prob.xs, G, paths=route, **kwargs)
        assert relative_error(cut.grads, grads) > 1e-3
        assert np.abs(cut.h[0] - full.h[0]).max() > 1e-3


def test_unbatched_inputs_give_unbatched_results():
    prob = make_problem(GRUParams, seed=15, T=4, D=2, H=3, O=2)
    G = np.ones((4, 3))
    got = path_grads(prob.params, prob.xs, G, paths="skip")
    batched = path_grads(prob.params, prob.xs[:, None], G[:, None], paths="skip")
    assert got.h.shape == (5, 3) and got.state.xs.shape == (4, 2) and got.state.c0 is None
    np.testing.assert_array_equal(got.h, batched.h[:, 0])


def test_the_vanilla_rnn_has_one_route():
    prob = make_problem(RNNParams, seed=16, T=4, D=2, H=3, O=2)
    G = np.ones((4, 3))
    one = path_grads(prob.params, prob.xs, G, paths="W_hh")
    np.testing.assert_array_equal(one.h, path_grads(prob.params, prob.xs, G, paths="full").h)


def test_bad_paths_name_the_argument():
    prob = make_problem(LSTMParams, seed=17, T=3, D=2, H=2, O=2)
    G = np.ones((3, 2))
    with raises_naming("paths", "'full'", "'cell'", "'W_h'"):
        path_grads(prob.params, prob.xs, G, paths="skip")
    with raises_naming("paths", "T = 3"):
        path_grads(prob.params, prob.xs, G, paths=["cell", "full"])
    with raises_naming("d_hs", "(T, H)"):
        path_grads(prob.params, prob.xs, np.ones((3, 5)), paths="cell")


def test_the_caller_arrays_are_not_changed():
    prob = make_problem(LSTMParams, seed=18, T=3, B=2, D=2, H=2, O=2, with_states=True)
    G = np.ones((3, 2, 2))
    before = [a.copy() for a in (prob.xs, G, prob.h0, prob.c0)]
    path_grads(prob.params, prob.xs, G, paths=["cell", "W_h", "full"], h0=prob.h0, c0=prob.c0)
    for a, b in zip((prob.xs, G, prob.h0, prob.c0), before, strict=True):
        np.testing.assert_array_equal(a, b)
