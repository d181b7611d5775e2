"""Time of one forward + backward pass for four programs, at four sizes, in float64 and float32.

The bars are the stored measurement ``benchmarks/results.json`` (written by ``make bench``),
not recomputed at build time: timing depends on the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"
PROGRAMS = {"fast": "fast", "readable": "readable", "torch_rnn": "nn.RNN", "torch_loop": "loop"}
DTYPES = ("float64", "float32")


def data() -> dict[str, object]:
    """``H`` {dtype: (n,)} hidden sizes, ``ms`` {dtype: {program: (n,)}} median milliseconds
    per call, in the order of the measurement."""
    rows = json.loads(RESULTS.read_text(encoding="utf-8"))["versus_torch"]
    by_dtype = {dtype: [r for r in rows if r["dtype"] == dtype] for dtype in DTYPES}
    return {
        "H": {dtype: np.array([r["H"] for r in rs]) for dtype, rs in by_dtype.items()},
        "ms": {
            dtype: {p: np.array([1e3 * r["seconds"][p] for r in rs]) for p in PROGRAMS}
            for dtype, rs in by_dtype.items()
        },
    }


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 3.8))
    axes = fig.subplots(1, len(DTYPES), sharey=True)
    width = 0.8 / len(PROGRAMS)
    for ax, dtype in zip(axes, DTYPES, strict=True):
        x = np.arange(len(d["H"][dtype]))
        for i, (program, label) in enumerate(PROGRAMS.items()):
            offset = (i - (len(PROGRAMS) - 1) / 2) * width
            ax.bar(x + offset, d["ms"][dtype][program], width, color=f"C{i}", label=label)
        ax.set_yscale("log")
        ax.set_xticks(x, [str(H) for H in d["H"][dtype]])
        ax.set_xlabel("hidden units $H$")
        ax.set_title(dtype, fontsize=11)
    axes[0].set_ylabel("time per call (ms)")
    axes[0].legend(loc="upper left", fontsize=8)
    return fig
