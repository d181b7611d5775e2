"""The stored character-model runs (benchmarks/char_model.json, written by
benchmarks/char_model.py): re-running the first updates of each run from its seed reproduces
the stored training losses, the stored float32 parameters give the stored validation loss, and
the PyTorch comparison the script measured is in the file. PyTorch itself is never run here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from load_module import load_module

from rnn_derivatives import evaluate_chars, train_chars

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = load_module(ROOT / "benchmarks" / "char_model.py", "char_model")
RESULTS = json.loads(SCRIPT.OUT.read_text(encoding="utf-8"))
RUNS = {run["cell"]: run for run in RESULTS["runs"]}


@pytest.fixture(scope="module")
def data():
    """The vocabulary and the training and validation streams the script used."""
    return SCRIPT.load()


def test_the_stored_settings_are_the_scripts():
    s = RESULTS["settings"]
    assert s["cells"] == list(SCRIPT.CELLS) == sorted(RUNS, key=SCRIPT.CELLS.index)
    assert (s["hidden"], s["chunk"], s["batch_size"]) == (
        SCRIPT.HIDDEN,
        SCRIPT.CHUNK,
        SCRIPT.BATCH,
    )
    assert (s["lr"], s["betas"], s["eps"], s["clip"]) == (
        SCRIPT.LR,
        list(SCRIPT.BETAS),
        SCRIPT.EPS,
        SCRIPT.CLIP,
    )
    assert (s["steps"], s["seed"], s["checkpoints"]) == (
        SCRIPT.STEPS,
        SCRIPT.SEED,
        list(SCRIPT.CHECKPOINTS),
    )
    assert (s["temperature"], s["sample_seed"], s["head"]) == (
        SCRIPT.TEMPERATURE,
        SCRIPT.SAMPLE_SEED,
        SCRIPT.HEAD,
    )


@pytest.mark.parametrize("cell", SCRIPT.CELLS)
def test_the_first_updates_rerun_from_the_seed_give_the_stored_losses(cell, data):
    vocab, train, _ = data
    stored = RUNS[cell]["package"]
    run = train_chars(
        SCRIPT.start(cell, vocab), train, steps=SCRIPT.HEAD, lr=SCRIPT.LR, clip=SCRIPT.CLIP
    )
    np.testing.assert_allclose(run.losses, stored["head"], rtol=1e-10)
    assert run.losses[0] == pytest.approx(math.log(vocab.size), rel=0.01)
    losses = np.array(stored["losses"])
    assert losses.shape == (SCRIPT.STEPS,)
    np.testing.assert_allclose(losses[: SCRIPT.HEAD], stored["head"], atol=10**-SCRIPT.DECIMALS)


@pytest.mark.parametrize("cell", SCRIPT.CELLS)
def test_the_stored_parameters_give_the_stored_validation_loss(cell, data):
    vocab, _, valid = data
    stored = RUNS[cell]["package"]
    path = SCRIPT.PARAMS_DIR / f"{cell}.npz"
    assert path.stat().st_size < 200_000
    with np.load(path) as npz:
        arrays = dict(npz)
    assert {a.dtype for a in arrays.values()} == {np.dtype(np.float32)}
    template = SCRIPT.start(cell, vocab)
    assert set(arrays) == {name for name, _ in template.items()}
    params = type(template)(**{n: a.astype(np.float64) for n, a in arrays.items()})
    loss = evaluate_chars(params, valid)
    assert loss == pytest.approx(stored["valid_loss_float32"], rel=1e-10)
    # the float32 copy is the final model: rounding moves its loss by much less than training
    final = stored["checkpoints"][-1]
    assert final["update"] == SCRIPT.STEPS
    assert loss == pytest.approx(final["valid_loss"], abs=1e-6)


@pytest.mark.parametrize("cell", SCRIPT.CELLS)
def test_the_checkpoints_hold_a_falling_validation_loss_and_samples(cell, data):
    vocab = data[0]
    checkpoints = RUNS[cell]["package"]["checkpoints"]
    assert [c["update"] for c in checkpoints] == list(SCRIPT.CHECKPOINTS)
    assert checkpoints[-1]["valid_loss"] < checkpoints[0]["valid_loss"] < math.log(vocab.size)
    for c in checkpoints:
        assert len(c["sample"]) == SCRIPT.SAMPLE_LENGTH and set(c["sample"]) <= set(vocab.chars)


@pytest.mark.parametrize("cell", SCRIPT.CELLS)
def test_the_pytorch_comparison_is_stored_side_by_side(cell):
    run = RUNS[cell]
    ours, theirs = run["package"], run["torch"]
    assert [c["update"] for c in theirs["checkpoints"]] == list(SCRIPT.CHECKPOINTS)
    assert len(theirs["losses"]) == SCRIPT.STEPS
    # the same start, data and steps: the first updates agree to the stored decimals
    np.testing.assert_allclose(
        theirs["losses"][: SCRIPT.HEAD], ours["head"], atol=2 * 10**-SCRIPT.DECIMALS
    )
    # the torch model's final weights, evaluated by the package, give torch's own number
    assert theirs["valid_loss_by_package"] == pytest.approx(
        theirs["checkpoints"][-1]["valid_loss"], rel=1e-9
    )
    ratios = run["ratios"]
    assert ratios["valid_loss"] == pytest.approx(
        ours["checkpoints"][-1]["valid_loss"] / theirs["checkpoints"][-1]["valid_loss"]
    )
    for key in SCRIPT.TIMES:
        assert ours[key] > 0 and theirs[key] > 0
        assert ratios[key] == pytest.approx(ours[key] / theirs[key])
    assert RESULTS["machine"]["torch"].startswith("2.13.0")
