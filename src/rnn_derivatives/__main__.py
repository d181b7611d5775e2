"""The command line: train a cell on a memory task and print how it went.

    python -m rnn_derivatives --cell lstm --delay 16 --steps 800 --seed 0

It runs `rnn_derivatives.train` with the parameters of `rnn_derivatives.initial_params`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from rnn_derivatives.training import CELL_NAMES, TASKS, initial_params, train
from rnn_derivatives.validation import check_count, check_positive


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
    """The command line of ``python -m rnn_derivatives``."""
    parser = argparse.ArgumentParser(
        prog="python -m rnn_derivatives",
        description="Train a vanilla RNN, an LSTM or a GRU with BPTT on a task that needs memory.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    count = _count_arg(1)
    parser.add_argument("--task", choices=sorted(TASKS), default="recall", help="the task")
    parser.add_argument("--cell", choices=tuple(CELL_NAMES), default="rnn", help="the cell")
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
        initial_params(task, args.hidden, seed=args.seed, cell=args.cell),
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
