"""Loss curves of a vanilla RNN, an LSTM and a GRU trained on the recall task at four delays.

The stored run ``benchmarks/long_lags.json`` (written by ``benchmarks/long_lags.py``, about
seven minutes of CPU time), not recomputed at build time; the tests re-run the first updates of
some runs and compare. One panel per delay, one thin line per seed and cell: the mean loss per
sequence over blocks of updates; the dashed line is log S, the loss of a network that waits
correctly and guesses.
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
    """``delays`` (4,), ``seeds`` (S,), ``updates`` (n,) the last update of each block,
    ``curves`` {(cell, delay): (S, n)} the block means of every seed (not the extra runs), and
    ``chance`` = log 4."""
    results = stored()
    settings = results["settings"]
    main = [r for r in results["runs"] if not r["extra"]]
    delays = sorted({r["delay"] for r in main})
    seeds = sorted({r["seed"] for r in main})
    n = len(main[0]["block_means"])

    def curves(cell: str, delay: int) -> np.ndarray:
        by_seed = {
            r["seed"]: r["block_means"] for r in main if (r["cell"], r["delay"]) == (cell, delay)
        }
        return np.array([by_seed[seed] for seed in seeds])

    return {
        "delays": np.array(delays),
        "seeds": np.array(seeds),
        "updates": settings["block"] * np.arange(1, n + 1),
        "curves": {(cell, delay): curves(cell, delay) for cell in CELLS for delay in delays},
        "chance": float(np.log(4)),
    }


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(4.8, 5.6))
    axes = fig.subplots(2, 2, sharex=True, sharey=True)
    colours = [f"C{i}" for i in range(len(CELLS))]
    for ax, delay in zip(axes.flat, d["delays"], strict=True):
        for colour, (cell, label) in zip(colours, CELLS.items(), strict=True):
            for i, curve in enumerate(d["curves"][(cell, delay)]):
                ax.semilogy(
                    d["updates"],
                    curve,
                    color=colour,
                    linewidth=0.9,
                    alpha=0.8,
                    label=label if i == 0 else None,
                )
        ax.axhline(d["chance"], color="#808080", linestyle="--", linewidth=1)
        ax.set_title(f"delay {delay}", fontsize=11)
        ax.tick_params(labelsize=9)
    for ax in axes[1]:
        ax.set_xlabel("update", fontsize=10)
        ax.set_xticks([0, 500, 1000, 1500])
    for ax in axes[:, 0]:
        ax.set_ylabel("loss per sequence", fontsize=10)
    fig.legend(
        *axes[0, 0].get_legend_handles_labels(),
        loc="upper center",
        ncol=len(CELLS),
        fontsize=10,
        bbox_to_anchor=(0.5, 1.0),
    )
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig
