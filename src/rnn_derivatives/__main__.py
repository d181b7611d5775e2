"""The command line: train a cell on a memory task, print how it went, save what it learned.

    python -m rnn_derivatives --cell lstm --delay 16 --steps 800 --seed 0 --save lstm.npz
    rnn-derivatives --version

`rnn-derivatives` is the console script of the installed package; it runs the same `main`.
The program runs `rnn_derivatives.train` with the parameters of
`rnn_derivatives.initial_params`. ``--save PATH`` writes the trained parameters with
``numpy.savez``: one array per parameter name, and ``cell`` (``"rnn"``, ``"lstm"`` or
``"gru"``), so that

    data = np.load(PATH)
    cell = CELL_NAMES[str(data["cell"])]
    params = cell(**{name: data[name] for name in data.files if name != "cell"})

gives them back (`CELL_NAMES` maps each cell name to its parameter class).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from rnn_derivatives import __version__
from rnn_derivatives.params import ParamSet
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


def program_name() -> str:
    """``rnn-derivatives`` when run as the console script, else ``python -m rnn_derivatives``."""
    script = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else ""
    return "rnn-derivatives" if script == "rnn-derivatives" else "python -m rnn_derivatives"


def save_path(text: str) -> Path:
    """An argparse ``type=`` for ``--save``: the file ``numpy.savez`` writes (``.npz`` added)."""
    path = Path(text)
    if path.suffix != ".npz":  # what np.savez does to a file name without it
        path = path.with_name(path.name + ".npz")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"no such directory: {str(path.parent)!r}")
    return path


def save(path: Path, cell: str, params: ParamSet) -> None:
    """Write ``params`` to ``path`` with ``numpy.savez``: each parameter, and the cell name."""
    arrays: dict[str, Any] = {"cell": np.array(cell), **dict(params.items())}
    np.savez(path, **arrays)


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m rnn_derivatives`` and of ``rnn-derivatives``."""
    parser = argparse.ArgumentParser(
        prog=program_name(),
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
    parser.add_argument(
        "--save", type=save_path, metavar="PATH", help="write the trained parameters (.npz)"
    )
    parser.add_argument("--version", action="version", version=f"rnn-derivatives {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; print the loss before and after and the recall accuracy.

    With ``--save PATH`` it also writes the trained parameters and says where.
    """
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
    if args.save is not None:
        save(args.save, args.cell, result.params)
        print(f"saved the trained {args.cell} parameters to {args.save}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
