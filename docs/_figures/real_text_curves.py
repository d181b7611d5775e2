"""Loss per character of a vanilla RNN, an LSTM and a GRU trained on tiny Shakespeare.

The stored run ``benchmarks/char_model.json`` (written by ``benchmarks/char_model.py``), not
recomputed at build time; the tests re-run its first updates (``tests/test_char_model_run.py``).
Lines: the training loss per character, averaged over blocks of ``BLOCK`` updates (each
update's loss is that of its own chunk, before the update). Markers: the validation loss per
character at each checkpoint. The dashed line is log V, the loss of a uniform guess.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "char_model.json"
CELLS = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}
#: Updates per plotted mean of the training loss.
BLOCK = 50


def stored() -> dict:
    """The whole stored run."""
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def data() -> dict[str, object]:
    """``updates`` (n,) the last update of each block, ``train`` {cell: (n,)} the block means
    of the training loss, ``checkpoints`` (5,) and ``valid`` {cell: (5,)} the validation loss
    at each, and ``chance`` = log V."""
    results = stored()
    runs = {r["cell"]: r["package"] for r in results["runs"]}
    steps = results["settings"]["steps"]
    return {
        "updates": BLOCK * np.arange(1, steps // BLOCK + 1),
        "train": {
            cell: np.array(run["losses"]).reshape(-1, BLOCK).mean(axis=1)
            for cell, run in runs.items()
        },
        "checkpoints": np.array(results["settings"]["checkpoints"]),
        "valid": {
            cell: np.array([c["valid_loss"] for c in run["checkpoints"]])
            for cell, run in runs.items()
        },
        "chance": float(np.log(results["settings"]["vocab_size"])),
    }


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")  # room for the legend below
    ax = fig.subplots()
    for i, (cell, label) in enumerate(CELLS.items()):
        color = f"C{i}"
        ax.plot(d["updates"], d["train"][cell], color=color, linewidth=1.6, label=label)
        ax.plot(
            d["checkpoints"],
            d["valid"][cell],
            color=color,
            marker="o",
            linestyle=":",
            linewidth=1,
        )
    ax.axhline(d["chance"], color="#808080", linestyle="--", linewidth=1)
    ax.set_xlabel("update")
    ax.set_ylabel("loss per character (nats)")
    # below the axes, where it covers no data: the cells by colour, then what line and marker mean
    grey = "#808080"
    kinds = [
        Line2D([], [], color=grey, linewidth=1.6, label="training"),
        Line2D([], [], color=grey, marker="o", linestyle=":", linewidth=1, label="validation"),
        Line2D([], [], color=grey, linestyle="--", linewidth=1, label="uniform guess"),
    ]
    cells = ax.get_legend_handles_labels()[0]
    handles = [h for pair in zip(cells, kinds, strict=True) for h in pair]  # filled by column
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)
    return fig
