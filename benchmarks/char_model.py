"""Train a character model on tiny Shakespeare with the package, and the same in PyTorch.

The stored run behind issue 24 ("BPTT on real text"). For each cell (vanilla RNN, LSTM, GRU)
the package trains a model of `HIDDEN` hidden units on the training part of
`data/tinyshakespeare.txt` (`rnn_derivatives.split_text`: the last 10 % held out) with
`rnn_derivatives.train_chars`: B = `BATCH` streams, chunks of K = `CHUNK` characters with the
state carried across chunks (truncated BPTT), clipping to global norm `CLIP`, Adam with
lr = `LR`, `STEPS` updates from `rnn_derivatives.char_params` (seed `SEED`). At every
checkpoint it records the validation loss per character over the whole validation text
(`rnn_derivatives.evaluate_chars`) and a sample of `SAMPLE_LENGTH` characters
(`rnn_derivatives.sample_chars`, seed `SAMPLE_SEED`, temperature `TEMPERATURE`).

PyTorch does the same: ``nn.RNN`` (tanh) / ``nn.LSTM`` / ``nn.GRU`` + ``nn.Linear``, started
from the same initial parameters, the same chunks in the same order, the state carried and
detached, ``torch.nn.utils.clip_grad_norm_`` to the same norm, ``torch.optim.Adam`` with the
same lr, betas and eps, in float64 (the package's precision) on one thread. ``nn.RNN`` and
``nn.LSTM`` have two hidden biases that enter only through their sum; the second one is held
at zero (not trained) so that the model and Adam's steps are the package's (two trained
copies of one bias would move their sum twice as fast).

    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/char_model.py

writes `benchmarks/char_model.json` and the final parameters of the package's runs as float32
`benchmarks/char_model/<cell>.npz`. Times are per update, training only (no evaluation or
sampling; each update includes cutting its chunk from the streams and one-hot coding it),
wall-clock and CPU time, timed in blocks of `BLOCK` updates: the mean over all updates and the
median over the blocks. The machine is shared (its load average is stored), so the times are
noisy; the package and PyTorch run one after the other for each cell. About two minutes on
one core in all. The tests
(`tests/test_char_model_run.py`) re-run the first `HEAD` updates of each run and check that
the stored parameters give the stored validation loss; they never run PyTorch.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import datetime
import json
import platform
import time
from pathlib import Path

import numpy as np

from rnn_derivatives import (
    CharRun,
    ParamSet,
    TextStreams,
    Vocabulary,
    char_params,
    evaluate_chars,
    sample_chars,
    split_text,
    text_streams,
    train_chars,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "tinyshakespeare.txt"
OUT = ROOT / "benchmarks" / "char_model.json"
PARAMS_DIR = ROOT / "benchmarks" / "char_model"

CELLS = ("rnn", "lstm", "gru")
HIDDEN = 64
CHUNK = 32
BATCH = 16
LR = 2e-3
BETAS = (0.9, 0.999)
EPS = 1e-8
CLIP = 5.0
STEPS = 2000
SEED = 0
CHECKPOINTS = (100, 250, 500, 1000, 2000)
SAMPLE_LENGTH = 200
SAMPLE_SEED = 0
TEMPERATURE = 0.8
#: The first `HEAD` training losses are stored at full precision (the tests re-run them).
HEAD = 5
#: Every training loss is stored rounded to this many decimals.
DECIMALS = 6
#: Training is timed in blocks of `BLOCK` updates (each checkpoint is a multiple of it).
BLOCK = 50
#: The times stored per update: mean over all updates and median over the blocks, both
#: wall-clock and CPU; the median is the steadier on a shared machine.
TIMES = (
    "seconds_per_update",
    "cpu_seconds_per_update",
    "median_seconds_per_update",
    "median_cpu_seconds_per_update",
)


def load() -> tuple[Vocabulary, TextStreams, TextStreams]:
    """The vocabulary of the whole text, and the training and validation streams."""
    text = DATA.read_text(encoding="utf-8")
    vocab = Vocabulary.from_text(text)
    train, valid = split_text(text)
    return (
        vocab,
        text_streams(vocab, train, batch_size=BATCH, chunk=CHUNK),
        text_streams(vocab, valid, batch_size=BATCH, chunk=CHUNK),
    )


def start(cell: str, vocab: Vocabulary):
    """A run's initial parameters (the same for the package and PyTorch)."""
    return char_params(cell, vocab.size, HIDDEN, seed=SEED)


def float32_params(params):
    """``params`` rounded to float32 and back to float64: what the `.npz` file holds."""
    return type(params)(**{n: v.astype(np.float32).astype(np.float64) for n, v in params.items()})


class Clock:
    """Wall-clock and CPU seconds of each block of `BLOCK` updates timed ``with`` it."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Clock:
        self.began = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall.append(time.perf_counter() - self.began[0])
        self.cpu.append(time.process_time() - self.began[1])

    def times(self) -> dict[str, float]:
        """The `TIMES`, in seconds per update."""
        assert len(self.wall) * BLOCK == STEPS
        return dict(
            zip(
                TIMES,
                (
                    sum(self.wall) / STEPS,
                    sum(self.cpu) / STEPS,
                    float(np.median(self.wall)) / BLOCK,
                    float(np.median(self.cpu)) / BLOCK,
                ),
                strict=True,
            )
        )


def package_run(cell: str, vocab: Vocabulary, train: TextStreams, valid: TextStreams) -> dict:
    """Train one cell with the package; losses, checkpoints, samples, times, parameters."""
    run: CharRun | ParamSet = start(cell, vocab)
    clock = Clock()
    checkpoints = []
    done = 0
    for stop in CHECKPOINTS:
        for _ in range(done, stop, BLOCK):
            with clock:
                run = train_chars(run, train, steps=BLOCK, lr=LR, clip=CLIP)
        done = stop
        checkpoints.append(
            {
                "update": stop,
                "valid_loss": evaluate_chars(run.params, valid),
                "sample": sample_chars(
                    run.params,
                    vocab,
                    length=SAMPLE_LENGTH,
                    seed=SAMPLE_SEED,
                    temperature=TEMPERATURE,
                ),
            }
        )
        print(f"  package {cell} {stop:5d}  valid {checkpoints[-1]['valid_loss']:.4f}", flush=True)
    PARAMS_DIR.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        PARAMS_DIR / f"{cell}.npz", **{n: v.astype(np.float32) for n, v in run.params.items()}
    )
    return {
        "head": run.losses[:HEAD].tolist(),
        "losses": np.round(run.losses, DECIMALS).tolist(),
        "checkpoints": checkpoints,
        "valid_loss_float32": evaluate_chars(float32_params(run.params), valid),
        **clock.times(),
    }


class TorchModel:
    """``nn.RNN``/``nn.LSTM``/``nn.GRU`` + ``nn.Linear`` holding the package's ``params``."""

    def __init__(self, cell: str, params) -> None:
        import torch

        V, H = params.n_in, params.n_hidden
        kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        self.cell, self.torch = cell, torch
        self.rnn = kind(V, H, dtype=torch.float64, **extra)
        self.linear = torch.nn.Linear(H, V, dtype=torch.float64)
        ih, hh, bih, bhh = (
            self.rnn.weight_ih_l0,
            self.rnn.weight_hh_l0,
            self.rnn.bias_ih_l0,
            self.rnn.bias_hh_l0,
        )
        with torch.no_grad():
            if cell == "rnn":
                weights = (params.W_xh, params.W_hh, params.b_h, None)
            elif cell == "lstm":
                weights = (params.W_x, params.W_h, params.b, None)
            else:
                weights = (params.W_x, params.W_h, params.b_x, params.b_h)
            for p, value in zip((ih, hh, bih, bhh), weights, strict=True):
                p.copy_(torch.zeros_like(p) if value is None else torch.tensor(value))
            self.linear.weight.copy_(torch.tensor(params.W_hy))
            self.linear.bias.copy_(torch.tensor(params.b_y))
        if cell != "gru":
            bhh.requires_grad_(False)  # b_ih alone is the package's bias
        self.parameters = [
            p for p in (*self.rnn.parameters(), *self.linear.parameters()) if p.requires_grad
        ]
        self.eye = torch.eye(V, dtype=torch.float64)

    def chunk_loss(self, inputs: np.ndarray, targets: np.ndarray, state):
        """Mean cross-entropy per character of one (K, B) chunk from ``state``; new state."""
        torch = self.torch
        x = self.eye[torch.from_numpy(inputs)]
        hs, new = self.rnn(x, state)
        o = self.linear(hs)
        loss = torch.nn.functional.cross_entropy(
            o.reshape(-1, o.shape[-1]), torch.from_numpy(targets).reshape(-1)
        )
        return loss, new

    def evaluate(self, streams: TextStreams) -> float:
        """Mean loss per character over every chunk of ``streams`` (as `evaluate_chars`)."""
        total, state = 0.0, None
        with self.torch.no_grad():
            for i in range(streams.n_chunks):
                loss, state = self.chunk_loss(*streams.batch(i), state)
                total += float(loss)
        return total / streams.n_chunks

    def to_package(self, params):
        """The trained weights as the package's parameters (of ``params``'s type)."""

        def a(t):
            return t.detach().numpy().copy()

        rnn, lin = self.rnn, self.linear
        b = a(rnn.bias_ih_l0) + a(rnn.bias_hh_l0)
        if self.cell == "rnn":
            fields = {"W_xh": a(rnn.weight_ih_l0), "W_hh": a(rnn.weight_hh_l0), "b_h": b}
        elif self.cell == "lstm":
            fields = {"W_x": a(rnn.weight_ih_l0), "W_h": a(rnn.weight_hh_l0), "b": b}
        else:
            fields = {
                "W_x": a(rnn.weight_ih_l0),
                "W_h": a(rnn.weight_hh_l0),
                "b_x": a(rnn.bias_ih_l0),
                "b_h": a(rnn.bias_hh_l0),
            }
        return type(params)(**fields, W_hy=a(lin.weight), b_y=a(lin.bias))


def detached(state):
    """The carried state, cut from the graph: no gradient crosses a chunk's start."""
    return state.detach() if hasattr(state, "detach") else tuple(s.detach() for s in state)


def torch_run(cell: str, vocab: Vocabulary, train: TextStreams, valid: TextStreams) -> dict:
    """The same training in PyTorch; losses, validation losses at the checkpoints, times."""
    import torch

    torch.set_num_threads(1)
    params = start(cell, vocab)
    model = TorchModel(cell, params)
    optimiser = torch.optim.Adam(model.parameters, lr=LR, betas=BETAS, eps=EPS)
    losses, checkpoints, state = [], [], None
    clock = Clock()
    done = 0
    for stop in CHECKPOINTS:
        for block in range(done, stop, BLOCK):
            with clock:
                for u in range(block, block + BLOCK):
                    i = u % train.n_chunks
                    if i == 0:
                        state = None
                    optimiser.zero_grad()
                    loss, state = model.chunk_loss(*train.batch(i), state)
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_(model.parameters, CLIP)
                    optimiser.step()
                    state = detached(state)
                    losses.append(loss.item())
        done = stop
        checkpoints.append({"update": stop, "valid_loss": model.evaluate(valid)})
        print(f"  torch   {cell} {stop:5d}  valid {checkpoints[-1]['valid_loss']:.4f}", flush=True)
    return {
        "losses": np.round(losses, DECIMALS).tolist(),
        "checkpoints": checkpoints,
        "valid_loss_by_package": evaluate_chars(model.to_package(params), valid),
        **clock.times(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    import torch

    vocab, train, valid = load()
    runs = []
    for cell in CELLS:
        print(cell, flush=True)
        ours, theirs = package_run(cell, vocab, train, valid), torch_run(cell, vocab, train, valid)
        ours_final, theirs_final = ours["checkpoints"][-1], theirs["checkpoints"][-1]
        runs.append(
            {
                "cell": cell,
                "package": ours,
                "torch": theirs,
                "ratios": {
                    "valid_loss": ours_final["valid_loss"] / theirs_final["valid_loss"],
                    **{key: ours[key] / theirs[key] for key in TIMES},
                },
            }
        )
        print(f"  ratios (package / torch) {runs[-1]['ratios']}", flush=True)
    settings = {
        "cells": list(CELLS),
        "hidden": HIDDEN,
        "chunk": CHUNK,
        "batch_size": BATCH,
        "lr": LR,
        "betas": list(BETAS),
        "eps": EPS,
        "clip": CLIP,
        "steps": STEPS,
        "seed": SEED,
        "checkpoints": list(CHECKPOINTS),
        "sample_length": SAMPLE_LENGTH,
        "sample_seed": SAMPLE_SEED,
        "temperature": TEMPERATURE,
        "head": HEAD,
        "decimals": DECIMALS,
        "block": BLOCK,
        "vocab_size": vocab.size,
        "train_chunks": train.n_chunks,
        "valid_characters": valid.n_chunks * valid.chunk * valid.batch_size,
    }
    out = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "logical_cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
            "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
            "numpy": np.__version__,
            "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(),
        },
        "settings": settings,
        "runs": runs,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
