"""Backpropagation through time for every cell: the loss, its gradients, truncation, stacking.

`loss_and_grads` scores a forward pass of any cell (`rnn_derivatives.sequence.score`) and
runs the steps backward (`rnn_derivatives.sequence.backward`), starting from

    ∂L/∂h_t (from outside the recurrence) = W_hyᵀ ∂L/∂o_t
    ∂L/∂W_hy = Σ_t (∂L/∂o_t) h_tᵀ     ∂L/∂b_y = Σ_t ∂L/∂o_t

Two kinds of truncated BPTT are options of the same call:

* ``truncate=K``: the gradient of each L_t flows back through h_t … h_{t−K+1} only (the
  terms t − K < k ≤ t of the double sum); it costs K step backwards per output.
* ``chunk=K``: the sequence is cut into chunks of K steps, each run forward from the last
  state of the previous chunk (so L is unchanged) but with that state held constant: the
  first output of a chunk keeps one term of the double sum, its last keeps K.

Neither is the gradient of L unless K ≥ T. For the vanilla RNN ``method="double_sum"``
evaluates the derivation's literal O(T²) double sum instead
(`rnn_derivatives.derivation.double_sum_grads`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_derivatives.cells.gru import GRUParams
from rnn_derivatives.cells.lstm import LSTMParams
from rnn_derivatives.cells.rnn import RNNParams
from rnn_derivatives.derivation import double_sum_grads
from rnn_derivatives.params import ParamSet, check_kind
from rnn_derivatives.sequence import (
    Backward,
    Scored,
    Trace,
    backward,
    check_truncation,
    forward,
    output_layer_grads,
    score,
)
from rnn_derivatives.validation import Sizes, as_float_array, check_choice

METHOD_NAMES = ("recursive", "double_sum")


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


def state_grads_of(trace: Trace, back: Backward) -> StateGrads:
    """∂L/∂x_t and the initial states' gradients of ``back``, in the layout of ``trace.xs``."""

    def layout(a: np.ndarray) -> np.ndarray:
        return a if trace.batched else a[:, 0] if a.ndim == 3 else a[0]

    c0 = layout(back.initial[1]) if len(back.initial) == 2 else None
    return StateGrads(xs=layout(back.xs), h0=layout(back.initial[0]), c0=c0)


def differentiate(
    params: object,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
    truncate: int | None = None,
    chunk: int | None = None,
) -> tuple[float, ParamSet, StateGrads]:
    """L, every parameter's gradient and the input and initial-state gradients (any cell)."""
    truncate, chunk = check_truncation(truncate, chunk)
    scored = score(params, xs, targets, loss=loss, h0=h0, c0=c0)
    grads, back = scored_grads(scored, truncate=truncate, chunk=chunk)
    return scored.loss, grads, state_grads_of(scored.trace, back)


def scored_grads(
    scored: Scored, *, truncate: int | None = None, chunk: int | None = None
) -> tuple[ParamSet, Backward]:
    """Every parameter's gradient of a scored forward pass, and the backward pass that gave it.

    For a caller that also needs the forward pass (``scored.trace``), such as the character
    model carrying the last state into the next chunk; ``truncate`` and ``chunk`` are checked.
    """
    trace, p = scored.trace, scored.trace.params
    back = backward(trace, scored.d_o @ p.W_hy, truncate=truncate, chunk=chunk)
    grads = {**back.grads, **output_layer_grads(scored.d_o, trace.batch_of_one().h)}
    return type(p)._of_computed(**grads), back


def loss_and_grads(
    params: object,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
    method: str = "recursive",
    truncate: int | None = None,
    chunk: int | None = None,
) -> tuple[float, ParamSet]:
    """The loss L and its gradient with respect to every parameter, for any cell.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    xs : array_like, shape (T, D) or (T, B, D)
        Inputs; a batch of B sequences when 3-D.
    targets : array_like
        ``"cross_entropy"``: int class ids of shape (T,) or (T, B).
        ``"squared_last"``: shape (O,) or (B, O); a plain number when O == 1.
    loss : {"cross_entropy", "squared_last"}
        L = Σ_t −log softmax(o_t)[y_t], or L = ½‖o_T − y‖²; summed over the batch.
    h0 : array_like, shape (H,) or (B, H), optional
        Initial hidden state; zeros when omitted.
    c0 : array_like, shape (H,) or (B, H), optional
        An LSTM's initial cell state; zeros when omitted.
    method : {"recursive", "double_sum"}
        The O(T) backward recursion, or (vanilla RNN only) the O(T²) literal double sum;
        both give the same gradient.
    truncate : int, optional
        K >= 1: truncated BPTT, each L_t's gradient flows back through h_t … h_{t−K+1} only.
    chunk : int, optional
        K >= 1: chunked truncated BPTT, no gradient crosses the boundary of a chunk of K
        steps (the forward pass and L are unchanged).

    Returns
    -------
    loss : float
    grads : same type as params
        For an RNNParams: ∂L/∂W_xh (H, D), ∂L/∂W_hh (H, H), ∂L/∂W_hy (O, H), ∂L/∂b_h (H,),
        ∂L/∂b_y (O,); for the gated cells the gradients of their fields.
    """
    check_choice(method, "method", METHOD_NAMES)
    if method == "recursive":
        value, grads, _ = differentiate(
            params, xs, targets, loss=loss, h0=h0, c0=c0, truncate=truncate, chunk=chunk
        )
        return value, grads
    check_kind(params, RNNParams)
    truncate, chunk = check_truncation(truncate, chunk)
    scored = score(params, xs, targets, loss=loss, h0=h0, c0=c0)
    trace = scored.trace.batch_of_one()
    grads = double_sum_grads(params, trace, scored.d_o, truncate=truncate, chunk=chunk)
    grads.update(output_layer_grads(scored.d_o, trace.h))
    return scored.loss, RNNParams._of_computed(**grads)


def lstm_loss_and_grads(
    params: LSTMParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
) -> tuple[float, LSTMParams]:
    """[`loss_and_grads`][rnn_derivatives.loss_and_grads] for an
    [`LSTMParams`][rnn_derivatives.LSTMParams] (kept for code written before it took every cell).

    Returns L and the [`LSTMParams`][rnn_derivatives.LSTMParams] of the gradients:
    ∂L/∂W_x (4H, D), ∂L/∂W_h (4H, H), ∂L/∂b (4H,), ∂L/∂W_hy (O, H), ∂L/∂b_y (O,).
    """
    check_kind(params, LSTMParams)
    return loss_and_grads(params, xs, targets, loss=loss, h0=h0, c0=c0)


def gru_loss_and_grads(
    params: GRUParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
) -> tuple[float, GRUParams]:
    """[`loss_and_grads`][rnn_derivatives.loss_and_grads] for a
    [`GRUParams`][rnn_derivatives.GRUParams] (kept for code written before it took every cell).

    Returns L and the [`GRUParams`][rnn_derivatives.GRUParams] of the gradients:
    ∂L/∂W_x (3H, D), ∂L/∂W_h (3H, H), ∂L/∂b_x (3H,), ∂L/∂b_h (3H,), ∂L/∂W_hy (O, H),
    ∂L/∂b_y (O,).
    """
    check_kind(params, GRUParams)
    return loss_and_grads(params, xs, targets, loss=loss, h0=h0)


def chunked_loss_and_grads(
    params: object, xs: object, targets: object, *, chunk: int, h0: object = None, c0: object = None
) -> tuple[float, ParamSet]:
    """``loss_and_grads(params, xs, targets, chunk=chunk, h0=h0, c0=c0)``, cross-entropy loss.

    Kept for code written before ``chunk`` was an option of
    [`loss_and_grads`][rnn_derivatives.loss_and_grads].
    """
    return loss_and_grads(params, xs, targets, chunk=chunk, h0=h0, c0=c0)


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

    Arguments as for [`loss_and_grads`][rnn_derivatives.loss_and_grads]. These are what the
    layer below needs: its outputs are this layer's inputs x_t.

    Returns
    -------
    StateGrads
        ``xs`` shaped like ``xs``; ``h0`` (and ``c0``) of shape (H,) or (B, H).
    """
    return differentiate(params, xs, targets, loss=loss, h0=h0, c0=c0)[2]


def upstream(trace: Trace, d_hs: object) -> np.ndarray:
    """Check G_t = ∂L/∂h_t (shape (T, H) or (T, B, H)) against a trace; return (T, B, H)."""
    T, B, H = trace.batch_of_one().h[1:].shape
    spec = ("T", "B", "H") if trace.batched else ("T", "H")
    sizes = Sizes(
        T=(T, f"xs has {T} time steps"), B=(B, f"xs has {B} sequences"), H=(H, f"H = {H}")
    )
    G = as_float_array(d_hs, "d_hs", spec, dtype=trace.params.dtype, sizes=sizes)
    return G.reshape(T, B, H)


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
    grads : same type as params
    state : StateGrads
    """
    trace = forward(params, xs, h0, c0)
    back = backward(trace, upstream(trace, d_hs))
    p = trace.params
    grads = {**back.grads, "W_hy": np.zeros_like(p.W_hy), "b_y": np.zeros_like(p.b_y)}
    return type(p)._of_computed(**grads), state_grads_of(trace, back)


def hidden_grads(
    params: object, xs: object, d_hs: object, *, h0: object = None, c0: object = None
) -> np.ndarray:
    """∂L/∂h_k for k = 0 … T along every path, given G_t = ∂L/∂h_t from outside the layer.

    ∂L/∂h_k = G_k + (what step k + 1 sends back to h_k), with G_0 = 0: the quantity whose
    decay over T − k shows whether a cell keeps gradients alive.

    Parameters
    ----------
    params, xs, d_hs, h0, c0
        As for [`backprop_states`][rnn_derivatives.backprop_states].

    Returns
    -------
    numpy.ndarray, shape (T + 1, H) or (T + 1, B, H)
        Index k holds ∂L/∂h_k; index 0 is ∂L/∂h_0.
    """
    trace = forward(params, xs, h0, c0)
    dhs = backward(trace, upstream(trace, d_hs)).h
    return dhs if trace.batched else dhs[:, 0]
