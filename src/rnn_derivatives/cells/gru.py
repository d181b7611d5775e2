"""The GRU cell (PyTorch's ``nn.GRU`` conventions): parameters, one step, its backward.

Gate rows are stacked r, z, n (reset, update, candidate), each block H rows, with a bias on
each side as in PyTorch:

    a_t = W_x x_t + b_x         u_t = W_h h_{t-1} + b_h            (3H,) each
    r_t = σ(a_r + u_r)          z_t = σ(a_z + u_z)
    n_t = tanh(a_n + r_t ⊙ u_n)
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

Here z_t is the update gate (PyTorch's name), not the vanilla RNN's pre-activation.
Backward, given ∂L/∂h_t (its output and the next step):

    ∂L/∂n_t = ∂L/∂h_t ⊙ (1 − z_t)        ∂L/∂z_t = ∂L/∂h_t ⊙ (h_{t-1} − n_t)
    ∂L/∂ñ_t = ∂L/∂n_t ⊙ (1 − n_t²)       (ñ_t = a_n + r_t ⊙ u_n, n's pre-activation)
    ∂L/∂r_t = ∂L/∂ñ_t ⊙ u_n
    ∂L/∂a_t = [∂L/∂r_t ⊙ r_t(1 − r_t); ∂L/∂z_t ⊙ z_t(1 − z_t); ∂L/∂ñ_t]
    ∂L/∂u_t = [same r and z blocks;  r_t ⊙ ∂L/∂ñ_t]
    ∂L/∂x_t = W_xᵀ ∂L/∂a_t
    ∂L/∂h_{t-1} = W_hᵀ ∂L/∂u_t + z_t ⊙ ∂L/∂h_t             (the last term: the leaky skip)
    ∂L/∂W_x += ∂L/∂a_t x_tᵀ    ∂L/∂b_x += ∂L/∂a_t
    ∂L/∂W_h += ∂L/∂u_t h_{t-1}ᵀ    ∂L/∂b_h += ∂L/∂u_t

In code rows are the sequences of a batch: x has shape (B, D) and a_t shape (B, 3H).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from rnn_derivatives.activations import sigmoid
from rnn_derivatives.params import ParamSet

STATES = ("h0",)
#: The two routes along which a step's backward reaches h_{t-1}: "W_h" (W_hᵀ ∂L/∂u_t, through
#: the gates and the candidate) and "skip" (z_t ⊙ ∂L/∂h_t, through diag(z_t)).
PATHS = ("W_h", "skip")


@dataclass(frozen=True, eq=False, repr=False)
class GRUParams(ParamSet):
    """The GRU's parameters (also used for their gradients), rows stacked r, z, n.

    Parameters
    ----------
    W_x : array_like, shape (3H, D)
        Input weights [W_xr; W_xz; W_xn] (PyTorch's ``weight_ih_l0``).
    W_h : array_like, shape (3H, H)
        Recurrent weights (PyTorch's ``weight_hh_l0``).
    b_x : array_like, shape (3H,)
        Input-side bias (``bias_ih_l0``).
    b_h : array_like, shape (3H,)
        Recurrent-side bias (``bias_hh_l0``); its n block sits inside r_t ⊙ (…).
    W_hy : array_like, shape (O, H)
        Output weights.
    b_y : array_like, shape (O,), optional
        Output bias; zeros when omitted.
    """

    GATES: ClassVar[tuple[str, ...]] = ("r", "z", "n")
    SHAPES: ClassVar[dict[str, tuple[str, ...]]] = {
        "W_x": ("GH", "D"),
        "W_h": ("GH", "H"),
        "b_x": ("GH",),
        "b_h": ("GH",),
        "W_hy": ("O", "H"),
        "b_y": ("O",),
    }

    W_x: np.ndarray
    W_h: np.ndarray
    b_x: np.ndarray
    b_h: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray | None = None


class Cache(NamedTuple):
    """What one step keeps for its backward: x_t (B, D) and, each (B, H), h_{t-1}, r_t, z_t,
    n_t and u_n (the n block of u_t = W_h h_{t-1} + b_h)."""

    x: np.ndarray
    h_prev: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    u_n: np.ndarray


def step_forward(
    params: GRUParams, x: np.ndarray, state: tuple[np.ndarray]
) -> tuple[tuple[np.ndarray], Cache]:
    """One GRU step: r_t, z_t, n_t, then h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}.

    Parameters
    ----------
    params : GRUParams
    x : numpy.ndarray, shape (B, D)
    state : (h_{t-1},), shape (B, H)

    Returns
    -------
    state : (h_t,), shape (B, H)
    cache : Cache
    """
    (h_prev,) = state
    a_r, a_z, a_n = np.split(x @ params.W_x.T + params.b_x, 3, axis=1)
    u_r, u_z, u_n = np.split(h_prev @ params.W_h.T + params.b_h, 3, axis=1)
    r, z = sigmoid(a_r + u_r), sigmoid(a_z + u_z)
    n = np.tanh(a_n + r * u_n)
    return ((1.0 - z) * n + z * h_prev,), Cache(x, h_prev, r, z, n, u_n)


def step_backward(
    params: GRUParams,
    d_state: tuple[np.ndarray],
    cache: Cache,
    keep: Collection[str] = PATHS,
) -> tuple[np.ndarray, tuple[np.ndarray], dict[str, np.ndarray]]:
    """From ∂L/∂h_t to ∂L/∂x_t, ∂L/∂h_{t-1} and this step's share of the four gate gradients.

    Parameters
    ----------
    params : GRUParams
    d_state : (∂L/∂h_t,), shape (B, H)
    cache : Cache
    keep : collection of str
        The routes of `PATHS` that are kept: ∂h_t/∂h_{t-1} = diag(z_t) + (the terms through
        W_h); ``"skip"`` keeps the first, ``"W_h"`` the second.

    Returns
    -------
    dx : numpy.ndarray, shape (B, D)
    d_prev : (∂L/∂h_{t-1},), shape (B, H)
        The sum of the kept routes (zeros if none is kept).
    grads : dict
        ``W_x`` (3H, D), ``W_h`` (3H, H), ``b_x`` (3H,), ``b_h`` (3H,), summed over the batch.
    """
    x, h_prev, r, z, n, u_n = cache
    (dh,) = d_state
    d_pre_n = dh * (1.0 - z) * (1.0 - n**2)  # ∂L/∂ñ_t
    d_pre_r = d_pre_n * u_n * r * (1.0 - r)
    d_pre_z = dh * (h_prev - n) * z * (1.0 - z)
    da = np.concatenate([d_pre_r, d_pre_z, d_pre_n], axis=1)  # ∂L/∂a_t, (B, 3H)
    du = np.concatenate([d_pre_r, d_pre_z, r * d_pre_n], axis=1)  # ∂L/∂u_t, (B, 3H)
    grads = {
        "W_x": da.T @ x,
        "W_h": du.T @ h_prev,
        "b_x": da.sum(axis=0),
        "b_h": du.sum(axis=0),
    }
    d_prev = np.zeros_like(h_prev)
    if "W_h" in keep:
        d_prev = d_prev + du @ params.W_h
    if "skip" in keep:
        d_prev = d_prev + z * dh  # the leaky skip
    return da @ params.W_x, (d_prev,), grads
