"""Time of one forward + backward pass against T: the literal double sum and the recursion.

The points are the stored measurement ``benchmarks/results.json`` (written by ``make bench``),
not recomputed at build time: timing depends on the machine. Dashed lines are the fits
t(T) ≈ α + β·T^κ stored with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"
METHODS = {"double_sum": "double sum", "recursive": "recursion"}


def data() -> dict[str, object]:
    """``T`` (n,), ``seconds`` and ``fitted`` {method: (n,)}, ``exponent`` {method: p},
    ``loglog_slope`` {method: slope} and the ``size`` (B, H, D) of the measurement."""
    scaling = json.loads(RESULTS.read_text(encoding="utf-8"))["scaling"]
    T = np.array(scaling["T"], dtype=float)
    fits = scaling["fit"]
    return {
        "T": T,
        "seconds": {m: np.array(scaling["seconds"][m]) for m in METHODS},
        "fitted": {
            m: fits[m]["fixed_seconds"] + fits[m]["coefficient"] * T ** fits[m]["exponent"]
            for m in METHODS
        },
        "exponent": {m: fits[m]["exponent"] for m in METHODS},
        "loglog_slope": {m: scaling["loglog_slope"][m] for m in METHODS},
        "size": (scaling["B"], scaling["H"], scaling["D"]),
    }


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.add_subplot()
    for i, (method, label) in enumerate(METHODS.items()):
        kappa = d["exponent"][method]
        ax.loglog(d["T"], d["seconds"][method] * 1e3, "o", color=f"C{i}", label=label)
        ax.loglog(
            d["T"],
            d["fitted"][method] * 1e3,
            "--",
            color=f"C{i}",
            linewidth=1.2,
            label=f"fit $\\alpha + \\beta\\,T^{{{kappa:.2f}}}$",
        )
    B, H, D = d["size"]
    ax.set_xlabel("sequence length $T$")
    ax.set_ylabel("time per call (ms)")
    ax.set_title(f"Forward + backward, $B = {B}$, $H = {H}$, $D = {D}$", fontsize=11)
    ax.legend(loc="upper left")
    return fig
