"""Shared helpers for the package tests: random problems of any cell and an independent
reference model of the vanilla RNN.

The reference (`reference_states`, `reference_loss`) is written one sequence and one step at a
time with column vectors, exactly as the site writes the equations, and shares no code with
the package, so agreeing with it is evidence that the package computes the model it documents.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np
import pytest

from rnn_derivatives import (
    LSTMParams,
    ParamSet,
    RNNParams,
    forward,
    loss_and_grads,
    numerical_jacobian,
    state_grads,
)

#: (loss, T, B, with_h0) for tests that compare two ways of computing the same gradient: both
#: losses, T = 1, 2 and 12, unbatched (B = None) and batched, with and without h_0.
GRADIENT_CASES = [
    pytest.param(loss, T, B, with_h0, id=f"{loss}-T{T}-B{B}-h0{int(with_h0)}")
    for loss in ("cross_entropy", "squared_last")
    for T in (1, 2, 12)
    for B in (None, 3)
    for with_h0 in (False, True)
]


@dataclass(frozen=True)
class Problem:
    """One call's worth of arguments for `loss_and_grads` and `numerical_grads`, any cell."""

    params: ParamSet
    xs: np.ndarray
    targets: np.ndarray
    loss: str
    h0: np.ndarray | None
    c0: np.ndarray | None = None

    @property
    def args(self) -> tuple[ParamSet, np.ndarray, np.ndarray]:
        """``(params, xs, targets)``, the positional arguments."""
        return self.params, self.xs, self.targets

    @property
    def kwargs(self) -> dict[str, object]:
        """``loss`` and ``h0`` (and ``c0`` for an LSTM) as keyword arguments."""
        states = {"c0": self.c0} if isinstance(self.params, LSTMParams) else {}
        return {"loss": self.loss, "h0": self.h0, **states}

    def call(self, f, **changes):
        """``f(params, xs, targets, **kwargs)`` with some fields replaced, e.g. ``xs=...``."""
        p = dataclasses.replace(self, **changes)
        return f(*p.args, **p.kwargs)


def make_problem(
    kind: type[ParamSet] = RNNParams,
    *,
    seed: int,
    T: int,
    B: int | None = None,
    D: int = 3,
    H: int = 4,
    O: int = 3,
    loss: str = "cross_entropy",
    with_states: bool = False,
    scale: float = 0.5,
) -> Problem:
    """A random problem for ``kind`` (RNNParams, LSTMParams or GRUParams).

    Every entry, biases included, is drawn from N(0, scale²); ``B=None`` gives one unbatched
    sequence; ``with_states`` draws h_0 (and c_0 for an LSTM) instead of zeros.
    """
    rng = np.random.default_rng(seed)
    sizes = {"D": D, "H": H, "O": O, "GH": max(len(kind.GATES), 1) * H}
    params = kind(
        **{
            name: rng.normal(0.0, scale, [sizes[s] for s in spec])
            for name, spec in kind.SHAPES.items()
        }
    )
    lead = (T,) if B is None else (T, B)
    state = (H,) if B is None else (B, H)
    xs = rng.normal(0.0, 1.0, (*lead, D))
    if loss == "cross_entropy":
        targets = rng.integers(0, O, size=lead)
    else:
        targets = rng.normal(0.0, 1.0, (O,) if B is None else (B, O))
    h0 = rng.uniform(-0.9, 0.9, state) if with_states else None
    c0 = rng.normal(0.0, 1.0, state) if with_states and kind is LSTMParams else None
    return Problem(params, xs, targets, loss, h0, c0)


def reference_states(
    params: RNNParams, xs: np.ndarray, h0: np.ndarray | None = None
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """h_0 … h_T and o_1 … o_T of one sequence (xs of shape (T, D)), step by step."""
    W_xh, W_hh, W_hy = params.W_xh, params.W_hh, params.W_hy
    b_h, b_y = params.b_h.reshape(-1, 1), params.b_y.reshape(-1, 1)
    h = np.zeros((params.n_hidden, 1)) if h0 is None else np.reshape(h0, (-1, 1))
    hs, os = [h.ravel()], []
    for x in xs:
        z = W_xh @ x.reshape(-1, 1) + W_hh @ h + b_h
        h = np.tanh(z)
        hs.append(h.ravel())
        os.append((W_hy @ h + b_y).ravel())
    return hs, os


def reference_loss(problem: Problem) -> float:
    """L by the definitions: Σ_t −log(e^{o_t[y_t]} / Σ_i e^{o_t[i]}) or ½‖o_T − y‖², summed
    over the sequences of a batch."""
    xs, targets, h0 = problem.xs, problem.targets, problem.h0
    if xs.ndim == 2:
        sequences = [(xs, targets, h0)]
    else:
        per_step = problem.loss == "cross_entropy"
        sequences = [
            (xs[:, b], targets[:, b] if per_step else targets[b], None if h0 is None else h0[b])
            for b in range(xs.shape[1])
        ]
    total = 0.0
    for seq_xs, seq_targets, seq_h0 in sequences:
        _, os = reference_states(problem.params, seq_xs, seq_h0)
        if problem.loss == "cross_entropy":
            for o, y in zip(os, seq_targets, strict=True):
                total += -np.log(np.exp(o[y]) / np.sum(np.exp(o)))
        else:
            total += 0.5 * float(np.sum((os[-1] - seq_targets) ** 2))
    return float(total)


def raises_naming(name: str, *expected: str) -> pytest.RaisesExc:
    """``pytest.raises(ValueError)`` whose message starts with ``name`` and says what it must be.

    ``expected`` are further fragments the message must contain (a shape, a range).
    """
    lookaheads = "".join(rf"(?=.*{re.escape(fragment)})" for fragment in expected)
    pattern = rf"^{lookaheads}{re.escape(name)}\b.*\bmust\b"
    return pytest.raises(ValueError, match=re.compile(pattern, re.DOTALL))


def full_grads(params, xs, targets, **kwargs):
    """``(L, ∂L/∂θ, StateGrads)`` of any cell, from `loss_and_grads` and `state_grads`."""
    loss, grads = loss_and_grads(params, xs, targets, **kwargs)
    return loss, grads, state_grads(params, xs, targets, **kwargs)


def fd_hidden_jacobian(params: RNNParams, xs: np.ndarray, t: int, k: int, h0=None) -> np.ndarray:
    """∂h_t/∂h_k of one sequence by central differences: rerun steps k + 1 … t from h_k ± ε e_j."""
    h_k = forward(params, xs, h0).h[k]
    if k == t:
        return np.eye(params.n_hidden)
    return numerical_jacobian(lambda h: forward(params, xs[k:t], h).h[-1], h_k)
