"""The connectivity view's numbers: ‖∂L_t/∂x_k‖ from the package's backward pass
(`input_influence`), checked against central differences of L_t alone, and the page's JSON
(docs/_diagrams/connectivity.py) checked against the package run on the stored models.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from load_module import load_module
from package_helpers import raises_naming

from rnn_derivatives import (
    Vocabulary,
    char_params,
    input_influence,
    numerical_jacobian,
    outputs,
    read_char_params,
    softmax,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
diagrams_hook = load_module(DOCS / "_hooks" / "diagrams.py", "diagrams_hook")
view = diagrams_hook.diagram_module(DOCS, "connectivity")
CELLS = ["rnn", "lstm", "gru"]
VOCAB = Vocabulary.from_text("abcd")
TEXT = "abcabdcab"  # 9 characters: 8 inputs, 8 targets


def small_model(cell: str, seed: int = 1):
    """A model of the four-character vocabulary, H = 3, scale 0.8 (gradients well away from 0),
    and a random state at the passage's start."""
    params = char_params(cell, VOCAB.size, 3, seed=seed, scale=0.8)
    rng = np.random.default_rng(seed)
    state = tuple(rng.normal(size=3) * 0.5 for _ in (("h", "c") if cell == "lstm" else "h"))
    return params, state


def loss_at(params, xs, targets, state, t):
    """L_t = −log softmax(o_t)[targets_t], from the forward pass only."""
    o = outputs(params, xs, **dict(zip(("h0", "c0")[: len(state)], state, strict=True)))
    return -np.log(softmax(o[t - 1])[targets[t - 1]])


@pytest.mark.parametrize("cell", CELLS)
def test_input_influence_is_the_norm_of_central_differences_of_one_loss(cell):
    params, state = small_model(cell)
    ids = VOCAB.encode(TEXT)
    inputs, targets = ids[:-1], ids[1:]
    T = len(inputs)
    norms = input_influence(params, inputs, targets, state)
    assert norms.shape == (T, T)
    xs = VOCAB.one_hot(inputs)
    for t, k in [(1, 1), (3, 1), (3, 2), (5, 5), (8, 1), (8, 4), (8, 8), (6, 3)]:

        def of_x_k(x, k=k, t=t):
            moved = xs.copy()
            moved[k - 1] = x
            return loss_at(params, moved, targets, state, t)

        fd = np.linalg.norm(numerical_jacobian(of_x_k, xs[k - 1]))
        assert fd > 1e-3
        assert norms[t - 1, k - 1] == pytest.approx(fd, rel=1e-6)
    assert np.all(norms[np.triu_indices(T, 1)] == 0)  # x_k for k > t comes after o_t
    assert np.all(norms[np.tril_indices(T)] > 0)


@pytest.mark.parametrize("cell", CELLS)
def test_the_state_at_the_start_is_used_and_zeros_are_the_default(cell):
    params, state = small_model(cell)
    ids = VOCAB.encode(TEXT)
    zero = tuple(np.zeros(3) for _ in state)
    np.testing.assert_array_equal(
        input_influence(params, ids[:-1], ids[1:]),
        input_influence(params, ids[:-1], ids[1:], zero),
    )
    assert not np.allclose(
        input_influence(params, ids[:-1], ids[1:]),
        input_influence(params, ids[:-1], ids[1:], state),
    )


def test_a_row_depends_only_on_the_inputs_up_to_its_loss():
    params, state = small_model("gru")
    ids = VOCAB.encode(TEXT)
    full = input_influence(params, ids[:-1], ids[1:], state)
    for t in (1, 4, 7):
        head = input_influence(params, ids[:t], ids[1 : t + 1], state)
        np.testing.assert_allclose(head[-1], full[t - 1, :t], rtol=1e-12)


def test_input_influence_rejects_bad_input_and_leaves_its_arguments_alone():
    params, state = small_model("lstm")
    ids = VOCAB.encode(TEXT)
    inputs, targets = ids[:-1].copy(), ids[1:].copy()
    before = [a.copy() for a in (inputs, targets, *state)]
    input_influence(params, inputs, targets, state)
    for a, b in zip((inputs, targets, *state), before, strict=True):
        np.testing.assert_array_equal(a, b)
    with raises_naming("inputs", "(T,)"):
        input_influence(params, inputs[:, None], targets)
    with raises_naming("targets", "8"):
        input_influence(params, inputs, targets[:-1])
    with raises_naming("inputs"):
        input_influence(params, inputs + 4, targets)
    with raises_naming("state", "(H,)"):
        input_influence(params, inputs, targets, state[0])
    with raises_naming("state"):
        input_influence(params, inputs, targets, (state[0],))
    with raises_naming("state", "(3,)"):
        input_influence(params, inputs, targets, (state[0][:2], state[1]))


def test_read_char_params_gives_back_what_was_saved(tmp_path):
    for cell in CELLS:
        params, _ = small_model(cell)
        path = tmp_path / f"{cell}.npz"
        np.savez(path, **{n: v.astype(np.float32) for n, v in params.items()})
        loaded = read_char_params(path)
        assert type(loaded) is type(params)
        for name, value in params.items():
            np.testing.assert_allclose(getattr(loaded, name), value, rtol=1e-6)
            assert getattr(loaded, name).dtype == np.float64
    np.savez(tmp_path / "odd.npz", W=np.zeros(2))
    with raises_naming("path", "W"):
        read_char_params(tmp_path / "odd.npz")


# --- the page's JSON --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blob():
    return view.cached_blob()


def package_row(cell: str, t: int) -> np.ndarray:
    """‖∂L_t/∂x_k‖ for k = 1 … t on the view's passage, from the stored model, recomputed over
    the first t inputs only (L_t depends on nothing later)."""
    text = view.passage()
    ids = Vocabulary.from_text(view.TEXT.read_text(encoding="utf-8")).encode(text)
    params = read_char_params(ROOT / "benchmarks" / "char_model" / f"{cell}.npz")
    return input_influence(params, ids[:t], ids[1 : t + 1])[-1]


def test_the_passage_is_the_start_of_the_validation_text(blob):
    assert blob["text"] == view.passage() and len(blob["text"]) == view.LENGTH + 1 == 151
    assert blob["text"].startswith("\n\nGREMIO:\nGood morrow, neighbour Baptista.")
    assert [c["cell"] for c in blob["cells"]] == CELLS
    page = (DOCS / "real-text.md").read_text(encoding="utf-8")  # the page measures the same
    assert f"passage = valid_text[:{view.LENGTH + 1}]" in page
    assert "<!-- diagram: connectivity -->" in page


@pytest.mark.parametrize("t", [1, 2, 33, 70])
def test_the_json_holds_the_packages_norms_to_three_digits(blob, t):
    for cell in blob["cells"]:
        row = cell["rows"][t - 1]
        norms = package_row(cell["cell"], t)[::-1]  # newest first
        assert len(row) <= t
        np.testing.assert_allclose(row, norms[: len(row)], rtol=5e-3)
        assert row == [float(f"{v:.3g}") for v in norms[: len(row)]]
        assert np.all(norms[len(row) :] < view.FLOOR)  # what is cut off gets no shade
        assert row[-1] >= view.FLOOR or len(row) == 1


def test_every_row_is_cut_after_its_last_shaded_norm(blob):
    for cell in blob["cells"]:
        assert len(cell["rows"]) == view.LENGTH
        for t, row in enumerate(cell["rows"], start=1):
            assert 1 <= len(row) <= t and (row[-1] >= view.FLOOR or len(row) == 1)


def test_the_static_sentence_names_the_largest_input(blob):
    T = view.LENGTH
    sentence = view.summary(blob, T)
    assert sentence.startswith("Predicting “e” (character 151 of 151)")
    for cell in blob["cells"]:
        back = int(np.argmax(cell["rows"][T - 1])) + 1
        assert (
            f"for the {cell['name']} {view.say(blob['text'][T - back])}, {back} character"
            in sentence
        )
    assert sentence in view.html()
