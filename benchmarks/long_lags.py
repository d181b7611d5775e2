"""Train a vanilla RNN, an LSTM and a GRU on the recall task at increasing delays.

The stored run behind the page "Gradients over long lags". Every run uses
`rnn_derivatives.train` (full BPTT, B = 32, lr = 0.3, clipping to norm 1) with H = 32
hidden units and weights drawn from N(0, 0.3²); the LSTM starts with its forget bias at 1.
`EXTRA` adds LSTM runs with the forget bias at 0, the centre of PyTorch's draw (PyTorch
initialises the forget gate's biases like every other gate's: its rows H:2H of bias_ih and of
bias_hh are each drawn from U(−1/√H, 1/√H), so their sum has mean 0 and std √(2/(3H))).
Every cell and delay is trained from each seed of `SEEDS`. A run *succeeds* when its held-out
recall accuracy reaches `SOLVED` (the task's guess scores 1/S = 0.25).

    .venv/bin/python benchmarks/long_lags.py --out benchmarks/long_lags.json

takes about seven minutes of CPU time for its 74 runs (the CPU time of every run is stored; on
a 2-core machine shared with other jobs it took 20 minutes of wall time). The tests re-run the
first `HEAD` updates of one run and compare them with the file, and the page reads the file.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import time
from pathlib import Path

from rnn_derivatives import GRUParams, LSTMParams, RecallTask, initial_params, train

CELLS = ("rnn", "lstm", "gru")
DELAYS = (10, 20, 40, 80)
SEEDS = (0, 1, 2, 3, 4, 5)
HIDDEN = 32
STEPS = 1500
SCALE = 0.3
FORGET_BIAS = 1.0
SOLVED = 0.9
LR = 0.3
#: Extra runs: the LSTM with its forget bias at 0 (the centre of PyTorch's random biases), at the
#: two longest delays.
EXTRA = (
    {"cell": "lstm", "delay": 40, "seed": 0, "forget_bias": 0.0},
    {"cell": "lstm", "delay": 80, "seed": 0, "forget_bias": 0.0},
)
#: Losses are stored as means over blocks of `BLOCK` updates, plus the first `HEAD` exactly.
BLOCK = 25
HEAD = 10


def start(cell: str, task: RecallTask, seed: int, forget_bias: float = FORGET_BIAS):
    """The initial parameters of one run (the same rule for every delay)."""
    if cell == "rnn":
        return initial_params(task, HIDDEN, seed=seed)
    if cell == "lstm":
        return LSTMParams.random(
            task.n_in, HIDDEN, task.n_out, seed=seed, scale=SCALE, forget_bias=forget_bias
        )
    return GRUParams.random(task.n_in, HIDDEN, task.n_out, seed=seed, scale=SCALE)


def one_run(
    cell: str, delay: int, seed: int, steps: int = STEPS, forget_bias: float = FORGET_BIAS
) -> dict:
    """Train one cell at one delay from one seed; its losses, accuracy and CPU seconds."""
    task = RecallTask(delay=delay)
    began = time.process_time()
    result = train(task, start(cell, task, seed, forget_bias), steps=steps, lr=LR, seed=seed)
    seconds = time.process_time() - began
    n = len(result.losses) // BLOCK * BLOCK
    return {
        "cell": cell,
        "delay": delay,
        "seed": seed,
        "forget_bias": forget_bias if cell == "lstm" else None,
        "extra": cell == "lstm" and forget_bias != FORGET_BIAS,
        "seconds": round(seconds, 2),
        "accuracy": result.accuracy,
        "head": result.losses[:HEAD].tolist(),
        "block_means": result.losses[:n].reshape(-1, BLOCK).mean(axis=1).tolist(),
    }


def report(run: dict) -> None:
    print(
        f"delay {run['delay']:3d} seed {run['seed']} {run['cell']:4s} b_f {run['forget_bias']} "
        f"acc {run['accuracy']:.3f} {run['seconds']:6.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/long_lags_latest.json"))
    args = parser.parse_args()
    runs = []
    for delay in DELAYS:
        for seed in SEEDS:
            for cell in CELLS:
                runs.append(one_run(cell, delay, seed))
                report(runs[-1])
    for extra in EXTRA:
        runs.append(one_run(**extra))
        report(runs[-1])
    settings = {
        "hidden": HIDDEN,
        "steps": STEPS,
        "batch_size": 32,
        "lr": LR,
        "extra": list(EXTRA),
        "clip": 1.0,
        "scale": SCALE,
        "forget_bias": FORGET_BIAS,
        "solved": SOLVED,
        "block": BLOCK,
        "head": HEAD,
    }
    out = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "logical_cpus": os.cpu_count(),
        },
        "settings": settings,
        "runs": runs,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
