"""How ‖∂L_T/∂h_k‖ falls with T − k for a vanilla RNN, an LSTM and a GRU, at initialization.

One batch of the recall task with delay 40 (T = 41). L_T is the loss of the answer (step T)
only, so ∂L_T/∂h_k is what the answer's error leaves at step k; the curve is its norm averaged
over the B sequences. The networks start as in the training runs of the same page: weights
from N(0, 0.3²), H = 32, the LSTM's forget bias at 1; for contrast, a vanilla RNN with
weights from N(0, 0.1²) and an LSTM with its forget bias at 0.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import (
    GRUParams,
    LSTMParams,
    RecallTask,
    RNNParams,
    hidden_grads,
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


def data() -> dict[str, np.ndarray]:
    """``lags`` T − k = 0 … T (T + 1,) and ``norms`` (5, T + 1): mean over the batch of
    ‖∂L_T/∂h_k‖ for each network of `LABELS`."""
    nets, xs, targets = problem()
    norms = []
    for params in nets:
        dhs = hidden_grads(params, xs, last_step_upstream(params, xs, targets))  # (T + 1, B, H)
        norms.append(np.linalg.norm(dhs, axis=2).mean(axis=1)[::-1])  # index T − k
    return {"lags": np.arange(DELAY + 2), "norms": np.array(norms)}


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.add_subplot()
    styles = ("-", ":", "-", "--", "-")
    for i, label in enumerate(LABELS):
        ax.semilogy(d["lags"], d["norms"][i], linestyle=styles[i], label=label)
    ax.set_xlim(0, d["lags"][-1])
    ax.set_xlabel("$T - k$ (steps back from the answer)")
    ax.set_ylabel(r"mean $\Vert \partial L_T / \partial h_k \Vert$")
    ax.set_title(f"Recall task, delay {DELAY}, at initialization", fontsize=11)
    ax.legend(loc="lower left")
    return fig
