"""One driver for every cell: run a step over time, score the outputs, run the steps backward.

What is the same for the vanilla RNN, the LSTM and the GRU lives here; each cell module
(`rnn_derivatives.rnn`, `rnn_derivatives.lstm`, `rnn_derivatives.gru`) holds only

    step_forward(params, x_t, state_{t-1}) -> (state_t, cache)
    step_backward(params, ∂L/∂state_t, cache) -> (∂L/∂x_t, ∂L/∂state_{t-1}, this step's grads)

where a state is (h_t,) or, for the LSTM, (h_t, c_t). The driver adds the output layer and the
loss of `rnn_derivatives.losses` (o_t = W_hy h_t + b_y, cross-entropy summed over steps and
batch, or squared_last), and the backward pass over time:

    ∂L/∂h_t = W_hyᵀ ∂L/∂o_t + (what step t + 1 sends back to h_t)
    ∂L/∂θ   = Σ_t (step t's term)              for every cell parameter θ

It also returns the gradients of the inputs and of the initial state, ∂L/∂x_t, ∂L/∂h_0 and
∂L/∂c_0: with them layers can be stacked (`state_grads`, `backprop_states`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnn_derivatives import gru, lstm, rnn
from rnn_derivatives.bptt import output_layer_grads, rows
from rnn_derivatives.gru import GRUParams
from rnn_derivatives.losses import LOSS_NAMES, cross_entropy, prepare_targets, squared_last
from rnn_derivatives.lstm import LSTMParams
from rnn_derivatives.model import (
    ParamSet,
    RNNParams,
    batch_inputs,
    batch_state,
    check_param_set,
)
from rnn_derivatives.validation import Sizes, as_float_array, check_choice

States = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Cell:
    """A recurrent cell as the driver sees it.

    Attributes
    ----------
    step_forward, step_backward : callable
        The cell's step and its backward (see the module docstring).
    state_names : tuple of str
        The names of the initial states it takes: ``("h0",)`` or ``("h0", "c0")``.
    """

    step_forward: Callable
    step_backward: Callable
    state_names: tuple[str, ...]


CELLS: dict[type, Cell] = {
    RNNParams: Cell(rnn.step_forward, rnn.step_backward, ("h0",)),
    LSTMParams: Cell(lstm.step_forward, lstm.step_backward, ("h0", "c0")),
    GRUParams: Cell(gru.step_forward, gru.step_backward, ("h0",)),
}


@dataclass(frozen=True)
class StateGrads:
    """Gradients of L with respect to a layer's inputs and initial states.

    Attributes
    ----------
    xs : numpy.ndarray, shape (T, D) or (T, B, D)
        ∂L/∂x_t for every step, shaped like the ``xs`` given.
    h0 : numpy.ndarray, shape (H,) or (B, H)
        ∂L/∂h_0.
    c0 : numpy.ndarray, shape (H,) or (B, H), or None
        ∂L/∂c_0 for an LSTM; None for the other cells.
    """

    xs: np.ndarray
    h0: np.ndarray
    c0: np.ndarray | None


@dataclass(frozen=True)
class Run:
    """A checked forward pass: batched inputs, the states h_0 … h_T and each step's cache."""

    params: ParamSet
    cell: Cell
    xs: np.ndarray  # (T, B, D)
    initial: States  # (B, H) each
    h: np.ndarray  # (T + 1, B, H)
    caches: list
    batched: bool


def run(params: object, xs: object, h0: object = None, c0: object = None) -> Run:
    """Check the arguments and run the cell of ``params`` over ``xs`` (see `hidden_states`)."""
    params = check_param_set(params)
    cell = CELLS[type(params)]
    if c0 is not None and "c0" not in cell.state_names:
        raise ValueError(f"c0 must be None for {type(params).__name__} (only an LSTM has c_t)")
    xs_b, batched = batch_inputs(params, xs)
    T, B, _ = xs_b.shape
    given = {"h0": h0, "c0": c0}
    initial = tuple(batch_state(params, given[n], n, B, batched) for n in cell.state_names)
    state = initial
    h = np.empty((T + 1, B, params.n_hidden), params.dtype)
    h[0] = state[0]
    caches = []
    for t in range(T):
        state, cache = cell.step_forward(params, xs_b[t], state)
        h[t + 1] = state[0]
        caches.append(cache)
    return Run(params, cell, xs_b, initial, h, caches, batched)


def backward(
    r: Run, dh_out: np.ndarray, dhs: np.ndarray | None = None
) -> tuple[dict[str, np.ndarray], np.ndarray, States]:
    """Run the steps backward from ∂L/∂h_t that arrives from outside the recurrence.

    Parameters
    ----------
    r : Run
    dh_out : numpy.ndarray, shape (T, B, H)
        ∂L/∂h_t through everything but step t + 1 (the output layer, or the layer above).
    dhs : numpy.ndarray, shape (T + 1, B, H), optional
        Where to write the total ∂L/∂h_k for k = 0 … T, if given.

    Returns
    -------
    grads : dict
        Every cell parameter's gradient (not W_hy, b_y), summed over steps and batch.
    dxs : numpy.ndarray, shape (T, B, D)
    d_initial : tuple of numpy.ndarray, (B, H) each
        ∂L/∂h_0 (and ∂L/∂c_0).
    """
    d_state = tuple(np.zeros_like(s) for s in r.initial)
    dxs = np.empty_like(r.xs)
    grads: dict[str, np.ndarray] = {}
    for t in range(len(r.caches) - 1, -1, -1):
        d_state = (d_state[0] + dh_out[t], *d_state[1:])
        if dhs is not None:
            dhs[t + 1] = d_state[0]
        dxs[t], d_state, step = r.cell.step_backward(r.params, d_state, r.caches[t])
        for name, value in step.items():
            grads[name] = grads[name] + value if name in grads else value
    if dhs is not None:
        dhs[0] = d_state[0]
    return grads, dxs, d_state


def state_grads_of(r: Run, dxs: np.ndarray, d_initial: States) -> StateGrads:
    """Package ∂L/∂x_t and the initial-state gradients, unbatched if the caller's xs was."""
    unbatch = (lambda a: a) if r.batched else (lambda a: a[:, 0] if a.ndim == 3 else a[0])
    c0 = unbatch(d_initial[1]) if len(d_initial) == 2 else None
    return StateGrads(xs=unbatch(dxs), h0=unbatch(d_initial[0]), c0=c0)


def full_grads(
    params: object,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
) -> tuple[float, ParamSet, StateGrads]:
    """L, ∂L/∂θ for every parameter, and the input and initial-state gradients, for any cell.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    xs : array_like, shape (T, D) or (T, B, D)
    targets : array_like
        ``"cross_entropy"``: class ids of shape (T,) or (T, B); ``"squared_last"``: shape (O,)
        or (B, O), as for `rnn_derivatives.loss_and_grads`.
    loss : {"cross_entropy", "squared_last"}
    h0 : array_like, shape (H,) or (B, H), optional
    c0 : array_like, shape (H,) or (B, H), optional
        LSTM only.

    Returns
    -------
    loss : float
    grads : same type as ``params``
    state : StateGrads
    """
    check_choice(loss, "loss", LOSS_NAMES)
    r = run(params, xs, h0, c0)
    T, B, _ = r.xs.shape
    p = r.params
    y = prepare_targets(loss, targets, T, B, p.n_out, r.batched)
    o = (rows(r.h[1:]) @ p.W_hy.T + p.b_y).reshape(T, B, p.n_out)  # o_t = W_hy h_t + b_y
    value, d_o = (cross_entropy if loss == "cross_entropy" else squared_last)(o, y)
    grads, dxs, d_initial = backward(r, d_o @ p.W_hy)
    grads["W_hy"], grads["b_y"] = output_layer_grads(d_o, r.h)
    return value, type(p)._of_computed(**grads), state_grads_of(r, dxs, d_initial)


def check_kind(params: object, kind: type) -> None:
    """Raise a ``ValueError`` naming ``params`` unless it is a ``kind``."""
    if not isinstance(params, kind):
        raise ValueError(f"params must be a {kind.__name__}, got {type(params).__name__}")


def lstm_loss_and_grads(
    params: LSTMParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
) -> tuple[float, LSTMParams]:
    """The loss L of an LSTM and its gradient with respect to every parameter.

    Arguments as for `full_grads`, with ``params`` an `LSTMParams`. Returns L and the
    `LSTMParams` of the gradients: ∂L/∂W_x (4H, D), ∂L/∂W_h (4H, H), ∂L/∂b (4H,),
    ∂L/∂W_hy (O, H), ∂L/∂b_y (O,).
    """
    check_kind(params, LSTMParams)
    value, grads, _ = full_grads(params, xs, targets, loss=loss, h0=h0, c0=c0)
    return value, grads


def gru_loss_and_grads(
    params: GRUParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
) -> tuple[float, GRUParams]:
    """The loss L of a GRU and its gradient with respect to every parameter.

    Arguments as for `full_grads`, with ``params`` a `GRUParams`; no ``c0``. Returns L and the
    `GRUParams` of the gradients: ∂L/∂W_x (3H, D), ∂L/∂W_h (3H, H), ∂L/∂b_x (3H,),
    ∂L/∂b_h (3H,), ∂L/∂W_hy (O, H), ∂L/∂b_y (O,).
    """
    check_kind(params, GRUParams)
    return full_grads(params, xs, targets, loss=loss, h0=h0)[:2]


def state_grads(
    params: object,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
) -> StateGrads:
    """∂L/∂x_t, ∂L/∂h_0 and (LSTM) ∂L/∂c_0 for an RNN, an LSTM or a GRU.

    Arguments as for `full_grads`. These are what the layer below needs: its outputs are
    this layer's inputs x_t.

    Returns
    -------
    StateGrads
        ``xs`` shaped like ``xs``; ``h0`` (and ``c0``) of shape (H,) or (B, H).
    """
    return full_grads(params, xs, targets, loss=loss, h0=h0, c0=c0)[2]


def hidden_states(
    params: object, xs: object, *, h0: object = None, c0: object = None
) -> np.ndarray:
    """h_1 … h_T of any cell: shape (T, H), or (T, B, H) for a batch.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    xs : array_like, shape (T, D) or (T, B, D)
    h0, c0 : array_like, shape (H,) or (B, H), optional
        Initial states (c0 for an LSTM only); zeros when omitted.
    """
    r = run(params, xs, h0, c0)
    return r.h[1:] if r.batched else r.h[1:, 0]


def outputs(params: object, xs: object, *, h0: object = None, c0: object = None) -> np.ndarray:
    """o_t = W_hy h_t + b_y of any cell: shape (T, O), or (T, B, O) for a batch."""
    p = check_param_set(params)
    return hidden_states(p, xs, h0=h0, c0=c0) @ p.W_hy.T + p.b_y


def backprop_states(
    params: object, xs: object, d_hs: object, *, h0: object = None, c0: object = None
) -> tuple[ParamSet, StateGrads]:
    """Gradients of a layer whose states h_t feed something else (the layer above).

    Given G_t = ∂L/∂h_t from outside the layer, run the layer's backward pass as if its loss
    were Σ_t G_t · h_t: the chain rule for a layer below another.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
        The layer's own output layer is not used (its gradients are zero).
    xs : array_like, shape (T, D) or (T, B, D)
    d_hs : array_like, shape (T, H) or (T, B, H)
        G_t for t = 1 … T, e.g. ``state_grads(upper, hidden_states(params, xs), …).xs``.
    h0, c0 : array_like, optional

    Returns
    -------
    grads : same type as ``params``
    state : StateGrads
    """
    r = run(params, xs, h0, c0)
    grads, dxs, d_initial = backward(r, upstream(r, d_hs))
    grads["W_hy"], grads["b_y"] = np.zeros_like(r.params.W_hy), np.zeros_like(r.params.b_y)
    return type(r.params)._of_computed(**grads), state_grads_of(r, dxs, d_initial)


def hidden_grads(
    params: object, xs: object, d_hs: object, *, h0: object = None, c0: object = None
) -> np.ndarray:
    """∂L/∂h_k for k = 0 … T along every path, given G_t = ∂L/∂h_t from outside the layer.

    ∂L/∂h_k = G_k + (what step k + 1 sends back to h_k), with G_0 = 0: the quantity whose
    decay over T − k shows whether a cell keeps gradients alive.

    Parameters
    ----------
    params, xs, d_hs, h0, c0
        As for `backprop_states`.

    Returns
    -------
    numpy.ndarray, shape (T + 1, H) or (T + 1, B, H)
        Index k holds ∂L/∂h_k; index 0 is ∂L/∂h_0.
    """
    r = run(params, xs, h0, c0)
    dhs = np.empty_like(r.h)
    backward(r, upstream(r, d_hs), dhs)
    return dhs if r.batched else dhs[:, 0]


def upstream(r: Run, d_hs: object) -> np.ndarray:
    """Check G_t = ∂L/∂h_t (shape (T, H) or (T, B, H)) against a run; return it as (T, B, H)."""
    T, B, H = r.h[1:].shape
    spec = ("T", "B", "H") if r.batched else ("T", "H")
    sizes = Sizes(
        T=(T, f"xs has {T} time steps"), B=(B, f"xs has {B} sequences"), H=(H, f"H = {H}")
    )
    G = as_float_array(d_hs, "d_hs", spec, dtype=r.params.dtype, sizes=sizes)
    return G.reshape(T, B, H)
