"""How far truncated BPTT is from the full gradient, against the truncation length K.

Network ``scaled_network(1.0)`` (T = 40) with a cross-entropy loss on seeded random class
targets. Per-output truncation (``loss_and_grads(..., truncate=K)``) keeps the last K terms of
every output; chunked truncation (``chunked_loss_and_grads(..., chunk=K)``) keeps the terms back
to the start of the output's chunk. Both equal the full gradient once K ≥ T, so the figure
stops at K = T − 1.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import chunked_loss_and_grads, loss_and_grads, relative_error, scaled_network

SCALE = 1.0
T = 40


def problem() -> tuple[object, np.ndarray, np.ndarray]:
    """The network, inputs xs (T, 4) and class targets (T,) the figure uses."""
    params, xs = scaled_network(SCALE, n_steps=T)
    targets = np.random.default_rng(0).integers(0, params.n_out, size=T)
    return params, xs, targets


def data() -> dict[str, np.ndarray]:
    """``K`` = 1 … T − 1, and the relative errors ‖g_K − g‖ / ‖g‖ of ``per_output`` and
    ``chunked`` truncation, each of shape (T − 1,)."""
    params, xs, targets = problem()
    full = loss_and_grads(params, xs, targets)[1]
    Ks = np.arange(1, T)
    per_output = [
        relative_error(loss_and_grads(params, xs, targets, truncate=K)[1], full) for K in Ks
    ]
    chunked = [
        relative_error(chunked_loss_and_grads(params, xs, targets, chunk=K)[1], full) for K in Ks
    ]
    return {"K": Ks, "per_output": np.array(per_output), "chunked": np.array(chunked)}


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.add_subplot()
    ax.semilogy(
        d["K"], d["per_output"], marker="o", markersize=3, label="each output: last $K$ steps"
    )
    ax.semilogy(d["K"], d["chunked"], marker="s", markersize=3, label="chunks of $K$ steps")
    ax.set_xlim(0, T)
    ax.set_xlabel("truncation length $K$")
    ax.set_ylabel("relative error vs full BPTT")
    ax.set_title(f"$T = {T}$, $W_{{hh}} = Q$ ($s = 1$)", fontsize=11)
    ax.legend(loc="lower left")
    return fig
