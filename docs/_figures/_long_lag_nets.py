"""The networks and the batch of the long-lags figures (``long_lag_*.py``), in one place.

One batch of the recall task with delay 40 (T = 41); the networks start as in the training
runs of the page: weights from N(0, 0.3²), H = 32, the LSTM's forget bias at 1; for contrast,
a vanilla RNN with weights from N(0, 0.1²) and an LSTM with its forget bias at 0.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RecallTask,
    RNNParams,
    initial_params,
    outputs,
    softmax,
)

DELAY = 40
HIDDEN = 32
B = 32
LABELS = ("vanilla RNN", "vanilla RNN, scale 0.1", "LSTM, b_f = 1", "LSTM, b_f = 0", "GRU")


def problem():
    """The five networks, in the order of `LABELS`, and the batch: ``(nets, xs, targets)``."""
    task = RecallTask(delay=DELAY)
    xs, targets = task.batch(B, seed=0)
    D, O = task.n_in, task.n_out
    nets = (
        initial_params(task, HIDDEN, seed=0),
        RNNParams.random(D, HIDDEN, O, seed=0, scale=0.1),
        LSTMParams.random(D, HIDDEN, O, seed=0, scale=0.3, forget_bias=1.0),
        LSTMParams.random(D, HIDDEN, O, seed=0, scale=0.3, forget_bias=0.0),
        GRUParams.random(D, HIDDEN, O, seed=0, scale=0.3),
    )
    return nets, xs, targets


def last_step_upstream(params, xs, targets) -> np.ndarray:
    """G_t = ∂L_T/∂h_t from the output layer: zero for t < T, W_hyᵀ (ŷ_T − y_T) at t = T."""
    d_o = softmax(outputs(params, xs)[-1])  # ŷ_T, (B, O)
    d_o[np.arange(xs.shape[1]), targets[-1]] -= 1.0
    G = np.zeros((xs.shape[0], xs.shape[1], params.n_hidden))
    G[-1] = d_o @ params.W_hy
    return G
