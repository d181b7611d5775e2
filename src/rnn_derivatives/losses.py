"""Softmax, the two losses, and ∂L/∂o_t for each.

* ``cross_entropy``: L = Σ_t L_t with L_t = −log softmax(o_t)[y_t]; ∂L_t/∂o_t = ŷ_t − onehot(y_t).
* ``squared_last``: L = ½‖o_T − y‖² (only the last output is scored); ∂L/∂o_T = o_T − y and
  ∂L/∂o_t = 0 for t < T.

Both are summed, not averaged, over steps and over the sequences of a batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnn_derivatives.model import ForwardCache, RNNParams, prepare_inputs, run_forward
from rnn_derivatives.validation import (
    Sizes,
    array_copy,
    as_class_ids,
    as_float_array,
    check_choice,
)

LOSS_NAMES = ("cross_entropy", "squared_last")


def log_softmax(o: np.ndarray) -> np.ndarray:
    """log softmax(o) along the last axis, computed as o − max(o) − log Σ exp(o − max(o)).

    Subtracting the maximum keeps every exponent ≤ 0, so logits of ±1000 stay finite.
    """
    shifted = o - np.max(o, axis=-1, keepdims=True)
    shifted -= np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return shifted


def softmax(o: object) -> np.ndarray:
    """ŷ = softmax(o) along the last axis: ŷ_i = exp(o_i) / Σ_j exp(o_j).

    Parameters
    ----------
    o : array_like, shape (..., O)
        Logits; any number of leading axes.

    Returns
    -------
    numpy.ndarray, shape (..., O)
        Probabilities that sum to 1 along the last axis.
    """
    arr = array_copy(o, "o", "of shape (..., O)")
    arr = as_float_array(arr, "o", tuple(f"n{i}" for i in range(max(arr.ndim, 1))))
    return np.exp(log_softmax(arr))


def softmax_jacobian(o: object) -> np.ndarray:
    """∂ŷ/∂o = diag(ŷ) − ŷ ŷᵀ for one logit vector.

    Parameters
    ----------
    o : array_like, shape (O,)

    Returns
    -------
    numpy.ndarray, shape (O, O)
        Entry (i, j) is ∂ŷ_i/∂o_j = ŷ_i (δ_ij − ŷ_j).
    """
    p = softmax(as_float_array(o, "o", ("O",)))
    return np.diag(p) - np.outer(p, p)


def cross_entropy(o: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Summed cross-entropy of softmax outputs and its gradient.

    Parameters
    ----------
    o : numpy.ndarray, shape (T, B, O)
        Logits o_t.
    targets : numpy.ndarray of int, shape (T, B)
        Class ids y_t in [0, O).

    Returns
    -------
    loss : float
        L = Σ_t Σ_b −log softmax(o_t)[y_t].
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t = ŷ_t − onehot(y_t).
    """
    O = o.shape[-1]
    rows, ids = np.arange(targets.size), targets.reshape(-1)  # one row per (t, b)
    shifted = (o - np.max(o, axis=-1, keepdims=True)).reshape(-1, O)  # as in log_softmax
    d_o = np.exp(shifted)
    total = np.sum(d_o, axis=-1)  # Σ_j exp(o_j − max o)
    loss = np.sum(np.log(total) - shifted[rows, ids])  # Σ −log ŷ_t[y_t]
    d_o /= total[:, None]  # ŷ_t
    d_o[rows, ids] -= 1.0  # ŷ_t − onehot(y_t)
    return float(loss), d_o.reshape(o.shape)


def squared_last(o: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Half squared error of the last output and its gradient.

    Parameters
    ----------
    o : numpy.ndarray, shape (T, B, O)
    target : numpy.ndarray, shape (B, O)

    Returns
    -------
    loss : float
        L = ½ Σ_b ‖o_T − y‖².
    d_o : numpy.ndarray, shape (T, B, O)
        Zero for t < T; o_T − y at t = T.
    """
    diff = o[-1] - target
    d_o = np.zeros_like(o)
    d_o[-1] = diff
    return float(0.5 * np.sum(diff**2)), d_o


def prepare_targets(
    loss: str, targets: object, T: int, B: int, O: int, batched: bool
) -> np.ndarray:
    """Check ``targets`` for ``loss`` and give them a batch axis.

    Returns
    -------
    numpy.ndarray
        Class ids of shape (T, B) for ``"cross_entropy"``; targets of shape (B, O) for
        ``"squared_last"``.
    """
    sizes = Sizes(
        T=(T, f"xs has {T} time steps"),
        B=(B, f"xs has {B} sequences"),
        O=(O, f"params.W_hy has {O} rows"),
    )
    if loss == "cross_entropy":
        ids = as_class_ids(targets, "targets", ("T", "B") if batched else ("T",), O, sizes)
        return ids if batched else ids[:, None]
    if batched:
        return as_float_array(targets, "targets", ("B", "O"), sizes=sizes)
    targets = array_copy(targets, "targets", f"of shape ({O},)")
    if targets.ndim == 0 and O == 1:
        targets = targets[None]
    return as_float_array(targets, "targets", ("O",), sizes=sizes)[None, :]


@dataclass(frozen=True)
class Scored:
    """A forward pass with its loss: what both backward methods and the gradient check need.

    Attributes
    ----------
    cache : ForwardCache
        Batched forward cache (axis 1 is the batch).
    loss : float
        L.
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step.
    batched : bool
        Whether the caller passed a batch.
    """

    cache: ForwardCache
    loss: float
    d_o: np.ndarray
    batched: bool


def score(
    params: RNNParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    run: Callable[[RNNParams, np.ndarray, np.ndarray], ForwardCache] = run_forward,
) -> Scored:
    """Check every input, run the forward pass and evaluate ``loss`` and ∂L/∂o_t.

    Parameters
    ----------
    params : RNNParams
    xs : array_like, shape (T, D) or (T, B, D)
    targets : array_like
        Class ids of shape (T,) or (T, B) for ``"cross_entropy"``; shape (O,) or (B, O) for
        ``"squared_last"`` (a plain number when O == 1).
    loss : {"cross_entropy", "squared_last"}
    h0 : array_like, shape (H,) or (B, H), optional
    run : callable, optional
        The forward pass on checked, batched inputs, ``run(params, xs (T, B, D), h0 (B, H))``;
        `run_forward` unless a faster equivalent is given (`rnn_derivatives.fast`).
    """
    check_choice(loss, "loss", LOSS_NAMES)
    xs_b, h0_b, batched = prepare_inputs(params, xs, h0)
    T, B, _ = xs_b.shape
    y = prepare_targets(loss, targets, T, B, params.n_out, batched)
    cache = run(params, xs_b, h0_b)
    value, d_o = (cross_entropy if loss == "cross_entropy" else squared_last)(cache.o, y)
    return Scored(cache=cache, loss=value, d_o=d_o, batched=batched)
