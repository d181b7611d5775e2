"""Gradient clipping, and the cosine that shows what it does to the update's direction.

All the gradients of a cell are treated as one vector g (for the RNN every entry of W_xh,
W_hh, W_hy, b_h, b_y; for the LSTM and GRU every entry of their fields):

* by value:        g_i ← min(max(g_i, −c), c)           (each entry on its own)
* by global norm:  g ← g · min(1, c / ‖g‖),  ‖g‖² = Σ_i g_i²

Clipping by global norm only shortens g, so its direction is unchanged (cosine 1 with the
original); clipping by value shortens the large entries more than the small ones and turns g.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives.params import ParamSet, check_param_set, check_same_shapes
from rnn_derivatives.validation import check_positive


def global_norm(grads: ParamSet) -> float:
    """‖g‖ = sqrt(Σ_i g_i²) over every entry of all the gradients.

    Parameters
    ----------
    grads : RNNParams, LSTMParams or GRUParams

    Returns
    -------
    float
    """
    grads = check_param_set(grads, "grads")
    return float(np.sqrt(sum(np.sum(value**2) for _, value in grads.items())))


def clip_by_value(grads: ParamSet, threshold: float) -> ParamSet:
    """Clip every entry to [−c, c]: g_i ← min(max(g_i, −c), c).

    Parameters
    ----------
    grads : RNNParams, LSTMParams or GRUParams
    threshold : float
        c > 0.

    Returns
    -------
    same type as grads
        New arrays with the shapes of ``grads``; ``grads`` is unchanged.
    """
    grads = check_param_set(grads, "grads")
    c = check_positive(threshold, "threshold")
    clipped = {name: np.clip(value, -c, c) for name, value in grads.items()}
    return type(grads)._of_computed(**clipped)


def clip_by_global_norm(grads: ParamSet, max_norm: float) -> ParamSet:
    """Rescale all gradients together so that ‖g‖ ≤ c: g ← g · min(1, c / ‖g‖).

    Parameters
    ----------
    grads : RNNParams, LSTMParams or GRUParams
    max_norm : float
        c > 0.

    Returns
    -------
    same type as grads
        New arrays with the shapes of ``grads``; equal to ``grads`` when ‖g‖ ≤ c.
    """
    grads = check_param_set(grads, "grads")
    c = check_positive(max_norm, "max_norm")
    norm = global_norm(grads)
    scale = 1.0 if norm <= c else c / norm
    return type(grads)._of_computed(**{name: value * scale for name, value in grads.items()})


def cosine_similarity(a: ParamSet, b: ParamSet) -> float:
    """cos ∠(a, b) = ⟨a, b⟩ / (‖a‖ ‖b‖), with all the parameters as one vector.

    Parameters
    ----------
    a, b : RNNParams, LSTMParams or GRUParams
        Two gradients of the same type and shapes, neither all zeros.

    Returns
    -------
    float
        In [−1, 1]; 1 when b is a positive multiple of a.
    """
    a = check_param_set(a, "a")
    check_same_shapes(a, b, "b")
    norm_a, norm_b = global_norm(a), global_norm(b)
    for name, norm in (("a", norm_a), ("b", norm_b)):
        if norm == 0.0:
            raise ValueError(f"{name} must not be all zeros (its direction is undefined)")
    dot = sum(np.vdot(value, getattr(b, name)) for name, value in a.items())
    return float(np.clip(dot / (norm_a * norm_b), -1.0, 1.0))
