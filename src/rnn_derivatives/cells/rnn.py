"""The vanilla tanh cell: its parameters, one step and its backward.

Rows are the sequences of a batch (x has shape (B, D)); in the site's column notation:

    z_t = W_xh x_t + W_hh h_{t-1} + b_h        h_t = tanh(z_t)

Backward, given ∂L/∂h_t (everything that reaches h_t: its output and the next step):

    δ_t = (1 − h_t²) ⊙ ∂L/∂h_t                              (δ_t = ∂L/∂z_t)
    ∂L/∂x_t = W_xhᵀ δ_t      ∂L/∂h_{t-1} = W_hhᵀ δ_t
    ∂L/∂W_xh += δ_t x_tᵀ     ∂L/∂W_hh += δ_t h_{t-1}ᵀ     ∂L/∂b_h += δ_t

This is the whole of BPTT for the vanilla RNN: `rnn_derivatives.sequence` runs the step
backward from t = T to 1, adding W_hyᵀ ∂L/∂o_t to what step t + 1 sent back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from rnn_derivatives.params import ParamSet

STATES = ("h0",)
#: The routes along which a step's backward reaches the previous state (one here: W_hhᵀ δ_t).
PATHS = ("W_hh",)


@dataclass(frozen=True, eq=False, repr=False)
class RNNParams(ParamSet):
    """The five parameters of the RNN (also used for their gradients).

    Parameters
    ----------
    W_xh : array_like, shape (H, D)
        Input-to-hidden weights.
    W_hh : array_like, shape (H, H)
        Hidden-to-hidden (recurrent) weights.
    W_hy : array_like, shape (O, H)
        Hidden-to-output weights.
    b_h : array_like, shape (H,), optional
        Hidden bias; zeros when omitted.
    b_y : array_like, shape (O,), optional
        Output bias; zeros when omitted.

    Notes
    -----
    The arrays are copied, converted to float64 (float32 if every array given is float32, see
    `astype`), checked for shape and finiteness, and made read-only. ``random`` draws the
    weights from N(0, scale²) with zero biases.
    """

    SHAPES: ClassVar[dict[str, tuple[str, ...]]] = {
        "W_xh": ("H", "D"),
        "W_hh": ("H", "H"),
        "W_hy": ("O", "H"),
        "b_h": ("H",),
        "b_y": ("O",),
    }

    W_xh: np.ndarray
    W_hh: np.ndarray
    W_hy: np.ndarray
    b_h: np.ndarray | None = None
    b_y: np.ndarray | None = None


class Cache(NamedTuple):
    """What one step keeps for its backward: x_t (B, D), h_{t-1} (B, H), z_t (B, H), h_t (B, H)."""

    x: np.ndarray
    h_prev: np.ndarray
    z: np.ndarray
    h: np.ndarray


def step_forward(
    params: RNNParams, x: np.ndarray, state: tuple[np.ndarray]
) -> tuple[tuple[np.ndarray], Cache]:
    """h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h).

    Parameters
    ----------
    params : RNNParams
    x : numpy.ndarray, shape (B, D)
    state : (h_{t-1},), shape (B, H)

    Returns
    -------
    state : (h_t,), shape (B, H)
    cache : Cache
    """
    (h_prev,) = state
    z = x @ params.W_xh.T + h_prev @ params.W_hh.T + params.b_h
    h = np.tanh(z)
    return (h,), Cache(x, h_prev, z, h)


def delta(h: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """δ_t = ∂L/∂z_t = (1 − h_t²) ⊙ ∂L/∂h_t, since tanh′(z_t) = 1 − h_t²."""
    return (1.0 - h**2) * dh


def step_backward(
    params: RNNParams,
    d_state: tuple[np.ndarray],
    cache: Cache,
    keep: Collection[str] = PATHS,
) -> tuple[np.ndarray, tuple[np.ndarray], dict[str, np.ndarray]]:
    """From ∂L/∂h_t to ∂L/∂x_t, ∂L/∂h_{t-1} and this step's share of the gradients.

    Parameters
    ----------
    params : RNNParams
    d_state : (∂L/∂h_t,), shape (B, H)
    cache : Cache
    keep : collection of str
        The routes of `PATHS` to h_{t-1} that are kept; without ``"W_hh"`` nothing reaches it.

    Returns
    -------
    dx : numpy.ndarray, shape (B, D)
        ∂L/∂x_t = W_xhᵀ δ_t.
    d_prev : (∂L/∂h_{t-1},), shape (B, H)
        W_hhᵀ δ_t (zeros if that route is cut).
    grads : dict
        ``W_xh`` (H, D), ``W_hh`` (H, H), ``b_h`` (H,): this step's terms, summed over the batch.
    """
    d = delta(cache.h, d_state[0])  # δ_t, (B, H)
    grads = {"W_xh": d.T @ cache.x, "W_hh": d.T @ cache.h_prev, "b_h": d.sum(axis=0)}
    d_prev = d @ params.W_hh if "W_hh" in keep else np.zeros_like(cache.h_prev)
    return d @ params.W_xh, (d_prev,), grads
