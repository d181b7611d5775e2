"""Central finite differences, the reference every analytic gradient is checked against.

For each parameter entry θ_i:

    ∂L/∂θ_i ≈ (L(θ + ε e_i) − L(θ − ε e_i)) / (2ε)

whose truncation error is O(ε²); rounding adds about ε_machine · |L| / ε.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from rnn_derivatives.params import ParamSet, check_param_set
from rnn_derivatives.sequence import score
from rnn_derivatives.validation import array_copy, as_float_array, check_positive


def numerical_jacobian(
    f: Callable[[np.ndarray], object], x: object, *, eps: float = 1e-6
) -> np.ndarray:
    """The central-difference Jacobian of ``f`` at ``x``: entry (i, j) ≈ ∂f_i/∂x_j.

    Each entry of ``x`` in turn is moved by ±ε (on a copy; ``x`` is not changed):

        ∂f/∂x_j ≈ (f(x + ε e_j) − f(x − ε e_j)) / (2ε)

    Parameters
    ----------
    f : callable
        Takes an array of the shape of ``x``; returns a number or an array of any shape.
    x : array_like
        The point, any shape.
    eps : float
        Step ε (> 0).

    Returns
    -------
    numpy.ndarray, shape np.shape(f(x)) + np.shape(x)
        A scalar ``f`` gives the gradient, shaped like ``x``.
    """
    arr = array_copy(x, "x", "of any shape")
    dtype = np.float32 if arr.dtype == np.float32 else np.float64  # keep a float32 point
    arr = as_float_array(arr, "x", tuple(f"n{i}" for i in range(arr.ndim)), dtype=dtype)
    eps = check_positive(eps, "eps")
    columns = []
    for index in np.ndindex(arr.shape):
        plus, minus = arr.copy(), arr.copy()
        plus[index] += eps
        minus[index] -= eps
        columns.append((np.asarray(f(plus), float) - np.asarray(f(minus), float)) / (2 * eps))
    out_shape = columns[0].shape if columns else np.shape(f(arr))
    jac = np.stack(columns, axis=-1) if columns else np.zeros((*out_shape, 0))
    return jac.reshape(out_shape + arr.shape)


def central_differences(
    f: Callable[[ParamSet], float], params: ParamSet, *, eps: float = 1e-6
) -> ParamSet:
    """(f(θ + ε e_i) − f(θ − ε e_i)) / (2ε) for every entry θ_i of every parameter.

    Parameters
    ----------
    f : callable
        Any scalar function of the parameters (the loss L in
        [`numerical_grads`][rnn_derivatives.numerical_grads]).
    params : RNNParams, LSTMParams or GRUParams
        The point θ.
    eps : float
        Step ε (> 0).

    Returns
    -------
    same type as params
        Same field names and shapes as ``params``:
        [`numerical_jacobian`][rnn_derivatives.numerical_jacobian] of f along each field.
    """
    params = check_param_set(params)
    grads = {
        name: numerical_jacobian(
            lambda v, name=name: f(dataclasses.replace(params, **{name: v})), value, eps=eps
        )
        for name, value in params.items()
    }
    return type(params)(**grads)


def numerical_grads(
    params: ParamSet,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
    eps: float = 1e-6,
) -> ParamSet:
    """Central-difference gradient of L with respect to every parameter entry, for any cell.

    Parameters
    ----------
    params, xs, targets, loss, h0, c0
        As for [`loss_and_grads`][rnn_derivatives.loss_and_grads].
    eps : float
        Step ε (> 0).

    Returns
    -------
    same type as params
        Same field names and shapes as ``params``.
    """
    score(params, xs, targets, loss=loss, h0=h0, c0=c0)  # check every input once, up front
    return central_differences(
        lambda shifted: score(shifted, xs, targets, loss=loss, h0=h0, c0=c0).loss, params, eps=eps
    )


def _flatten(value: object, name: str) -> tuple[np.ndarray, tuple]:
    """All entries as one float64 vector, and the shape (one per parameter for a `ParamSet`)."""
    if isinstance(value, ParamSet):
        vector = np.concatenate([array.ravel() for _, array in value.items()])
        return vector.astype(np.float64), tuple(array.shape for _, array in value.items())
    arr = array_copy(value, name, "or an RNNParams")
    arr = as_float_array(arr, name, tuple(f"n{i}" for i in range(arr.ndim)))
    return arr.ravel(), arr.shape


def relative_error(a: object, b: object) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖), with all entries of all parameters in one vector.

    Parameters
    ----------
    a, b : RNNParams, LSTMParams, GRUParams or array_like
        Two gradients of the same structure and shape.

    Returns
    -------
    float
        0.0 when both are zero.
    """
    (fa, shape_a), (fb, shape_b) = _flatten(a, "a"), _flatten(b, "b")
    if shape_a != shape_b:
        raise ValueError(f"a and b must have the same shape, got {shape_a} and {shape_b}")
    scale = max(np.linalg.norm(fa), np.linalg.norm(fb))
    return 0.0 if scale == 0.0 else float(np.linalg.norm(fa - fb) / scale)


def error_decade(x: float) -> float:
    """The power of ten nearest to ``|x|``: how the site reports numbers made of rounding noise.

    A relative error of a correct gradient (about 1e-16 between two exact formulas, about
    1e-10 for central differences) is rounding noise: its digits change with the CPU's SIMD
    code paths, its order of magnitude does not. The site therefore shows such numbers to the
    nearest power of ten,

        10 ** round(log10 |x|),

    so 1.3e-9 is reported as 1e-9 and 4e-9 (log10 = -8.4) as 1e-8.

    Parameters
    ----------
    x : float
        A finite real number (any sign).

    Returns
    -------
    float
        The power of ten nearest to ``|x|`` on a log scale (always >= 0); 0.0 for ``x = 0``.

    Raises
    ------
    ValueError
        If ``x`` is not a finite real number.
    """
    value = abs(float(as_float_array(x, "x", ())))
    if value == 0.0:
        return 0.0
    return float(f"1e{round(math.log10(value))}")  # correctly rounded, unlike 10.0**n
