"""Loss curves of a vanilla RNN, an LSTM and a GRU trained on the recall task at four delays.

The stored run ``benchmarks/long_lags.json`` (written by ``benchmarks/long_lags.py``, about
three minutes of CPU time), not recomputed at build time; the tests re-run the first updates of
some runs and compare. One panel per delay, seed 0: the mean loss per sequence over blocks of
updates; the dashed line is log S, the loss of a network that waits correctly and guesses.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "long_lags.json"
CELLS = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}


def stored() -> dict:
    """The whole stored run."""
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def data() -> dict[str, object]:
    """``delays`` (4,), ``updates`` (n,) the last update of each block, ``curves``
    {(cell, delay): (n,)} for seed 0 (not the extra runs), and ``chance`` = log 4."""
    results = stored()
    settings = results["settings"]
    main = [r for r in results["runs"] if not r["extra"] and r["seed"] == 0]
    delays = sorted({r["delay"] for r in main})
    n = len(main[0]["block_means"])
    return {
        "delays": np.array(delays),
        "updates": settings["block"] * np.arange(1, n + 1),
        "curves": {(r["cell"], r["delay"]): np.array(r["block_means"]) for r in main},
        "chance": float(np.log(4)),
    }


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 5.2))
    axes = fig.subplots(2, 2, sharex=True, sharey=True)
    for ax, delay in zip(axes.flat, d["delays"], strict=True):
        for cell, label in CELLS.items():
            ax.semilogy(d["updates"], d["curves"][(cell, delay)], label=label, linewidth=1.6)
        ax.axhline(d["chance"], color="#808080", linestyle="--", linewidth=1)
        ax.set_title(f"delay {delay}", fontsize=10)
    for ax in axes[1]:
        ax.set_xlabel("update")
    for ax in axes[:, 0]:
        ax.set_ylabel("loss per sequence")
    axes[0, 0].legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig
