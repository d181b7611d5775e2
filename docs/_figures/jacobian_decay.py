"""How fast ‖∂h_T/∂h_k‖₂ shrinks or grows with T − k, for W_hh = s Q at several scales s.

Each network is ``scaled_network(s)`` (Q orthogonal, so ‖W_hh‖₂ = s); the dotted line of
the same colour is the bound (γ ‖W_hh‖₂)^{T−k} = s^{T−k} with γ = 1 for tanh.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import forward, jacobian_norms, scaled_network

SCALES = (0.5, 0.9, 1.5, 3.0)
T = 40


def data() -> dict[str, np.ndarray]:
    """``scales`` (S,), ``lags`` T − k = 0 … T (T + 1,), ``norms`` and ``bounds`` (S, T + 1)."""
    lags = np.arange(T + 1)
    norms = []
    for s in SCALES:
        params, xs = scaled_network(s, n_steps=T)
        norms.append(jacobian_norms(params, forward(params, xs), T))
    scales = np.array(SCALES)
    return {
        "scales": scales,
        "lags": lags,
        "norms": np.array(norms),
        "bounds": scales[:, None] ** lags,
    }


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.add_subplot()
    for i, s in enumerate(d["scales"]):
        ax.semilogy(d["lags"], d["norms"][i], color=f"C{i}", label=f"$s = {s:g}$")
        ax.semilogy(d["lags"], d["bounds"][i], color=f"C{i}", linestyle=":", linewidth=1.2)
    ax.set_ylim(1e-18, 1e6)
    ax.set_xlim(0, T)
    ax.set_xlabel("$T - k$ (steps back)")
    ax.set_ylabel(r"$\Vert \partial h_T / \partial h_k \Vert_2$")
    ax.set_title(r"$W_{hh} = s\,Q$; dotted: bound $s^{T-k}$", fontsize=11)
    ax.legend(loc="lower left", ncol=2)
    return fig
