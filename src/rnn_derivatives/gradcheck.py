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

from rnn_derivatives.losses import score
from rnn_derivatives.model import ParamSet, RNNParams, check_param_set
from rnn_derivatives.validation import array_copy, as_float_array, check_positive


def numerical_grads(
    params: RNNParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    eps: float = 1e-6,
) -> RNNParams:
    """Central-difference gradient of L with respect to every parameter entry.

    Parameters
    ----------
    params, xs, targets, loss, h0
        As for `rnn_derivatives.loss_and_grads`.
    eps : float
        Step ε (> 0).

    Returns
    -------
    RNNParams
        Same field names and shapes as ``params``.
    """
    score(params, xs, targets, loss=loss, h0=h0)  # check every input once, up front
    return central_differences(
        lambda shifted: score(shifted, xs, targets, loss=loss, h0=h0).loss, params, eps=eps
    )


def central_differences(
    f: Callable[[ParamSet], float], params: ParamSet, *, eps: float = 1e-6
) -> ParamSet:
    """(f(θ + ε e_i) − f(θ − ε e_i)) / (2ε) for every entry θ_i of every parameter.

    Parameters
    ----------
    f : callable
        Any scalar function of the parameters (the loss L in `numerical_grads`).
    params : RNNParams, LSTMParams or GRUParams
        The point θ.
    eps : float
        Step ε (> 0).

    Returns
    -------
    same type as ``params``
        Same field names and shapes as ``params``.
    """
    params = check_param_set(params)
    eps = check_positive(eps, "eps")
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += eps
            minus[index] -= eps
            f_plus = f(dataclasses.replace(params, **{name: plus}))
            f_minus = f(dataclasses.replace(params, **{name: minus}))
            grad[index] = (f_plus - f_minus) / (2 * eps)
        grads[name] = grad
    return type(params)(**grads)


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
