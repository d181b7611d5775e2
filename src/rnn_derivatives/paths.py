"""Backpropagation through time along some paths only: which route carries a gradient back.

A gated cell's step sends the gradient back to the previous state along two routes. The
LSTM's step Jacobian, with the states (h, c) stacked (2H × 2H),

    ∂(h_t, c_t)/∂(h_{t-1}, c_{t-1}) = [ ∂h_t/∂h_{t-1}   ∂h_t/∂c_{t-1} ]
                                      [ ∂c_t/∂h_{t-1}   ∂c_t/∂c_{t-1} ]

has a c_{t-1} column made of diag(f_t) (∂c_t/∂c_{t-1} = diag(f_t) and ∂h_t/∂c_{t-1} =
diag(o_t ⊙ (1 − tanh²(c_t)) ⊙ f_t)), route ``"cell"``, and an h_{t-1} column whose blocks all
pass through the gates' W_h, route ``"W_h"``. The GRU's ∂h_t/∂h_{t-1} = diag(z_t) + (terms
through W_h) splits into route ``"skip"`` (the first) and route ``"W_h"`` (the rest).

`path_grads` runs the backward pass with each step keeping the routes it is told to. The
result is the exact gradient of a *path-cut model*: the same forward pass, except that at
every step whose route is cut, the cut input is a constant copy of its value:

* LSTM ``"cell"``: the c_{t-1} in c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t;
* LSTM ``"W_h"``: the h_{t-1} in a_t = W_x x_t + W_h h_{t-1} + b;
* GRU ``"skip"``: the h_{t-1} in the term z_t ⊙ h_{t-1};
* GRU ``"W_h"``: the h_{t-1} in u_t = W_h h_{t-1} + b_h, which feeds r_t, z_t and
  r_t ⊙ u_n (the n block of u_t).

The vanilla RNN has one route, ``"W_hh"``, the same as ``"full"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rnn_derivatives.bptt import StateGrads, state_grads_of, upstream
from rnn_derivatives.params import ParamSet
from rnn_derivatives.sequence import backward, forward
from rnn_derivatives.validation import check_choice


@dataclass(frozen=True)
class PathGrads:
    """What a path-cut backward pass returns.

    Attributes
    ----------
    grads : RNNParams, LSTMParams or GRUParams
        The cell parameters' gradients of the path-cut model (W_hy and b_y zero, as for
        [`backprop_states`][rnn_derivatives.backprop_states]).
    state : StateGrads
        ∂L/∂x_t, ∂L/∂h_0 (and ∂L/∂c_0) of the path-cut model.
    h : numpy.ndarray, shape (T + 1, H) or (T + 1, B, H)
        ∂L/∂h_k for k = 0 … T along the kept paths (index k), as
        [`hidden_grads`][rnn_derivatives.hidden_grads] gives along every path.
    """

    grads: ParamSet
    state: StateGrads
    h: np.ndarray


def route_sets(cell_paths: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The names `path_grads` takes for a cell: ``"full"`` (every route) or one route."""
    return {"full": cell_paths, **{name: (name,) for name in cell_paths}}


def path_grads(
    params: object,
    xs: object,
    d_hs: object,
    *,
    paths: str | Sequence[str],
    h0: object = None,
    c0: object = None,
) -> PathGrads:
    """The backward pass of a layer with some of each step's routes back in time cut.

    As [`backprop_states`][rnn_derivatives.backprop_states] (the loss is Σ_t G_t · h_t for the
    given G_t = ∂L/∂h_t), but step t's backward sends the gradient on to step t − 1 along
    the routes ``paths`` names only:

    * LSTM: ``"cell"`` keeps the c_{t-1} column of the step Jacobian ∂(h_t, c_t)/∂(h_{t-1},
      c_{t-1}), the blocks ∂c_t/∂c_{t-1} = diag(f_t) and ∂h_t/∂c_{t-1} = diag(o_t ⊙
      (1 − tanh²(c_t)) ⊙ f_t); ∂L/∂h_{t-1} gets nothing from step t. ``"W_h"`` keeps the
      h_{t-1} column, ∂h_t/∂h_{t-1} and ∂c_t/∂h_{t-1} (both through W_h); ∂L/∂c_{t-1} gets
      nothing.
    * GRU: ∂h_t/∂h_{t-1} = diag(z_t) + (the terms through W_h). ``"skip"`` keeps diag(z_t)
      only, ``"W_h"`` the terms through W_h only.
    * vanilla RNN: ``"W_hh"`` is its only route, the same as ``"full"``.
    * every cell: ``"full"`` keeps every block (the ordinary backward pass).

    Within a step nothing is cut: the gradient arriving at h_t still reaches c_t, the gates
    and the step's parameter gradients.

    Parameters
    ----------
    params : LSTMParams, GRUParams or RNNParams
    xs : array_like, shape (T, D) or (T, B, D)
    d_hs : array_like, shape (T, H) or (T, B, H)
        G_t for t = 1 … T, from outside the recurrence.
    paths : str or sequence of T str
        One name for every step, or Python index ``t - 1`` for step t: ``"full"``, ``"cell"``
        or ``"W_h"`` for an LSTM; ``"full"``, ``"skip"`` or ``"W_h"`` for a GRU; ``"full"`` or
        ``"W_hh"`` for a vanilla RNN.
    h0, c0 : array_like, optional

    Returns
    -------
    PathGrads
        The exact gradients of the path-cut model (module docstring): ``grads``, ``state`` and
        ``h``, ∂L/∂h_k along the kept paths.
    """
    trace = forward(params, xs, h0, c0)
    G = upstream(trace, d_hs)
    options = route_sets(trace.cell.PATHS)
    T = trace.n_steps
    if isinstance(paths, str):
        paths = [paths] * T
    elif not isinstance(paths, Sequence) or len(paths) != T:
        raise ValueError(f"paths must be a string or a sequence of T = {T} strings")
    keep = [options[check_choice(name, "paths", tuple(options))] for name in paths]
    back = backward(trace, G, keep=keep)
    p = trace.params
    grads = {**back.grads, "W_hy": np.zeros_like(p.W_hy), "b_y": np.zeros_like(p.b_y)}
    dhs = back.h if trace.batched else back.h[:, 0]
    return PathGrads(type(p)._of_computed(**grads), state_grads_of(trace, back), dhs)
