"""The size of each step's term δ_k h_{k−1}ᵀ of ∂L/∂W_hh, for a loss on the last output only.

Same networks as ``jacobian_decay`` (``scaled_network(s)``), scored with
``loss="squared_last"`` and target y = 0, so term k carries ∂h_T/∂h_k. Term k = 1 is left
out: it is zero because h_0 = 0.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import scaled_network, w_hh_grad_terms

SCALES = (0.5, 0.9, 1.5, 3.0)
T = 40


def data() -> dict[str, np.ndarray]:
    """``scales`` (S,), ``lags`` T − k for k = T … 2 (T − 1,), and ``term_norms`` (S, T − 1):
    ‖δ_k h_{k−1}ᵀ‖_F in the order of ``lags``."""
    term_norms = []
    for s in SCALES:
        params, xs = scaled_network(s, n_steps=T)
        terms = w_hh_grad_terms(params, xs, np.zeros(params.n_out), loss="squared_last")
        term_norms.append(np.linalg.norm(terms[:0:-1], axis=(1, 2)))  # k = T, T − 1, …, 2
    lags = np.arange(T - 1)
    return {"scales": np.array(SCALES), "lags": lags, "term_norms": np.array(term_norms)}


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.add_subplot()
    for i, s in enumerate(d["scales"]):
        ax.semilogy(d["lags"], d["term_norms"][i], color=f"C{i}", label=f"$s = {s:g}$")
    ax.set_xlim(0, T - 2)
    ax.set_xlabel("$T - k$ (steps back)")
    ax.set_ylabel(r"$\Vert \delta_k h_{k-1}^\top \Vert_F$")
    ax.set_title(r"Terms of $\partial L / \partial W_{hh}$, loss on $o_T$ only", fontsize=11)
    ax.legend(loc="lower left", ncol=2)
    return fig
