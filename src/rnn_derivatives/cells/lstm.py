"""The LSTM cell (PyTorch's ``nn.LSTM`` conventions): its parameters, one step, its backward.

Gate rows are stacked i, f, g, o (input, forget, candidate, output), each block H rows:

    a_t = W_x x_t + W_h h_{t-1} + b                     (4H,)
    i_t = σ(a_i)    f_t = σ(a_f)    g_t = tanh(a_g)    o_t = σ(a_o)       (H,) each
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

Here o_t is the output *gate*; the network's output is W_hy h_t + b_y as for the RNN.
Backward, given ∂L/∂h_t (its output and the next step) and ∂L/∂c_t from the next step
(f_{t+1} ⊙ ∂L/∂c_{t+1}):

    ∂L/∂o_t = ∂L/∂h_t ⊙ tanh(c_t)
    ∂L/∂c_t ← ∂L/∂c_t + ∂L/∂h_t ⊙ o_t ⊙ (1 − tanh²(c_t))        (the path through h_t)
    ∂L/∂i_t = ∂L/∂c_t ⊙ g_t      ∂L/∂g_t = ∂L/∂c_t ⊙ i_t      ∂L/∂f_t = ∂L/∂c_t ⊙ c_{t-1}
    ∂L/∂c_{t-1} = ∂L/∂c_t ⊙ f_t                                   (∂c_t/∂c_{t-1} = diag(f_t))
    ∂L/∂a_t = [∂L/∂i_t ⊙ i_t(1 − i_t); ∂L/∂f_t ⊙ f_t(1 − f_t);
               ∂L/∂g_t ⊙ (1 − g_t²); ∂L/∂o_t ⊙ o_t(1 − o_t)]     (4H,)
    ∂L/∂x_t = W_xᵀ ∂L/∂a_t      ∂L/∂h_{t-1} = W_hᵀ ∂L/∂a_t
    ∂L/∂W_x += ∂L/∂a_t x_tᵀ     ∂L/∂W_h += ∂L/∂a_t h_{t-1}ᵀ     ∂L/∂b += ∂L/∂a_t

In code rows are the sequences of a batch: x has shape (B, D) and a_t shape (B, 4H).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from rnn_derivatives.activations import sigmoid
from rnn_derivatives.params import ParamSet
from rnn_derivatives.validation import check_real

STATES = ("h0", "c0")
#: The two routes along which a step's backward reaches the previous state: "W_h" into h_{t-1}
#: (W_hᵀ ∂L/∂a_t) and "cell" into c_{t-1} (f_t ⊙ ∂L/∂c_t, through diag(f_t)).
PATHS = ("W_h", "cell")


@dataclass(frozen=True, eq=False, repr=False)
class LSTMParams(ParamSet):
    """The LSTM's parameters (also used for their gradients), rows stacked i, f, g, o.

    Parameters
    ----------
    W_x : array_like, shape (4H, D)
        Input weights [W_xi; W_xf; W_xg; W_xo] (PyTorch's ``weight_ih_l0``).
    W_h : array_like, shape (4H, H)
        Recurrent weights (PyTorch's ``weight_hh_l0``).
    b : array_like, shape (4H,)
        Gate bias; PyTorch's two biases add up to it (``bias_ih_l0 + bias_hh_l0``).
    W_hy : array_like, shape (O, H)
        Output weights.
    b_y : array_like, shape (O,), optional
        Output bias; zeros when omitted.
    """

    GATES: ClassVar[tuple[str, ...]] = ("i", "f", "g", "o")
    SHAPES: ClassVar[dict[str, tuple[str, ...]]] = {
        "W_x": ("GH", "D"),
        "W_h": ("GH", "H"),
        "b": ("GH",),
        "W_hy": ("O", "H"),
        "b_y": ("O",),
    }

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray | None = None

    @classmethod
    def random(
        cls,
        n_in: int,
        n_hidden: int,
        n_out: int,
        *,
        seed: int,
        scale: float = 0.1,
        forget_bias: float = 0.0,
    ) -> LSTMParams:
        """Weights from N(0, scale²); biases zero except b_f = ``forget_bias`` (often 1).

        The other arguments are those of `RNNParams.random`; ``forget_bias`` (a finite
        number) fills b_f, the forget gate's bias (rows H … 2H − 1 of ``b``).
        """
        forget_bias = check_real(forget_bias, "forget_bias")
        params = super().random(n_in, n_hidden, n_out, seed=seed, scale=scale)
        b = np.zeros(4 * params.n_hidden)
        b[params.n_hidden : 2 * params.n_hidden] = forget_bias
        return cls(params.W_x, params.W_h, b, params.W_hy, params.b_y)


class Cache(NamedTuple):
    """What one step keeps for its backward, each (B, H) but x_t (B, D)."""

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    tanh_c: np.ndarray


def step_forward(
    params: LSTMParams, x: np.ndarray, state: tuple[np.ndarray, np.ndarray]
) -> tuple[tuple[np.ndarray, np.ndarray], Cache]:
    """One LSTM step: gates from a_t = W_x x_t + W_h h_{t-1} + b, then c_t and h_t.

    Parameters
    ----------
    params : LSTMParams
    x : numpy.ndarray, shape (B, D)
    state : (h_{t-1}, c_{t-1}), each (B, H)

    Returns
    -------
    state : (h_t, c_t), each (B, H)
    cache : Cache
    """
    h_prev, c_prev = state
    a = x @ params.W_x.T + h_prev @ params.W_h.T + params.b  # (B, 4H)
    i, f, g, o = np.split(a, 4, axis=1)
    i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    return (o * tanh_c, c), Cache(x, h_prev, c_prev, i, f, g, o, tanh_c)


def step_backward(
    params: LSTMParams,
    d_state: tuple[np.ndarray, np.ndarray],
    cache: Cache,
    keep: Collection[str] = PATHS,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], dict[str, np.ndarray]]:
    """From ∂L/∂h_t and ∂L/∂c_t to ∂L/∂x_t, ∂L/∂h_{t-1}, ∂L/∂c_{t-1} and this step's gradients.

    Parameters
    ----------
    params : LSTMParams
    d_state : (∂L/∂h_t, ∂L/∂c_t), each (B, H)
        ∂L/∂c_t holds only what comes from step t + 1, f_{t+1} ⊙ ∂L/∂c_{t+1}; the path
        through h_t is added here.
    cache : Cache
    keep : collection of str
        The routes of `PATHS` that are kept. Without ``"W_h"``, ∂L/∂h_{t-1} is zero: the
        step Jacobian's h_{t-1} column (∂h_t/∂h_{t-1} and ∂c_t/∂h_{t-1}, both through W_h) is
        cut. Without ``"cell"``, ∂L/∂c_{t-1} is zero: its c_{t-1} column (∂c_t/∂c_{t-1} =
        diag(f_t) and ∂h_t/∂c_{t-1} = diag(o_t ⊙ (1 − tanh²(c_t)) ⊙ f_t)) is cut.

    Returns
    -------
    dx : numpy.ndarray, shape (B, D)
    d_prev : (∂L/∂h_{t-1}, ∂L/∂c_{t-1}), each (B, H)
    grads : dict
        ``W_x`` (4H, D), ``W_h`` (4H, H), ``b`` (4H,): this step's terms, summed over the batch.
    """
    x, h_prev, c_prev, i, f, g, o, tanh_c = cache
    dh, dc = d_state
    d_o = dh * tanh_c
    dc = dc + dh * o * (1.0 - tanh_c**2)  # both paths into c_t
    d_i, d_f, d_g = dc * g, dc * c_prev, dc * i
    da = np.concatenate(
        [d_i * i * (1.0 - i), d_f * f * (1.0 - f), d_g * (1.0 - g**2), d_o * o * (1.0 - o)],
        axis=1,
    )  # ∂L/∂a_t, (B, 4H)
    grads = {"W_x": da.T @ x, "W_h": da.T @ h_prev, "b": da.sum(axis=0)}
    dh_prev = da @ params.W_h if "W_h" in keep else np.zeros_like(h_prev)
    dc_prev = dc * f if "cell" in keep else np.zeros_like(c_prev)
    return da @ params.W_x, (dh_prev, dc_prev), grads
