"""Clipping by value and by global norm, and the cosine that measures the change of direction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from load_module import load_module

from rnn_derivatives import (
    RNNParams,
    clip_by_global_norm,
    clip_by_value,
    cosine_similarity,
    global_norm,
    loss_and_grads,
    numerical_grads,
    relative_error,
    toy_network,
)


def flat(p: RNNParams) -> np.ndarray:
    return np.concatenate([v.ravel() for _, v in p.items()])


@pytest.fixture
def grads():
    """The toy network's gradient: entries of very different sizes."""
    params, xs, y = toy_network()
    return loss_and_grads(params, xs, y, loss="squared_last")[1]


def test_global_norm_is_the_norm_of_all_entries(grads):
    assert global_norm(grads) == pytest.approx(np.linalg.norm(flat(grads)), rel=1e-14)


def test_clip_by_value_clips_each_entry(grads):
    c = 0.01
    clipped = clip_by_value(grads, c)
    g, out = flat(grads), flat(clipped)
    assert np.all(np.abs(out) <= c)
    small = np.abs(g) <= c
    np.testing.assert_array_equal(out[small], g[small])
    np.testing.assert_array_equal(out[~small], c * np.sign(g[~small]))
    assert (~small).any() and small.any()


def test_clip_by_value_turns_the_direction_and_global_norm_does_not(grads):
    by_value = clip_by_value(grads, 0.01)
    by_norm = clip_by_global_norm(grads, 0.01)
    g = flat(grads)
    assert cosine_similarity(grads, by_value) == pytest.approx(
        g @ flat(by_value) / (np.linalg.norm(g) * np.linalg.norm(flat(by_value))), rel=1e-12
    )
    assert cosine_similarity(grads, by_value) < 0.99
    assert cosine_similarity(grads, by_norm) == pytest.approx(1.0, abs=1e-12)
    assert global_norm(by_norm) == pytest.approx(0.01, rel=1e-12)


def test_clip_by_global_norm_leaves_a_small_gradient_unchanged(grads):
    out = clip_by_global_norm(grads, 2 * global_norm(grads))
    np.testing.assert_array_equal(flat(out), flat(grads))


def test_clipping_does_not_modify_its_input(grads):
    before = flat(grads).copy()
    clip_by_value(grads, 1e-3)
    clip_by_global_norm(grads, 1e-3)
    np.testing.assert_array_equal(flat(grads), before)


def test_cosine_similarity_of_parallel_and_opposite_gradients(grads):
    doubled = RNNParams(**{n: 2 * v for n, v in grads.items()})
    negated = RNNParams(**{n: -v for n, v in grads.items()})
    assert cosine_similarity(grads, doubled) == pytest.approx(1.0, abs=1e-14)
    assert cosine_similarity(grads, negated) == pytest.approx(-1.0, abs=1e-14)


@pytest.mark.parametrize("bad", [0, -1.0, np.inf, np.nan, True, "1"])
def test_bad_thresholds_raise_value_errors_naming_them(grads, bad):
    with pytest.raises(ValueError, match="threshold must be a finite number > 0"):
        clip_by_value(grads, bad)
    with pytest.raises(ValueError, match="max_norm must be a finite number > 0"):
        clip_by_global_norm(grads, bad)


def test_non_params_and_zero_or_mismatched_gradients_are_rejected(grads):
    with pytest.raises(ValueError, match="grads must be an RNNParams"):
        clip_by_value(flat(grads), 1.0)
    with pytest.raises(ValueError, match="grads must be an RNNParams"):
        global_norm({"W_hh": 1.0})
    with pytest.raises(ValueError, match="a must be an RNNParams"):
        cosine_similarity(flat(grads), grads)
    zero = RNNParams(**{n: np.zeros_like(v) for n, v in grads.items()})
    with pytest.raises(ValueError, match="b must not be all zeros"):
        cosine_similarity(grads, zero)
    other = RNNParams.random(1, 3, 1, seed=0)
    with pytest.raises(ValueError, match=r"b.W_xh must have shape \(2, 1\)"):
        cosine_similarity(grads, other)


def as_grads(g: np.ndarray) -> RNNParams:
    """A vector of N = 6 + 4 + 2 + 2 + 1 = 15 entries as the gradients of D = 3, H = 2, O = 1."""
    return RNNParams(
        W_xh=g[:6].reshape(2, 3),
        W_hh=g[6:10].reshape(2, 2),
        W_hy=g[10:12].reshape(1, 2),
        b_h=g[12:14],
        b_y=g[14:],
    )


@pytest.mark.parametrize("seed", range(20))
def test_value_clipping_cosine_is_at_least_the_l1_bound_and_grows_with_the_threshold(seed):
    """cos ∠(g, clip_by_value(g, τ)) ≥ ‖g‖₁ / (√N ‖g‖₂) ≥ 1/√N for every τ, nondecreasing in τ,
    equal to the bound once τ ≤ min |g_i| (no zero entry)."""
    rng = np.random.default_rng(seed)
    g = rng.standard_cauchy(15) if seed % 2 else rng.normal(size=15) * rng.lognormal(0, 2, 15)
    if seed % 5 == 0:
        g[rng.choice(15, 4, replace=False)] = 0.0  # zero entries: the bound still holds
    grads, N = as_grads(g), g.size
    bound = np.abs(g).sum() / (np.sqrt(N) * np.linalg.norm(g))
    assert bound >= 1 / np.sqrt(N)
    taus = np.sort(np.concatenate([np.abs(g[g != 0]), np.logspace(-6, 6, 200)]))
    cosines = np.array([cosine_similarity(grads, clip_by_value(grads, t)) for t in taus])
    assert np.all(cosines >= bound - 1e-12)
    assert np.all(np.diff(cosines) >= -1e-12)
    if seed % 5:
        tight = cosine_similarity(grads, clip_by_value(grads, 0.5 * np.abs(g).min()))
        assert tight == pytest.approx(bound, rel=1e-12)


def test_the_bound_approaches_one_over_root_n_for_one_large_entry():
    g = np.full(15, 1e-9)
    g[0] = 1.0
    grads = as_grads(g)
    cos = cosine_similarity(grads, clip_by_value(grads, 1e-10))
    assert cos == pytest.approx(1 / np.sqrt(15), rel=1e-6)


def test_the_cliff_networks_exploded_gradient_matches_central_differences():
    """The page's cliff: ‖g‖ ≈ 7.5e3 on a wall 10⁻⁵ wide, still the true gradient."""
    cliff = load_module(Path(__file__).parents[1] / "docs/_figures/clipping_cliff.py", "cliff")
    params, xs, targets = cliff.problem()
    _, grads = loss_and_grads(params, xs, targets, loss="squared_last")
    errors = [
        relative_error(grads, numerical_grads(params, xs, targets, loss="squared_last", eps=eps))
        for eps in (1e-7, 1e-8, 1e-9)
    ]
    assert global_norm(grads) > 7000
    # the wall curves so sharply that ε must be tiny; the error falls as ε² until it is
    assert errors[0] / errors[1] == pytest.approx(100, rel=0.05)
    assert errors[2] < 1e-6
