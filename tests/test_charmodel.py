"""The character language model: its data, its gradient, its carried state, Adam, sampling.

Each chunk's gradient is checked against central differences for every cell; the state carried
from chunk to chunk is checked against one forward pass over the whole text; the training loop
is checked to be exactly its three steps (gradient, clipping, Adam).
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pytest
from package_helpers import raises_naming

from rnn_derivatives import (
    AdamState,
    CharRun,
    RNNParams,
    TextStreams,
    Vocabulary,
    adam_step,
    central_differences,
    char_params,
    chunk_loss_and_grads,
    clip_by_global_norm,
    evaluate_chars,
    forward,
    relative_error,
    sample_chars,
    score,
    split_text,
    text_streams,
    train_chars,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "tinyshakespeare.txt"
CELLS = ["rnn", "lstm", "gru"]
#: A short text of a tiny vocabulary (V = 4) with some structure to learn.
TINY = "abcab cabca bcabc " * 6


# --- the data ------------------------------------------------------------------------------


def test_the_committed_text_is_tiny_shakespeare_unchanged():
    raw = DATA.read_bytes()
    assert len(raw) == 1_115_394
    assert hashlib.sha256(raw).hexdigest() == (
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
    )
    text = raw.decode("ascii")
    assert Vocabulary.from_text(text).size == 65
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(raw).hexdigest() in readme and "1,115,394 bytes" in readme


def test_the_split_holds_out_the_last_tenth_as_char_rnn_does():
    text = DATA.read_text(encoding="utf-8")
    train, valid = split_text(text)
    assert train + valid == text
    assert (len(train), len(valid)) == (1_003_855, 111_539)  # the numbers data/README.md gives
    assert split_text("abcdefghij", 0.3) == ("abcdefg", "hij")


# --- vocabulary and streams ----------------------------------------------------------------


def test_the_vocabulary_is_sorted_and_encoding_round_trips():
    vocab = Vocabulary.from_text("hello world")
    assert vocab.chars == " dehlorw"
    ids = vocab.encode("world hello")
    assert ids.dtype == np.int64 and vocab.decode(ids) == "world hello"
    x = vocab.one_hot(ids)
    assert x.shape == (11, 8) and np.array_equal(x.argmax(axis=1), ids) and x.sum() == 11


def test_streams_are_contiguous_and_targets_are_the_next_character():
    vocab = Vocabulary.from_text(TINY)
    ids = vocab.encode(TINY)
    streams = text_streams(vocab, TINY, batch_size=3, chunk=5)
    L = (len(ids) - 1) // 3
    assert streams.ids.shape == (3, L + 1) and streams.n_chunks == L // 5
    for b in range(3):
        assert np.array_equal(streams.ids[b], ids[b * L : b * L + L + 1])
    inputs, targets = streams.batch(2)
    assert inputs.shape == targets.shape == (5, 3)
    for b in range(3):
        assert np.array_equal(inputs[:, b], ids[b * L + 10 : b * L + 15])
        assert np.array_equal(targets[:, b], ids[b * L + 11 : b * L + 16])


# --- the gradient and the carried state ----------------------------------------------------


@pytest.mark.parametrize("cell", CELLS)
def test_a_chunks_gradient_matches_central_differences(cell):
    vocab = Vocabulary.from_text(TINY)
    params = char_params(cell, vocab.size, 3, seed=1, scale=0.5)
    streams = text_streams(vocab, TINY, batch_size=2, chunk=4)
    inputs, targets = streams.batch(1)
    rng = np.random.default_rng(0)
    h = np.tanh(rng.normal(size=(2, 3)))
    state = (h, rng.normal(size=(2, 3))) if cell == "lstm" else (h,)
    result = chunk_loss_and_grads(params, inputs, targets, state)
    numeric = central_differences(
        lambda p: chunk_loss_and_grads(p, inputs, targets, state).loss, params
    )
    assert type(result.grads) is type(params)
    assert relative_error(result.grads, numeric) < 1e-7


@pytest.mark.parametrize("cell", CELLS)
def test_the_carried_state_gives_one_long_forward_pass(cell):
    vocab = Vocabulary.from_text(TINY)
    params = char_params(cell, vocab.size, 5, seed=2, scale=0.5)
    streams = text_streams(vocab, TINY, batch_size=2, chunk=3)
    state, losses, inputs, targets = None, [], [], []
    for i in range(streams.n_chunks):
        x, y = streams.batch(i)
        result = chunk_loss_and_grads(params, x, y, state)
        state = result.state
        losses.append(result.loss)
        inputs.append(x)
        targets.append(y)
    x, y = np.concatenate(inputs), np.concatenate(targets)
    whole = score(params, vocab.one_hot(x), y)
    assert np.mean(losses) == pytest.approx(whole.loss / y.size, rel=1e-12)
    assert np.allclose(state[0], whole.trace.h[-1], rtol=0, atol=1e-12)
    if cell == "lstm":
        assert np.allclose(state[1], whole.trace.c[-1], rtol=0, atol=1e-12)
    assert evaluate_chars(params, streams) == pytest.approx(np.mean(losses), rel=1e-12)


def test_the_loss_at_initialisation_is_about_log_v():
    text = DATA.read_text(encoding="utf-8")[:20_000]
    vocab = Vocabulary.from_text(DATA.read_text(encoding="utf-8"))
    streams = text_streams(vocab, text, batch_size=8, chunk=16)
    for cell in CELLS:
        loss = chunk_loss_and_grads(char_params(cell, 65, 16, seed=0), *streams.batch(0)).loss
        assert loss == pytest.approx(math.log(65), rel=0.01), cell


# --- Adam and training ---------------------------------------------------------------------


def test_adams_first_step_moves_every_weight_by_lr_against_the_gradients_sign():
    params = RNNParams.random(3, 4, 3, seed=0, scale=0.5)
    rng = np.random.default_rng(1)
    grads = RNNParams(*(rng.normal(size=v.shape) for _, v in params.items()))
    new, state = adam_step(params, grads, lr=0.01)
    assert isinstance(state, AdamState) and state.t == 1
    for name, value in params.items():  # m̂ = g and v̂ = g² after one step: θ − lr·g/(|g| + ε)
        step = getattr(new, name) - value
        assert np.allclose(step, -0.01 * np.sign(getattr(grads, name)), rtol=1e-6), name
        assert np.allclose(getattr(state.m, name), 0.1 * getattr(grads, name))
    new2, state2 = adam_step(new, grads, state, lr=0.01)
    assert state2.t == 2 and np.allclose(new2.W_hh - new.W_hh, -0.01 * np.sign(grads.W_hh))


def test_a_training_update_is_the_gradient_clipped_then_an_adam_step():
    vocab = Vocabulary.from_text(TINY)
    params = char_params("lstm", vocab.size, 4, seed=3, scale=0.5)
    streams = text_streams(vocab, TINY, batch_size=2, chunk=4)
    run = train_chars(params, streams, steps=2, lr=0.01, clip=0.05)
    first = chunk_loss_and_grads(params, *streams.batch(0))
    p1, adam = adam_step(params, clip_by_global_norm(first.grads, 0.05), lr=0.01)
    second = chunk_loss_and_grads(p1, *streams.batch(1), first.state)
    p2, _ = adam_step(p1, clip_by_global_norm(second.grads, 0.05), adam, lr=0.01)
    assert np.array_equal(run.losses, [first.loss, second.loss])
    assert relative_error(run.params, p2) < 1e-14
    once = train_chars(params, streams, steps=1, lr=0.01, clip=0.05)
    more = train_chars(once, streams, steps=1, lr=0.01, clip=0.05)  # continues the run
    assert isinstance(more, CharRun) and more.updates == 2
    assert relative_error(more.params, p2) < 1e-14


def test_the_state_starts_again_from_zeros_at_the_first_chunk():
    vocab = Vocabulary.from_text(TINY)
    params = char_params("gru", vocab.size, 4, seed=4, scale=0.5)
    streams = text_streams(vocab, TINY, batch_size=4, chunk=12)
    assert streams.n_chunks == 2
    two = train_chars(params, streams, steps=2, clip=None)
    three = train_chars(two, streams, steps=1, clip=None)
    again = chunk_loss_and_grads(two.params, *streams.batch(0))  # zeros, not two.state
    assert three.losses[2] == again.loss
    carried = chunk_loss_and_grads(two.params, *streams.batch(0), two.state)
    assert not np.allclose(three.state[0], carried.state[0])


@pytest.mark.parametrize("cell", CELLS)
def test_a_few_adam_updates_on_a_repetitive_text_lower_the_loss(cell):
    vocab = Vocabulary.from_text(TINY)
    params = char_params(cell, vocab.size, 8, seed=0)
    streams = text_streams(vocab, TINY, batch_size=2, chunk=8)
    run = train_chars(params, streams, steps=60, lr=0.02)
    assert run.losses[0] == pytest.approx(math.log(vocab.size), rel=0.01)
    assert evaluate_chars(run.params, streams) < 0.5 * run.losses[0]


# --- sampling ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained():
    vocab = Vocabulary.from_text(TINY)
    streams = text_streams(vocab, TINY, batch_size=2, chunk=8)
    run = train_chars(char_params("gru", vocab.size, 8, seed=0), streams, steps=60, lr=0.02)
    return run.params, vocab


def test_sampling_is_reproducible_from_its_seed(trained):
    params, vocab = trained
    a = sample_chars(params, vocab, length=50, seed=7, prime="ab")
    assert len(a) == 50 and set(a) <= set(vocab.chars)
    assert a == sample_chars(params, vocab, length=50, seed=7, prime="ab")
    assert a != sample_chars(params, vocab, length=50, seed=8, prime="ab", temperature=3.0)


def test_a_low_temperature_samples_the_most_likely_character(trained):
    params, vocab = trained
    greedy, text = [], "ab"
    for _ in range(20):  # argmax of o_t, re-reading the whole text each time
        greedy.append(
            vocab.chars[forward(params, vocab.one_hot(vocab.encode(text))).o[-1].argmax()]
        )
        text += greedy[-1]
    assert sample_chars(params, vocab, length=20, seed=0, prime="ab", temperature=1e-3) == (
        "".join(greedy)
    )


def test_a_high_temperature_flattens_the_distribution(trained):
    params, vocab = trained

    def spread(tau):
        """The entropy (nats) of the characters drawn at temperature ``tau``."""
        counts = np.bincount(
            vocab.encode(sample_chars(params, vocab, length=400, seed=1, temperature=tau)),
            minlength=vocab.size,
        )
        p = counts[counts > 0] / counts.sum()
        return -np.sum(p * np.log(p))

    assert spread(0.5) < spread(1.0) < spread(100.0)
    assert spread(100.0) == pytest.approx(math.log(vocab.size), abs=0.05)


# --- bad input -----------------------------------------------------------------------------


def test_bad_input_raises_naming_the_argument():
    vocab = Vocabulary.from_text(TINY)
    params = char_params("rnn", vocab.size, 3, seed=0)
    streams = text_streams(vocab, TINY, batch_size=2, chunk=4)
    inputs, targets = streams.batch(0)
    other_d = RNNParams.random(4, 3, 5, seed=0)
    other_v = char_params("rnn", 5, 3, seed=0)
    cases = [
        (lambda: vocab.encode("abz"), "text", "'z'"),
        (lambda: vocab.encode(""), "text"),
        (lambda: vocab.decode([0, 9]), "ids"),
        (lambda: Vocabulary("ba"), "chars"),
        (lambda: Vocabulary.from_text(3), "text"),
        (lambda: split_text(TINY, 1.0), "validation"),
        (lambda: split_text(TINY, 0.0), "validation"),
        (lambda: split_text("ab", 0.1), "validation"),
        (lambda: text_streams(vocab, TINY, batch_size=2, chunk=0), "chunk"),
        (lambda: text_streams(vocab, TINY, batch_size=0, chunk=4), "batch_size"),
        (lambda: text_streams(vocab, TINY, batch_size=50, chunk=4), "chunk"),
        (lambda: text_streams("ab", TINY, batch_size=2, chunk=4), "vocab"),
        (lambda: streams.batch(streams.n_chunks), "i"),
        (lambda: char_params("lstmx", 4, 3, seed=0), "cell"),
        (lambda: chunk_loss_and_grads(params, inputs + 10, targets), "inputs"),
        (lambda: chunk_loss_and_grads(params, inputs, targets[:-1]), "targets"),
        (lambda: chunk_loss_and_grads(params, inputs, targets, np.zeros((2, 3))), "state"),
        (lambda: chunk_loss_and_grads(params, inputs, targets, (np.zeros((3, 3)),)), "h0"),
        (
            lambda: chunk_loss_and_grads(other_d, inputs, targets),
            "params",
        ),
        (lambda: adam_step(params, params, beta1=1.0), "beta1"),
        (lambda: adam_step(params, params, "moments"), "state"),
        (lambda: train_chars(params, streams, steps=0), "steps"),
        (lambda: train_chars(params, streams, steps=1, clip=0.0), "clip"),
        (lambda: train_chars(params, "text", steps=1), "streams"),
        (lambda: evaluate_chars(params, TINY), "streams"),
        (lambda: evaluate_chars(other_v, streams), "params", "D = O = 4"),
        (lambda: train_chars(other_v, streams, steps=1), "params", "D = O = 4"),
        (lambda: sample_chars(params, vocab, length=5, seed=0, temperature=0.0), "temperature"),
        (lambda: sample_chars(params, vocab, length=5, seed=0, temperature=-1), "temperature"),
        (lambda: sample_chars(params, vocab, length=0, seed=0), "length"),
        (lambda: sample_chars(params, vocab, length=5, seed=-1), "seed"),
        (lambda: sample_chars(params, vocab, length=5, seed=0, prime="xyz"), "prime", "'xyz'"),
        (lambda: sample_chars(params, vocab, length=5, seed=0, prime=""), "prime"),
        (
            lambda: sample_chars(other_v, vocab, length=5, seed=0),
            "params",
        ),
    ]
    for call, name, *fragments in cases:
        with raises_naming(name, *fragments):
            call()
    assert isinstance(streams, TextStreams)
