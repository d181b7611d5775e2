"""A task that needs memory: recall the first symbol after ``delay`` steps.

A sequence has T = delay + 1 steps and an alphabet of S symbols. With one-hot inputs
(D = S + 1) and classes (O = S + 1):

    x_1 = e_s                   the symbol s ∈ {0, …, S−1} to remember
    x_t = e_{d_t}               for 1 < t < T: random distractor symbols, to be ignored
    x_T = e_S                   the cue: "say it now"
    y_t = S ("wait")            for t < T
    y_T = s

Waiting is learnt at once; answering at step T needs s carried in h_t past every distractor,
so the gradient of L_T must reach step 1. A guess scores L_T = log S and accuracy 1/S.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_derivatives.params import ParamSet
from rnn_derivatives.sequence import outputs
from rnn_derivatives.validation import Sizes, as_class_ids, check_count


@dataclass(frozen=True)
class RecallTask:
    """Recall the first of T = delay + 1 inputs when the cue arrives at step T.

    Parameters
    ----------
    delay : int
        Steps between the symbol and the cue (>= 1).
    n_symbols : int
        S, the alphabet size (>= 2).
    """

    delay: int
    n_symbols: int = 4

    def __post_init__(self) -> None:
        check_count(self.delay, "delay")
        check_count(self.n_symbols, "n_symbols", minimum=2)

    @property
    def n_steps(self) -> int:
        """T = delay + 1."""
        return self.delay + 1

    @property
    def n_in(self) -> int:
        """D = S + 1: the S symbols and the cue."""
        return self.n_symbols + 1

    @property
    def n_out(self) -> int:
        """O = S + 1: the S symbols and "wait"."""
        return self.n_symbols + 1

    def batch(
        self, n_sequences: int, *, seed: int | np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw B sequences with uniformly random symbols and distractors.

        Parameters
        ----------
        n_sequences : int
            B >= 1.
        seed : int or numpy.random.Generator
            Passed to ``numpy.random.default_rng``; the same int gives the same batch.

        Returns
        -------
        xs : numpy.ndarray, shape (T, B, D)
            One-hot inputs, for ``loss_and_grads(params, xs, targets)``.
        targets : numpy.ndarray of int, shape (T, B)
            Class ids: S ("wait") for t < T, the symbol at t = T.
        """
        B = check_count(n_sequences, "n_sequences")
        S, T = self.n_symbols, self.n_steps
        seen = np.random.default_rng(seed).integers(0, S, size=(T - 1, B))  # s, d_2 … d_{T−1}
        xs = np.eye(self.n_in)[np.vstack([seen, np.full((1, B), S)])]  # the cue e_S last
        targets = np.full((T, B), S, dtype=np.int64)
        targets[-1] = seen[0]
        return xs, targets

    def accuracy(self, params: ParamSet, xs: object, targets: object) -> float:
        """The fraction of sequences whose largest output at step T is the symbol.

        Parameters
        ----------
        params : RNNParams, LSTMParams or GRUParams
            D = O = S + 1.
        xs : array_like, shape (T, B, D)
        targets : array_like of int, shape (T, B)

        Returns
        -------
        float
            In [0, 1]; 1/S expected from a guess.
        """
        if np.ndim(xs) != 3:
            raise ValueError(f"xs must have shape (T, B, D), got shape {np.shape(xs)}")
        o = outputs(params, xs)  # checks params and xs, (T, B, O)
        T, B = o.shape[:2]
        sizes = Sizes(T=(T, f"xs has {T} time steps"), B=(B, f"xs has {B} sequences"))
        ids = as_class_ids(targets, "targets", ("T", "B"), params.n_out, sizes)
        return float(np.mean(np.argmax(o[-1], axis=-1) == ids[-1]))
