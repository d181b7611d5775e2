"""The two losses as a table: (o, targets) → (L, ∂L/∂o), NumPy only.

* ``cross_entropy``: L = Σ_t L_t with L_t = −log softmax(o_t)[y_t]; ∂L_t/∂o_t = ŷ_t − onehot(y_t).
* ``squared_last``: L = ½‖o_T − y‖² (only the last output is scored); ∂L/∂o_T = o_T − y and
  ∂L/∂o_t = 0 for t < T.

Both take the outputs of a batch, o of shape (T, B, O), and are summed, not averaged, over
steps and over the sequences of the batch. Their targets are already checked
(`rnn_derivatives.sequence.score` does it): class ids of shape (T, B), or (B, O).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def log_softmax(o: np.ndarray) -> np.ndarray:
    """log softmax(o) along the last axis, computed as o − max(o) − log Σ exp(o − max(o)).

    Subtracting the maximum keeps every exponent ≤ 0, so logits of ±1000 stay finite.
    """
    shifted = o - np.max(o, axis=-1, keepdims=True)
    shifted -= np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return shifted


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
    log_p = log_softmax(o).reshape(-1, o.shape[-1])  # one row per (t, b)
    rows, ids = np.arange(targets.size), targets.reshape(-1)
    d_o = np.exp(log_p)  # ŷ_t
    d_o[rows, ids] -= 1.0  # ŷ_t − onehot(y_t)
    return float(-np.sum(log_p[rows, ids])), d_o.reshape(o.shape)


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


#: Every loss by name.
LOSSES: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]] = {
    "cross_entropy": cross_entropy,
    "squared_last": squared_last,
}
