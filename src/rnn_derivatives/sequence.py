"""One driver for every cell: run its step over time, score the outputs, run the steps backward.

Each cell module of `rnn_derivatives.cells` holds only its step and the step's backward; what
is the same for the vanilla RNN, the LSTM and the GRU lives here: the loop over time, the
output layer o_t = W_hy h_t + b_y, the loss of `rnn_derivatives.losses`, and the backward
pass over time,

    ∂L/∂h_t = W_hyᵀ ∂L/∂o_t + (what step t + 1 sends back to h_t)
    ∂L/∂θ   = Σ_t (step t's term)              for every cell parameter θ

which also gives ∂L/∂x_t and the gradients of the initial states, ∂L/∂h_0 (and ∂L/∂c_0).
Truncated BPTT changes only which steps a gradient passes through (`backward`).

Arrays are held with a batch axis inside (x_t of shape (B, D)); results come back in the
caller's layout, (T, D) for one sequence or (T, B, D) for a batch.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from rnn_derivatives.cells import CELLS
from rnn_derivatives.cells.rnn import RNNParams
from rnn_derivatives.losses import LOSSES
from rnn_derivatives.params import ParamSet, check_param_set
from rnn_derivatives.validation import (
    Sizes,
    array_copy,
    as_class_ids,
    as_float_array,
    check_choice,
    check_count,
)

States = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Trace:
    """A forward pass of any cell: every state, every output and each step's cache.

    Python index ``t - 1`` of ``xs``, ``o`` and ``steps`` holds step ``t``; ``h`` (and ``c``)
    also hold the initial state, so ``h[t]`` is h_t and ``h[0]`` is h_0.

    Attributes
    ----------
    params : RNNParams, LSTMParams or GRUParams
    xs : numpy.ndarray, shape (T, D) or (T, B, D)
        The inputs x_1 … x_T.
    h : numpy.ndarray, shape (T + 1, H) or (T + 1, B, H)
        Hidden states h_0 … h_T.
    o : numpy.ndarray, shape (T, O) or (T, B, O)
        Outputs o_t = W_hy h_t + b_y.
    c : numpy.ndarray, shape (T + 1, H) or (T + 1, B, H), or None
        An LSTM's cell states c_0 … c_T; None for the other cells.
    steps : list
        Each step's cache (the cell's ``Cache``), with a batch axis.
    """

    params: ParamSet
    xs: np.ndarray
    h: np.ndarray
    o: np.ndarray
    c: np.ndarray | None
    steps: list

    @property
    def batched(self) -> bool:
        """Whether the arrays carry a batch axis (axis 1)."""
        return self.xs.ndim == 3

    @property
    def n_steps(self) -> int:
        """T, the number of time steps."""
        return self.xs.shape[0]

    @property
    def cell(self) -> ModuleType:
        """The cell module that ran (`rnn_derivatives.cells.rnn`, `.lstm` or `.gru`)."""
        return CELLS[type(self.params)]

    def stacked(self, name: str) -> np.ndarray:
        """A field of every step's cache, stacked over time in the caller's layout.

        For example ``trace.stacked("f")`` holds an LSTM's forget gates f_1 … f_T, shape
        (T, H) or (T, B, H); the field names are those of the cell's ``Cache``.
        """
        fields = self.steps[0]._fields
        if name not in fields:
            raise ValueError(f"name must be one of {', '.join(fields)}, got {name!r}")
        stack = np.stack([getattr(step, name) for step in self.steps])
        return stack if self.batched else stack[:, 0]

    @property
    def z(self) -> np.ndarray:
        """The vanilla RNN's pre-activations z_t = W_xh x_t + W_hh h_{t-1} + b_h, (T, [B,] H)."""
        if not isinstance(self.params, RNNParams):
            raise ValueError("z (the pre-activation z_t) belongs to the vanilla RNN's trace")
        return self.stacked("z")

    def batch_of_one(self) -> Trace:
        """The same trace with a batch axis of size 1 if it has none."""
        if self.batched:
            return self
        c = None if self.c is None else self.c[:, None]
        return Trace(self.params, self.xs[:, None], self.h[:, None], self.o[:, None], c, self.steps)


def batch_inputs(params: ParamSet, xs: object) -> tuple[np.ndarray, bool]:
    """Check ``xs`` against any cell's ``params`` and give it a batch axis: (T, B, D), batched."""
    batched = array_copy(xs, "xs", "of shape (T, D) or (T, B, D)").ndim == 3
    spec = ("T", "B", "D") if batched else ("T", "D")
    first = next(iter(params.SHAPES))
    sizes = Sizes(D=(params.n_in, f"params.{first} has {params.n_in} columns"))
    arr = as_float_array(xs, "xs", spec, dtype=params.dtype, sizes=sizes)
    return (arr if batched else arr[:, None, :]), batched


def batch_state(params: ParamSet, value: object, name: str, B: int, batched: bool) -> np.ndarray:
    """Check an initial state (``h0`` or ``c0``): (B, H) for a batch, (H,) otherwise.

    Returns zeros of shape (B, H) when ``value`` is None, else a checked copy of that shape.
    """
    if value is None:
        return np.zeros((B, params.n_hidden), params.dtype)
    H = params.n_hidden
    sizes = Sizes(H=(H, f"params.W_hy has {H} columns"), B=(B, f"xs has {B} sequences"))
    spec = ("B", "H") if batched else ("H",)
    arr = as_float_array(value, name, spec, dtype=params.dtype, sizes=sizes)
    return arr if batched else arr[None, :]


def initial_states(params: ParamSet, h0: object, c0: object, B: int, batched: bool) -> States:
    """The checked initial states the cell of ``params`` takes, (B, H) each."""
    states = CELLS[type(params)].STATES
    if c0 is not None and "c0" not in states:
        raise ValueError(f"c0 must be None for {type(params).__name__} (only an LSTM has c_t)")
    given = {"h0": h0, "c0": c0}
    return tuple(batch_state(params, given[name], name, B, batched) for name in states)


def run(params: ParamSet, xs: np.ndarray, initial: States, batched: bool) -> Trace:
    """Run the cell of ``params`` over checked inputs ``xs`` (T, B, D) from ``initial``."""
    cell = CELLS[type(params)]
    state, states, steps = initial, [initial], []
    for x in xs:
        state, cache = cell.step_forward(params, x, state)
        states.append(state)
        steps.append(cache)
    h = np.stack([s[0] for s in states])  # (T + 1, B, H)
    c = np.stack([s[1] for s in states]) if len(initial) == 2 else None
    o = h[1:] @ params.W_hy.T + params.b_y  # o_t = W_hy h_t + b_y
    if not batched:
        xs, h, o, c = xs[:, 0], h[:, 0], o[:, 0], None if c is None else c[:, 0]
    return Trace(params, xs, h, o, c, steps)


def forward(params: object, xs: object, h0: object = None, c0: object = None) -> Trace:
    """Run any cell over a sequence (or a batch of sequences).

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    xs : array_like, shape (T, D) or (T, B, D)
        Inputs x_1 … x_T; a batch of B sequences when 3-D.
    h0 : array_like, shape (H,) or (B, H), optional
        Initial hidden state; zeros when omitted.
    c0 : array_like, shape (H,) or (B, H), optional
        An LSTM's initial cell state; zeros when omitted.

    Returns
    -------
    Trace
        h_t (with h_0), o_t, c_t for an LSTM, and every step's cache, batched like ``xs``.
    """
    params = check_param_set(params)
    xs_b, batched = batch_inputs(params, xs)
    return run(params, xs_b, initial_states(params, h0, c0, xs_b.shape[1], batched), batched)


def hidden_states(
    params: object, xs: object, *, h0: object = None, c0: object = None
) -> np.ndarray:
    """h_1 … h_T of any cell: shape (T, H), or (T, B, H) for a batch (see
    [`forward`][rnn_derivatives.forward])."""
    return forward(params, xs, h0, c0).h[1:]


def outputs(params: object, xs: object, *, h0: object = None, c0: object = None) -> np.ndarray:
    """o_t = W_hy h_t + b_y of any cell: shape (T, O), or (T, B, O) for a batch."""
    return forward(params, xs, h0, c0).o


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
    """A forward pass with its loss: what every backward pass and the gradient check need.

    Attributes
    ----------
    trace : Trace
    loss : float
        L.
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step, with a batch axis.
    """

    trace: Trace
    loss: float
    d_o: np.ndarray


def score(
    params: object,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    c0: object = None,
) -> Scored:
    """Check every input, run the forward pass and evaluate ``loss`` and ∂L/∂o_t.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    xs : array_like, shape (T, D) or (T, B, D)
    targets : array_like
        Class ids of shape (T,) or (T, B) for ``"cross_entropy"``; shape (O,) or (B, O) for
        ``"squared_last"`` (a plain number when O == 1).
    loss : {"cross_entropy", "squared_last"}
    h0, c0 : array_like, shape (H,) or (B, H), optional
    """
    check_choice(loss, "loss", tuple(LOSSES))
    params = check_param_set(params)
    xs_b, batched = batch_inputs(params, xs)
    T, B, _ = xs_b.shape
    y = prepare_targets(loss, targets, T, B, params.n_out, batched)
    trace = run(params, xs_b, initial_states(params, h0, c0, B, batched), batched)
    value, d_o = LOSSES[loss](trace.batch_of_one().o, y)
    return Scored(trace, value, d_o)


def rows(a: np.ndarray) -> np.ndarray:
    """View a (T, B, n) array as (T·B, n): one row per step and sequence."""
    return a.reshape(-1, a.shape[-1])


def output_layer_grads(d_o: np.ndarray, h: np.ndarray) -> dict[str, np.ndarray]:
    """∂L/∂W_hy = Σ_t (∂L/∂o_t) h_tᵀ and ∂L/∂b_y = Σ_t ∂L/∂o_t, summed over the batch.

    Parameters
    ----------
    d_o : numpy.ndarray, shape (T, B, O)
    h : numpy.ndarray, shape (T + 1, B, H)
        Hidden states including h_0.
    """
    return {"W_hy": rows(d_o).T @ rows(h[1:]), "b_y": rows(d_o).sum(axis=0)}


@dataclass(frozen=True)
class Backward:
    """What the backward pass over time returns, with a batch axis.

    Attributes
    ----------
    grads : dict
        Every cell parameter's gradient (not W_hy, b_y), summed over steps and batch.
    xs : numpy.ndarray, shape (T, B, D)
        ∂L/∂x_t.
    initial : tuple of numpy.ndarray, (B, H) each
        ∂L/∂h_0 (and ∂L/∂c_0).
    h : numpy.ndarray, shape (T + 1, B, H)
        The ∂L/∂h_k each step's backward received (k = 1 … T) and ∂L/∂h_0 (k = 0).
    """

    grads: dict[str, np.ndarray]
    xs: np.ndarray
    initial: States
    h: np.ndarray


def check_truncation(truncate: object, chunk: object) -> tuple[int | None, int | None]:
    """``truncate`` and ``chunk`` checked: each None or an integer >= 1, not both given."""
    if truncate is not None and chunk is not None:
        raise ValueError("truncate must be None when chunk is given (two kinds of truncation)")
    return (
        None if truncate is None else check_count(truncate, "truncate"),
        None if chunk is None else check_count(chunk, "chunk"),
    )


def backward(
    trace: Trace,
    dh_out: np.ndarray,
    *,
    truncate: int | None = None,
    chunk: int | None = None,
    keep: Sequence[Collection[str]] | None = None,
) -> Backward:
    """Run the steps backward from the ∂L/∂h_t that arrives from outside the recurrence.

    Parameters
    ----------
    trace : Trace
    dh_out : numpy.ndarray, shape (T, B, H)
        ∂L/∂h_t through everything but step t + 1: W_hyᵀ ∂L/∂o_t, or what the layer above
        sends down.
    truncate : int, optional
        K: the gradient arriving at h_t passes back through steps t, …, t − K + 1 only.
    chunk : int, optional
        K: the sequence is cut into chunks of K steps whose initial states are constants,
        so no gradient passes from one chunk into the one before.
    keep : sequence of T collections of str, optional
        Python index ``t - 1`` names the routes of the cell's ``PATHS`` that step t's
        backward keeps (the cell's ``step_backward``); every route when omitted.

    Returns
    -------
    Backward
    """
    cell, params, steps, one = trace.cell, trace.params, trace.steps, trace.batch_of_one()
    T = len(steps)
    keep = [cell.PATHS] * T if keep is None else keep
    zeros = tuple(np.zeros_like(one.h[0]) for _ in cell.STATES)  # nothing arrives from t > T
    total = Backward(
        grads={},
        xs=np.zeros_like(one.xs),
        initial=tuple(np.zeros_like(one.h[0]) for _ in cell.STATES),
        h=np.zeros_like(one.h),
    )

    def step_back(t: int, d_state: States) -> States:
        """Step t's backward (1-based), adding its terms into ``total``."""
        total.h[t] += d_state[0]
        dx, d_prev, terms = cell.step_backward(params, d_state, steps[t - 1], keep[t - 1])
        total.xs[t - 1] += dx
        for name, value in terms.items():
            total.grads[name] = total.grads[name] + value if name in total.grads else value
        return d_prev

    def reached_start(d_state: States) -> None:
        for mine, arriving in zip(total.initial, d_state, strict=True):
            mine += arriving
        total.h[0] += d_state[0]

    if truncate is None:
        d_state = zeros
        for t in range(T, 0, -1):
            d_state = step_back(t, (d_state[0] + dh_out[t - 1], *d_state[1:]))
            if chunk is not None and (t - 1) % chunk == 0 and t > 1:
                d_state = zeros  # step t starts a chunk: its initial state is a constant
        reached_start(d_state)
    else:
        for t in range(1, T + 1):  # the gradient of what arrives at h_t, K steps back
            d_state = (dh_out[t - 1], *zeros[1:])
            for k in range(t, max(t - truncate, 0), -1):
                d_state = step_back(k, d_state)
            if t <= truncate:
                reached_start(d_state)
    return total


def step_forward(params: object, x: object, state: tuple) -> tuple[States, tuple]:
    """One step of the cell of ``params``: ``(state_t, cache)`` from x_t and state_{t-1}.

    ``x`` has shape (B, D) and each state (B, H): ``(h_{t-1},)``, or ``(h_{t-1}, c_{t-1})`` for
    an LSTM. The cache is the cell's ``Cache``, for
    [`step_backward`][rnn_derivatives.step_backward].
    """
    params = check_param_set(params)
    B = np.shape(x)[0] if np.ndim(x) == 2 else 0
    xs, _ = batch_inputs(params, np.asarray(x, dtype=float)[None] if B else x)
    names = CELLS[type(params)].STATES
    if not isinstance(state, tuple) or len(state) != len(names):
        raise ValueError(f"state must be a tuple ({', '.join(names)}) of arrays of shape (B, H)")
    B = xs.shape[1]
    checked = tuple(batch_state(params, s, n, B, True) for s, n in zip(state, names, strict=True))
    return CELLS[type(params)].step_forward(params, xs[0], checked)


def step_backward(params: object, d_state: tuple, cache: tuple) -> tuple:
    """The backward of one step of [`step_forward`][rnn_derivatives.step_forward]:
    ``(∂L/∂x_t, ∂L/∂state_{t-1}, grads)``.

    ``d_state`` holds ∂L/∂h_t (and, for an LSTM, what reaches c_t from step t + 1), each
    (B, H); ``grads`` holds this step's terms of the cell parameters' gradients.
    """
    params = check_param_set(params)
    cell = CELLS[type(params)]
    if not isinstance(cache, cell.Cache):
        raise ValueError(f"cache must be the {type(params).__name__} step's Cache")
    B = cache.x.shape[0]
    if not isinstance(d_state, tuple) or len(d_state) != len(cell.STATES):
        raise ValueError(f"d_state must be a tuple of {len(cell.STATES)} arrays of shape (B, H)")
    names = tuple("d" + n[0] for n in cell.STATES)
    checked = tuple(batch_state(params, d, n, B, True) for d, n in zip(d_state, names, strict=True))
    return cell.step_backward(params, checked, cache)
