"""RNNParams, the forward pass and sgd_step."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from package_helpers import make_problem, reference_states

from rnn_derivatives import (
    ForwardCache,
    RNNParams,
    forward,
    hidden_jacobian,
    loss_and_grads,
    numerical_grads,
    relative_error,
    sgd_step,
    softmax,
    softmax_jacobian,
)

# --- RNNParams ---------------------------------------------------------------------------


def test_missing_biases_become_zeros_of_the_right_size():
    params = RNNParams(W_xh=np.ones((4, 3)), W_hh=np.eye(4), W_hy=np.ones((2, 4)))
    np.testing.assert_array_equal(params.b_h, np.zeros(4))
    np.testing.assert_array_equal(params.b_y, np.zeros(2))
    assert (params.n_in, params.n_hidden, params.n_out) == (3, 4, 2)


def test_params_are_float64_copies_and_read_only():
    W_xh = np.arange(6, dtype=np.int64).reshape(3, 2)  # integers are accepted and converted
    W_hh, W_hy, b_h = np.eye(3), [[1, 2, 3]], [0.5, 0.25, 0.0]
    params = RNNParams(W_xh, W_hh, W_hy, b_h=b_h)
    for name, value in params.items():
        assert value.dtype == np.float64, name
        assert not value.flags.writeable, name
    assert params.dtype == np.float64
    np.testing.assert_array_equal(params.W_xh, W_xh)
    W_xh[0, 0] = 99  # the caller's array stays theirs: changing it does not change params
    W_hh[0, 0] = 99.0
    assert params.W_xh[0, 0] == 0.0
    assert params.W_hh[0, 0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        params.W_hh[0, 0] = 5.0


def test_params_are_frozen():
    params = RNNParams.random(2, 3, 2, seed=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.W_xh = np.zeros((3, 2))  # type: ignore[misc]


def test_items_yields_the_five_parameters_in_order():
    params = RNNParams.random(2, 3, 4, seed=0)
    names = [name for name, _ in params.items()]
    assert names == ["W_xh", "W_hh", "W_hy", "b_h", "b_y"]
    assert [value.shape for _, value in params.items()] == [(3, 2), (3, 3), (4, 3), (3,), (4,)]


def test_random_has_the_requested_shapes_zero_biases_and_is_reproducible():
    a = RNNParams.random(5, 7, 3, seed=42, scale=0.2)
    b = RNNParams.random(5, 7, 3, seed=42, scale=0.2)
    c = RNNParams.random(5, 7, 3, seed=43, scale=0.2)
    assert (a.n_in, a.n_hidden, a.n_out) == (5, 7, 3)
    for name, value in a.items():
        np.testing.assert_array_equal(value, getattr(b, name), err_msg=name)
    assert not np.array_equal(a.W_hh, c.W_hh)
    np.testing.assert_array_equal(a.b_h, np.zeros(7))
    np.testing.assert_array_equal(a.b_y, np.zeros(3))


def test_random_scale_is_the_standard_deviation():
    params = RNNParams.random(50, 60, 40, seed=0, scale=0.3)
    weights = np.concatenate([params.W_xh.ravel(), params.W_hh.ravel(), params.W_hy.ravel()])
    assert abs(weights.std() - 0.3) < 0.01
    assert abs(weights.mean()) < 0.01
    default = RNNParams.random(50, 60, 40, seed=0)
    assert abs(default.W_hh.std() - 0.1) < 0.01


def test_astype_float32_keeps_float32_through_forward_and_gradients():
    params = RNNParams.random(3, 4, 2, seed=1).astype(np.float32)
    assert params.dtype == np.float32
    assert all(value.dtype == np.float32 for _, value in params.items())
    xs = np.random.default_rng(0).normal(size=(5, 3))  # float64 inputs are converted
    cache = forward(params, xs)
    for array in (cache.xs, cache.z, cache.h, cache.o):
        assert array.dtype == np.float32
    _, grads = loss_and_grads(params, xs, [0, 1, 0, 1, 1])
    assert grads.dtype == np.float32
    # float32 results agree with float64 ones to float32 precision.
    cache64 = forward(params.astype(np.float64), xs)
    np.testing.assert_allclose(cache.o, cache64.o, rtol=1e-5, atol=1e-6)


def test_astype_float64_round_trip_and_rejects_other_dtypes():
    params = RNNParams.random(2, 2, 2, seed=3)
    again = params.astype(np.float32).astype(np.float64)
    assert again.dtype == np.float64
    np.testing.assert_allclose(again.W_hh, params.W_hh, rtol=1e-7)
    with pytest.raises(ValueError, match="dtype must be float64 or float32"):
        params.astype(np.float16)


def test_mixed_float32_and_float64_arrays_give_float64():
    params = RNNParams(np.ones((2, 1), np.float32), np.eye(2), np.ones((1, 2), np.float32))
    assert params.dtype == np.float64


# --- forward -----------------------------------------------------------------------------


@pytest.mark.parametrize("with_h0", [False, True])
def test_forward_matches_the_step_by_step_equations(with_h0):
    p = make_problem(seed=3, T=6, D=3, H=4, O=2, with_states=with_h0)
    cache = forward(p.params, p.xs, p.h0)
    hs, os = reference_states(p.params, p.xs, p.h0)
    np.testing.assert_allclose(cache.h, np.array(hs), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(cache.o, np.array(os), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(np.tanh(cache.z), cache.h[1:], rtol=1e-15)
    np.testing.assert_array_equal(cache.xs, p.xs)


def test_forward_shapes_unbatched():
    p = make_problem(seed=0, T=5, D=3, H=4, O=2)
    cache = forward(p.params, p.xs)
    assert isinstance(cache, ForwardCache)
    assert not cache.batched
    assert cache.n_steps == 5
    assert cache.xs.shape == (5, 3)
    assert cache.z.shape == (5, 4)
    assert cache.h.shape == (6, 4)
    assert cache.o.shape == (5, 2)
    np.testing.assert_array_equal(cache.h[0], np.zeros(4))


def test_forward_shapes_batched_and_h0_is_the_first_state():
    p = make_problem(seed=0, T=5, B=3, D=2, H=4, O=6, with_states=True)
    cache = forward(p.params, p.xs, p.h0)
    assert cache.batched
    assert cache.n_steps == 5
    assert (cache.xs.shape, cache.z.shape) == ((5, 3, 2), (5, 3, 4))
    assert (cache.h.shape, cache.o.shape) == ((6, 3, 4), (5, 3, 6))
    np.testing.assert_array_equal(cache.h[0], p.h0)


def test_batched_forward_equals_each_sequence_on_its_own():
    p = make_problem(seed=5, T=7, B=4, with_states=True)
    cache = forward(p.params, p.xs, p.h0)
    for b in range(4):
        single = forward(p.params, p.xs[:, b], p.h0[b])
        np.testing.assert_allclose(cache.h[:, b], single.h, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(cache.o[:, b], single.o, rtol=1e-14, atol=1e-15)


def test_forward_accepts_integer_inputs_and_lists():
    params = RNNParams.random(2, 3, 2, seed=0)
    xs_int = np.array([[1, 0], [0, -1], [2, 1]])
    h0_int = [1, 0, -1]
    cache = forward(params, xs_int, h0_int)
    expected = forward(params, xs_int.astype(float), np.array(h0_int, dtype=float))
    assert cache.xs.dtype == np.float64
    np.testing.assert_array_equal(cache.o, expected.o)


def test_single_step_sequence():
    params = RNNParams.random(2, 3, 2, seed=0)
    cache = forward(params, [[0.5, -0.5]])
    hs, os = reference_states(params, np.array([[0.5, -0.5]]))
    np.testing.assert_allclose(cache.h, np.array(hs), rtol=1e-15)
    np.testing.assert_allclose(cache.o, np.array(os), rtol=1e-15)


# --- sgd_step ----------------------------------------------------------------------------


def test_sgd_step_moves_every_parameter_against_its_gradient():
    params = make_problem(seed=1, T=1).params
    grads = make_problem(seed=2, T=1).params  # any arrays of the right shapes
    new = sgd_step(params, grads, lr=0.1)
    assert isinstance(new, RNNParams)
    for name, value in params.items():
        np.testing.assert_allclose(
            getattr(new, name), value - 0.1 * getattr(grads, name), rtol=1e-15, err_msg=name
        )


def test_sgd_step_never_changes_its_arguments():
    params = make_problem(seed=1, T=1).params
    grads = make_problem(seed=2, T=1).params
    before = {name: value.copy() for name, value in params.items()}
    grads_before = {name: value.copy() for name, value in grads.items()}
    new = sgd_step(params, grads, 0.5)
    assert new is not params
    for name, value in params.items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)
        np.testing.assert_array_equal(getattr(grads, name), grads_before[name], err_msg=name)
        assert not np.shares_memory(getattr(new, name), value), name


def test_sgd_step_keeps_float32():
    params = RNNParams.random(2, 3, 2, seed=0).astype(np.float32)
    assert sgd_step(params, params, 0.01).dtype == np.float32


# --- nothing the caller passes is modified ------------------------------------------------


def _writeable_problem(loss: str, batched: bool):
    p = make_problem(seed=9, T=4, B=2 if batched else None, loss=loss, with_states=True)
    args = {"xs": p.xs.copy(), "targets": p.targets.copy(), "h0": p.h0.copy()}
    for value in args.values():
        assert value.flags.writeable
    return p.params, args


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("loss", ["cross_entropy", "squared_last"])
def test_no_function_modifies_the_callers_arrays(loss, batched):
    params, args = _writeable_problem(loss, batched)
    copies = {name: value.copy() for name, value in args.items()}
    param_copies = {name: value.copy() for name, value in params.items()}
    xs, targets, h0 = args["xs"], args["targets"], args["h0"]

    forward(params, xs, h0)
    for method in ("recursive", "double_sum"):
        loss_and_grads(params, xs, targets, loss=loss, h0=h0, method=method)
    numerical_grads(params, xs, targets, loss=loss, h0=h0)
    if not batched:
        hidden_jacobian(params, forward(params, xs, h0), 3, 1)

    for name, value in args.items():
        np.testing.assert_array_equal(value, copies[name], err_msg=name)
        assert value.dtype == copies[name].dtype, name
    for name, value in params.items():
        np.testing.assert_array_equal(value, param_copies[name], err_msg=name)


def test_forward_cache_does_not_share_memory_with_the_callers_arrays():
    params, args = _writeable_problem("cross_entropy", batched=False)
    cache = forward(params, args["xs"], args["h0"])
    assert not np.shares_memory(cache.xs, args["xs"])
    assert not np.shares_memory(cache.h, args["h0"])


def test_helpers_do_not_modify_their_arrays():
    logits = np.array([[1.0, -2.0, 3.0], [1000.0, -1000.0, 0.0]])
    a, b = np.array([1.0, 2.0]), np.array([1.5, 2.0])
    saved = [x.copy() for x in (logits, a, b)]
    softmax(logits)
    softmax_jacobian(logits[1])
    relative_error(a, b)
    for original, copy in zip((logits, a, b), saved, strict=True):
        np.testing.assert_array_equal(original, copy)
