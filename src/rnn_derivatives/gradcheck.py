"""Central finite differences, the reference every analytic gradient is checked against.

For each parameter entry θ_i:

    ∂L/∂θ_i ≈ (L(θ + ε e_i) − L(θ − ε e_i)) / (2ε)

whose truncation error is O(ε²); rounding adds about ε_machine · |L| / ε.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from rnn_derivatives.losses import score
from rnn_derivatives.model import RNNParams
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
    eps = check_positive(eps, "eps")
    score(params, xs, targets, loss=loss, h0=h0)  # check every input once, up front

    def loss_at(name: str, value: np.ndarray) -> float:
        shifted = dataclasses.replace(params, **{name: value})
        return score(shifted, xs, targets, loss=loss, h0=h0).loss

    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += eps
            minus[index] -= eps
            grad[index] = (loss_at(name, plus) - loss_at(name, minus)) / (2 * eps)
        grads[name] = grad
    return RNNParams(**grads)


def _flatten(value: object, name: str) -> tuple[np.ndarray, tuple]:
    """All entries as one float64 vector, and the shape (one per parameter for `RNNParams`)."""
    if isinstance(value, RNNParams):
        vector = np.concatenate([array.ravel() for _, array in value.items()])
        return vector.astype(np.float64), tuple(array.shape for _, array in value.items())
    arr = array_copy(value, name, "or an RNNParams")
    arr = as_float_array(arr, name, tuple(f"n{i}" for i in range(arr.ndim)))
    return arr.ravel(), arr.shape


def relative_error(a: object, b: object) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖), with all entries of all parameters in one vector.

    Parameters
    ----------
    a, b : RNNParams or array_like
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
