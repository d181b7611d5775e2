"""Train the RNN with gradient descent on a memory task; also a command-line program.

Each step draws a fresh batch of B sequences, computes the gradient of the mean loss
L / B (full BPTT, or chunked truncated BPTT with ``chunk=K``), optionally clips it by global
norm, and takes one step θ ← θ − lr · g. From a shell:

    python -m rnn_derivatives.train --task recall --delay 16 --steps 800 --seed 0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from rnn_derivatives.chunked import chunked_loss_and_grads
from rnn_derivatives.clipping import clip_by_global_norm
from rnn_derivatives.fast import Workspace, fast_loss_and_grads
from rnn_derivatives.model import ParamSet, RNNParams, sgd_step
from rnn_derivatives.sequence import full_grads
from rnn_derivatives.tasks import RecallTask
from rnn_derivatives.validation import check_count, check_positive

TASKS = {"recall": RecallTask}


@dataclass(frozen=True)
class TrainResult:
    """What `train` returns.

    Attributes
    ----------
    params : RNNParams, LSTMParams or GRUParams
        The trained parameters.
    losses : numpy.ndarray, shape (steps,)
        Mean loss per sequence, L / B, of each step's batch before that step's update.
    accuracy : float
        `RecallTask.accuracy` of the trained parameters on a held-out batch.
    """

    params: ParamSet
    losses: np.ndarray
    accuracy: float


def progress_bar(step: int, total: int, loss: float, width: int = 30) -> str:
    """One line such as ``[#########.....]  300/500  loss 0.412``."""
    filled = width * step // total
    bar = "#" * filled + "." * (width - filled)
    return f"[{bar}] {step:>{len(str(total))}}/{total}  loss {loss:.3f}"


def train(
    task: RecallTask,
    params: ParamSet,
    *,
    steps: int,
    batch_size: int = 32,
    lr: float = 0.3,
    chunk: int | None = None,
    clip: float | None = 1.0,
    seed: int = 0,
    progress: TextIO | None = None,
) -> TrainResult:
    """Gradient descent on fresh batches of ``task``.

    Parameters
    ----------
    task : RecallTask
    params : RNNParams, LSTMParams or GRUParams
        Initial parameters with D = ``task.n_in`` and O = ``task.n_out``; not modified.
        An LSTM or a GRU is trained with `rnn_derivatives.sequence.full_grads` (full BPTT).
    steps : int
        Number of updates (>= 1).
    batch_size : int
        B, sequences per batch (>= 1).
    lr : float
        Learning rate (> 0) for the mean loss L / B.
    chunk : int, optional
        K: use chunked truncated BPTT (`rnn_derivatives.chunked_loss_and_grads`, RNN only);
        None for full BPTT (`rnn_derivatives.fast.fast_loss_and_grads`, the same numbers as
        ``loss_and_grads`` up to rounding).
    clip : float, optional
        Clip the gradient of L / B to this global norm (> 0); None for no clipping.
    seed : int
        Seed (>= 0) of the batches; the held-out batch uses a different stream.
    progress : file-like, optional
        Where to draw a progress bar (e.g. ``sys.stderr``); None draws nothing.

    Returns
    -------
    TrainResult
    """
    if not isinstance(task, RecallTask):
        raise ValueError(f"task must be a RecallTask, got {type(task).__name__}")
    if not isinstance(params, ParamSet) or (params.n_in, params.n_out) != (
        task.n_in,
        task.n_out,
    ):
        raise ValueError(
            f"params must be an RNNParams with D = {task.n_in} and O = {task.n_out} for this "
            f"task (or an LSTMParams or GRUParams), got {params!r}"
        )
    steps = check_count(steps, "steps")
    B = check_count(batch_size, "batch_size")
    lr = check_positive(lr, "lr")
    if chunk is not None:
        check_count(chunk, "chunk")
        if not isinstance(params, RNNParams):
            raise ValueError(f"chunk must be None for {type(params).__name__} (RNN only)")
    if clip is not None:
        check_positive(clip, "clip")
    check_count(seed, "seed", minimum=0)
    rng = np.random.default_rng([seed, 0])
    losses = np.empty(steps)
    every = max(1, steps // 100)
    workspace = Workspace()
    for step in range(steps):
        xs, targets = task.batch(B, seed=rng)
        if not isinstance(params, RNNParams):
            loss, grads, _ = full_grads(params, xs, targets)
        elif chunk is None:
            loss, grads = fast_loss_and_grads(params, xs, targets, workspace=workspace)
        else:
            loss, grads = chunked_loss_and_grads(params, xs, targets, chunk=chunk)
        # grads is g = ∂L/∂θ for the summed loss; the mean loss L/B has gradient g/B, so
        # clipping g/B to norm c is clipping g to c·B, and the step is θ ← θ − (lr/B) g.
        if clip is not None:
            grads = clip_by_global_norm(grads, clip * B)
        params = sgd_step(params, grads, lr / B)
        losses[step] = loss / B
        if progress is not None and ((step + 1) % every == 0 or step + 1 == steps):
            progress.write("\r" + progress_bar(step + 1, steps, losses[step]))
    if progress is not None:
        progress.write("\n")
    held_out = task.batch(1000, seed=np.random.default_rng([seed, 1]))
    return TrainResult(params=params, losses=losses, accuracy=task.accuracy(params, *held_out))


def initial_params(task: RecallTask, hidden: int, *, seed: int) -> RNNParams:
    """Weights drawn from N(0, 0.3²), zero biases, sized for ``task`` with H = ``hidden``."""
    return RNNParams.random(task.n_in, hidden, task.n_out, seed=seed, scale=0.3)


def _count_arg(minimum: int) -> Callable[[str], int]:
    """An argparse ``type=`` for an integer >= ``minimum``."""

    def parse(text: str) -> int:
        try:
            return check_count(int(text), "value", minimum)
        except ValueError:
            message = f"must be an integer >= {minimum}, got {text!r}"
            raise argparse.ArgumentTypeError(message) from None

    return parse


def _positive_arg(text: str) -> float:
    """An argparse ``type=`` for a finite number > 0."""
    try:
        return check_positive(float(text), "value")
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m rnn_derivatives.train``."""
    parser = argparse.ArgumentParser(
        prog="python -m rnn_derivatives.train",
        description="Train the tanh RNN with BPTT on a task that needs memory.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    count = _count_arg(1)
    parser.add_argument("--task", choices=sorted(TASKS), default="recall", help="the task")
    parser.add_argument("--delay", type=count, default=16, help="steps to remember")
    parser.add_argument("--symbols", type=_count_arg(2), default=4, help="alphabet size S")
    parser.add_argument("--hidden", type=count, default=32, help="hidden units H")
    parser.add_argument("--steps", type=count, default=800, help="number of updates")
    parser.add_argument("--batch", type=count, default=32, help="sequences per batch B")
    parser.add_argument("--lr", type=_positive_arg, default=0.3, help="learning rate")
    parser.add_argument("--chunk", type=count, help="chunked truncated BPTT with K steps")
    clipping = parser.add_mutually_exclusive_group()
    clipping.add_argument("--clip", type=_positive_arg, default=1.0, help="global-norm clip")
    clipping.add_argument("--no-clip", action="store_true", help="do not clip the gradient")
    parser.add_argument("--seed", type=_count_arg(0), default=0, help="random seed")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; print the loss before and after and the recall accuracy."""
    args = build_parser().parse_args(argv)
    task = TASKS[args.task](delay=args.delay, n_symbols=args.symbols)
    result = train(
        task,
        initial_params(task, args.hidden, seed=args.seed),
        steps=args.steps,
        batch_size=args.batch,
        lr=args.lr,
        chunk=args.chunk,
        clip=None if args.no_clip else args.clip,
        seed=args.seed,
        progress=None if args.quiet else sys.stderr,
    )
    print(
        f"loss {result.losses[0]:.3f} -> {result.losses[-1]:.3f}, "
        f"recall accuracy {result.accuracy:.3f} (guessing: {1 / task.n_symbols:.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
