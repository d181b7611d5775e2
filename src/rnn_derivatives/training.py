"""Train any cell with gradient descent on a memory task; also a command-line program.

Each step draws a fresh batch of B sequences, computes the gradient of the mean loss
L / B with `rnn_derivatives.loss_and_grads` (full BPTT, or chunked truncated BPTT with
``chunk=K``), optionally clips it by global norm, and takes one step θ ← θ − lr · g. From a
shell (`rnn_derivatives.__main__`):

    python -m rnn_derivatives --cell lstm --delay 16 --steps 800 --seed 0
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from rnn_derivatives.bptt import loss_and_grads
from rnn_derivatives.cells.gru import GRUParams
from rnn_derivatives.cells.lstm import LSTMParams
from rnn_derivatives.cells.rnn import RNNParams
from rnn_derivatives.clipping import clip_by_global_norm
from rnn_derivatives.params import ParamSet, check_param_set, check_same_shapes
from rnn_derivatives.tasks import RecallTask
from rnn_derivatives.validation import check_choice, check_count, check_positive

TASKS = {"recall": RecallTask}
#: The parameter class of each cell name of `initial_params` and ``--cell``.
CELL_NAMES: dict[str, type[ParamSet]] = {"rnn": RNNParams, "lstm": LSTMParams, "gru": GRUParams}


def sgd_step(params: ParamSet, grads: ParamSet, lr: float) -> ParamSet:
    """One gradient-descent step, θ ← θ − lr · ∂L/∂θ, for each parameter.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    grads : same type as params
        Gradients with the shapes of ``params``.
    lr : float
        Learning rate (> 0).

    Returns
    -------
    same type as params
        New parameters; ``params`` and ``grads`` are unchanged.
    """
    check_param_set(params)
    check_same_shapes(params, grads)
    lr = check_positive(lr, "lr")
    return dataclasses.replace(
        params, **{name: value - lr * getattr(grads, name) for name, value in params.items()}
    )


@dataclass(frozen=True)
class TrainResult:
    """What [`train`][rnn_derivatives.train] returns.

    Attributes
    ----------
    params : RNNParams, LSTMParams or GRUParams
        The trained parameters.
    losses : numpy.ndarray, shape (steps,)
        Mean loss per sequence, L / B, of each step's batch before that step's update.
    accuracy : float
        [`RecallTask.accuracy`][rnn_derivatives.RecallTask.accuracy] of the trained parameters
        on a held-out batch.
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
    steps : int
        Number of updates (>= 1).
    batch_size : int
        B, sequences per batch (>= 1).
    lr : float
        Learning rate (> 0) for the mean loss L / B.
    chunk : int, optional
        K: chunked truncated BPTT (``loss_and_grads(..., chunk=K)``); None for full BPTT.
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
            f"params must be an RNNParams, LSTMParams or GRUParams with D = {task.n_in} and "
            f"O = {task.n_out} for this task, got {params!r}"
        )
    steps = check_count(steps, "steps")
    B = check_count(batch_size, "batch_size")
    lr = check_positive(lr, "lr")
    if chunk is not None:
        check_count(chunk, "chunk")
    if clip is not None:
        check_positive(clip, "clip")
    check_count(seed, "seed", minimum=0)
    rng = np.random.default_rng([seed, 0])
    losses = np.empty(steps)
    every = max(1, steps // 100)
    for step in range(steps):
        xs, targets = task.batch(B, seed=rng)
        loss, grads = loss_and_grads(params, xs, targets, chunk=chunk)
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


def cell_params(
    cell: str, n_in: int, hidden: int, n_out: int, *, seed: int, scale: float
) -> ParamSet:
    """The named cell's starting parameters: weights from N(0, scale²), zero biases, except the
    LSTM's forget bias b_f = 1 (``cell`` is ``"rnn"``, ``"lstm"`` or ``"gru"``)."""
    kind = CELL_NAMES[check_choice(cell, "cell", tuple(CELL_NAMES))]
    extra = {"forget_bias": 1.0} if kind is LSTMParams else {}
    return kind.random(n_in, hidden, n_out, seed=seed, scale=scale, **extra)


def initial_params(task: RecallTask, hidden: int, *, seed: int, cell: str = "rnn") -> ParamSet:
    """Weights drawn from N(0, 0.3²), zero biases, sized for ``task`` with H = ``hidden``.

    ``cell`` is ``"rnn"``, ``"lstm"`` or ``"gru"``; the LSTM's forget bias is b_f = 1.
    """
    return cell_params(cell, task.n_in, hidden, task.n_out, seed=seed, scale=0.3)
