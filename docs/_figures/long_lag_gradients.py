"""How ‖∂L_T/∂h_k‖ falls with T − k for a vanilla RNN, an LSTM and a GRU, at initialization.

One batch of the recall task with delay 40 (T = 41). L_T is the loss of the answer (step T)
only, so ∂L_T/∂h_k is what the answer's error leaves at step k; the curve is its norm averaged
over the B sequences. The networks start as in the training runs of the same page: weights
from N(0, 0.3²), H = 32, the LSTM's forget bias at 1; for contrast, a vanilla RNN with
weights from N(0, 0.1²) and an LSTM with its forget bias at 0.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import hidden_grads

NETS = runpy.run_path(str(Path(__file__).with_name("_long_lag_nets.py")))
DELAY, LABELS = NETS["DELAY"], NETS["LABELS"]
problem, last_step_upstream = NETS["problem"], NETS["last_step_upstream"]


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
