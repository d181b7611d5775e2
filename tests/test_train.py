"""The recall task, the training loop and its command line."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest

from rnn_derivatives import RecallTask, RNNParams, forward, initial_params, loss_and_grads, train
from rnn_derivatives.__main__ import main
from rnn_derivatives.training import progress_bar


def test_recall_batch_layout():
    task = RecallTask(delay=5, n_symbols=3)
    xs, targets = task.batch(8, seed=1)
    assert (task.n_steps, task.n_in, task.n_out) == (6, 4, 4)
    assert xs.shape == (6, 8, 4) and targets.shape == (6, 8)
    np.testing.assert_array_equal(xs.sum(axis=2), 1.0)  # one symbol or the cue at every step
    np.testing.assert_array_equal(xs[:-1, :, 3], 0.0)  # the cue comes last, and only then
    np.testing.assert_array_equal(xs[-1, :, 3], 1.0)
    np.testing.assert_array_equal(targets[:-1], 3)  # "wait" until the cue
    np.testing.assert_array_equal(targets[-1], np.argmax(xs[0], axis=1))  # the first symbol


def test_recall_batches_are_seeded():
    task = RecallTask(delay=4)
    a, b, c = (task.batch(16, seed=s) for s in (0, 0, 1))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_recall_accuracy_counts_the_argmax_at_the_last_step():
    task = RecallTask(delay=3)
    params = initial_params(task, 6, seed=0)
    xs, targets = task.batch(50, seed=2)
    o_T = forward(params, xs).o[-1]
    assert task.accuracy(params, xs, targets) == np.mean(np.argmax(o_T, axis=1) == targets[-1])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: RecallTask(delay=0), "delay must be an integer >= 1"),
        (lambda: RecallTask(delay=3, n_symbols=1), "n_symbols must be an integer >= 2"),
        (lambda: RecallTask(delay=3).batch(0, seed=0), "n_sequences must be an integer >= 1"),
        (
            lambda: RecallTask(3).accuracy(
                initial_params(RecallTask(3), 4, seed=0), np.zeros((4, 5)), np.zeros(4)
            ),
            r"xs must have shape \(T, B, D\)",
        ),
        (
            lambda: RecallTask(3).accuracy(
                initial_params(RecallTask(3), 4, seed=0), np.zeros((4, 2, 5)), np.zeros((4, 3))
            ),
            r"targets must be \(T, B\) = \(4, 2\) because xs has 2 sequences",
        ),
    ],
)
def test_bad_task_arguments_raise_value_errors_naming_them(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_training_learns_a_short_recall_task():
    task = RecallTask(delay=4)
    result = train(task, initial_params(task, 16, seed=0), steps=200, seed=0)
    assert result.losses.shape == (200,)
    assert result.losses[-1] < result.losses[0] / 100
    assert result.accuracy >= 0.95


def test_training_is_deterministic_and_leaves_params_unchanged():
    task = RecallTask(delay=3)
    params = initial_params(task, 8, seed=1)
    before = params.W_hh.copy()
    a = train(task, params, steps=5, seed=3)
    b = train(task, params, steps=5, seed=3)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(params.W_hh, before)
    assert not np.array_equal(a.params.W_hh, before)


def test_first_loss_is_the_mean_loss_of_the_first_batch():
    task = RecallTask(delay=3)
    params = initial_params(task, 8, seed=1)
    result = train(task, params, steps=1, batch_size=4, seed=3)
    xs, targets = task.batch(4, seed=np.random.default_rng([3, 0]))
    assert result.losses[0] == pytest.approx(loss_and_grads(params, xs, targets)[0] / 4, rel=1e-14)


def test_chunks_longer_than_the_sequence_train_like_full_bptt():
    task = RecallTask(delay=3)
    params = initial_params(task, 8, seed=1)
    full = train(task, params, steps=5, seed=0)
    chunked = train(task, params, steps=5, seed=0, chunk=task.n_steps)
    # Full BPTT runs the fast code and chunks the readable one: the same sums in another order,
    # so the losses agree to round-off (BLAS threading decides the last bit), not bit for bit.
    np.testing.assert_allclose(chunked.losses, full.losses, rtol=1e-13, atol=0)
    short = train(task, params, steps=5, seed=0, chunk=2, clip=None)
    assert short.losses[0] == full.losses[0] and not np.array_equal(short.losses, full.losses)


def test_progress_bar_text_and_stream():
    assert progress_bar(15, 30, 0.5, width=10) == "[#####.....] 15/30  loss 0.500"
    assert progress_bar(3, 300, 12.3456, width=4) == "[....]   3/300  loss 12.346"
    task = RecallTask(delay=2)
    stream = io.StringIO()
    train(task, initial_params(task, 4, seed=0), steps=3, seed=0, progress=stream)
    text = stream.getvalue()
    assert text.endswith("\n") and "\r[" in text and " 3/3  loss " in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0}, "steps must be an integer >= 1"),
        ({"batch_size": 0}, "batch_size must be an integer >= 1"),
        ({"lr": 0.0}, "lr must be a finite number > 0"),
        ({"chunk": 0}, "chunk must be an integer >= 1"),
        ({"clip": -1.0}, "clip must be a finite number > 0"),
        ({"seed": -1}, "seed must be an integer >= 0"),
    ],
)
def test_bad_training_arguments_raise_value_errors_naming_them(kwargs, message):
    task = RecallTask(delay=2)
    with pytest.raises(ValueError, match=message):
        train(task, initial_params(task, 4, seed=0), **({"steps": 2} | kwargs))


def test_train_rejects_a_wrong_task_or_mismatched_params():
    task = RecallTask(delay=2)
    with pytest.raises(ValueError, match="task must be a RecallTask"):
        train("recall", initial_params(task, 4, seed=0), steps=1)
    with pytest.raises(
        ValueError,
        match="params must be an RNNParams, LSTMParams or GRUParams with D = 5 and O = 5",
    ):
        train(task, RNNParams.random(3, 4, 5, seed=0), steps=1)


def test_command_line_trains_and_reports(capsys):
    assert main(["--task", "recall", "--delay", "2", "--steps", "3", "--seed", "1", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("loss ") and "recall accuracy" in out and "(guessing: 0.250)" in out
    assert err == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--steps", "0"], "argument --steps: must be an integer >= 1, got '0'"),
        (["--steps", "ten"], "argument --steps: must be an integer >= 1, got 'ten'"),
        (["--delay", "-3"], "argument --delay: must be an integer >= 1, got '-3'"),
        (["--symbols", "1"], "argument --symbols: must be an integer >= 2, got '1'"),
        (["--lr", "0"], "argument --lr: must be a finite number > 0, got '0'"),
        (["--clip", "nan"], "argument --clip: must be a finite number > 0, got 'nan'"),
        (["--chunk", "0"], "argument --chunk: must be an integer >= 1, got '0'"),
        (["--seed", "-1"], "argument --seed: must be an integer >= 0, got '-1'"),
        (["--task", "copy"], "argument --task: invalid choice: 'copy'"),
        (["--clip", "1", "--no-clip"], "argument --no-clip: not allowed with argument --clip"),
    ],
)
def test_command_line_rejects_bad_arguments(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_module_entry_point_runs_with_a_progress_bar():
    command = [sys.executable, "-W", "error", "-m", "rnn_derivatives", "--delay", "2"]
    done = subprocess.run([*command, "--steps", "4"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "recall accuracy" in done.stdout
    assert "4/4  loss" in done.stderr
    bad = subprocess.run([*command, "--batch", "0"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "argument --batch: must be an integer >= 1, got '0'" in bad.stderr
