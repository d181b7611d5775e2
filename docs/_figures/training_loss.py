"""Loss curve of full BPTT on the recall task (remember the first of 4 symbols for 16 steps).

``train(RecallTask(delay=16), initial_params(task, 32, seed=0), steps=600, seed=0)``: plain
gradient descent with lr 0.3 and gradients clipped to global norm 1. The dashed line is
log S, the loss of the recall step when the symbol is guessed.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import RecallTask, initial_params, train

DELAY, HIDDEN, STEPS, SEED = 16, 32, 600, 0


@functools.cache
def data() -> dict[str, object]:
    """``steps`` 1 … STEPS, ``losses`` mean loss per sequence (STEPS,), ``chance`` log S,
    ``accuracy`` on a held-out batch after training. Cached: training takes about a second."""
    task = RecallTask(delay=DELAY)
    result = train(task, initial_params(task, HIDDEN, seed=SEED), steps=STEPS, seed=SEED)
    return {
        "steps": np.arange(1, STEPS + 1),
        "losses": result.losses,
        "chance": float(np.log(task.n_symbols)),
        "accuracy": result.accuracy,
    }


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.add_subplot()
    ax.semilogy(d["steps"], d["losses"], linewidth=1.2, label="mean loss per sequence")
    ax.axhline(d["chance"], color="C1", linestyle="--", linewidth=1.2, label="guessing: $\\log 4$")
    ax.set_xlim(0, d["steps"][-1])
    ax.set_xlabel("update")
    ax.set_ylabel("loss $L / B$")
    ax.set_title(f"Recall after {DELAY} steps: held-out accuracy {d['accuracy']:.0%}", fontsize=11)
    ax.legend(loc="upper right")
    return fig
