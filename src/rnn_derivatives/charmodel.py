"""A character language model trained with truncated BPTT: the package's engine on real text.

Every character is a class: the vocabulary is the sorted set of characters of the text, V of
them, and x_t = onehot(c_t) ∈ ℝ^V. Any cell (vanilla RNN, LSTM, GRU) reads x_t, and its
output o_t = W_hy h_t + b_y ∈ ℝ^V scores the next character with softmax cross-entropy at
every step, L_t = −log softmax(o_t)[c_{t+1}]. The loss reported is the mean per character,

    L = (1 / (K B)) Σ_b Σ_t L_t        over a chunk of K steps of B streams,

in nats (log V at a uniform guess).

Training follows char-rnn:

* the text is split into a training part and the last 10 % for validation (`split_text`);
* each part is cut into B contiguous streams read in parallel, one batch row each
  (`text_streams`), and each stream into chunks of K characters;
* each update runs the engine (`rnn_derivatives.sequence.score` and the backward pass of
  `rnn_derivatives.bptt`) over one chunk of every stream at once, starting from the last
  hidden (and cell) state of the previous chunk, held constant: truncated BPTT, the forward
  pass unbroken and no gradient crossing a chunk's start;
* the gradient of the mean loss is clipped by global norm
  (`rnn_derivatives.clip_by_global_norm`) and Adam takes the step (`adam_step`);
* at the end of the streams the state starts again from zeros.

`sample_chars` draws text from a trained model, a character at a time, at a temperature τ:
p = softmax(o_t / τ). `input_influence` measures how strongly each input of a passage moves
each later loss, ‖∂L_t/∂x_k‖ for k ≤ t, and `read_char_params` loads a stored model.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from rnn_derivatives.bptt import scored_grads
from rnn_derivatives.cells import CELLS
from rnn_derivatives.clipping import clip_by_global_norm
from rnn_derivatives.losses import log_softmax
from rnn_derivatives.params import ParamSet, check_param_set, check_same_shapes
from rnn_derivatives.sequence import Scored, Trace, backward, forward, score
from rnn_derivatives.training import cell_params
from rnn_derivatives.validation import (
    Sizes,
    as_class_ids,
    as_float_array,
    check_count,
    check_positive,
)

States = tuple[np.ndarray, ...]


def check_text(text: object, name: str = "text") -> str:
    """Return ``text`` if it is a non-empty ``str``, else raise a ``ValueError`` naming it."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"{name} must be a non-empty str, got {text!r:.40}")
    return text


@dataclass(frozen=True)
class Vocabulary:
    """The characters a model reads and predicts, sorted; character ``chars[i]`` is class i.

    Attributes
    ----------
    chars : str
        The distinct characters, in sorted order (build it with
        [`Vocabulary.from_text`][rnn_derivatives.Vocabulary.from_text]).
    """

    chars: str

    def __post_init__(self) -> None:
        check_text(self.chars, "chars")
        if "".join(sorted(set(self.chars))) != self.chars:
            raise ValueError("chars must hold distinct characters in sorted order")

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The sorted distinct characters of ``text`` (a non-empty ``str``)."""
        return cls("".join(sorted(set(check_text(text)))))

    @property
    def size(self) -> int:
        """V, the number of characters (the size of x_t and of o_t)."""
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """The class id of every character of ``text``: int64, shape (len(text),)."""
        return self._ids(text, "text")

    def _ids(self, text: object, name: str) -> np.ndarray:
        """`encode`, blaming ``name`` for text that is empty or has unknown characters."""
        index = {c: i for i, c in enumerate(self.chars)}
        unknown = set(check_text(text, name)) - index.keys()
        if unknown:
            raise ValueError(
                f"{name} must use only the vocabulary's {self.size} characters, "
                f"got {''.join(sorted(unknown))!r}"
            )
        return np.array([index[c] for c in text], dtype=np.int64)

    def decode(self, ids: object) -> str:
        """The characters of class ids ``ids`` (shape (N,), each in [0, V))."""
        checked = as_class_ids(ids, "ids", ("N",), self.size)
        return "".join(self.chars[i] for i in checked)

    def one_hot(self, ids: object) -> np.ndarray:
        """x = onehot(id) for every id: shape ``ids.shape + (V,)``, float64."""
        spec = tuple(f"n{i}" for i in range(np.ndim(ids)))
        return np.eye(self.size)[as_class_ids(ids, "ids", spec, self.size)]


def split_text(text: str, validation: float = 0.1) -> tuple[str, str]:
    """Cut ``text`` into a training part and the last ``validation`` fraction, as char-rnn does.

    Parameters
    ----------
    text : str
    validation : float
        The fraction held out, in (0, 1): the last ⌊fraction · len(text)⌋ characters.

    Returns
    -------
    train, valid : str
        Both non-empty; ``train + valid == text``.
    """
    text = check_text(text)
    fraction = check_positive(validation, "validation")
    n_valid = int(len(text) * fraction)
    if fraction >= 1 or not 0 < n_valid < len(text):
        raise ValueError(
            f"validation must leave both parts non-empty (a fraction in (0, 1)) for a text of "
            f"{len(text)} characters, got {validation!r}"
        )
    return text[:-n_valid], text[-n_valid:]


@dataclass(frozen=True)
class TextStreams:
    """A text cut into B contiguous streams read in parallel, in chunks of K characters.

    Stream b holds characters b·L … b·L + L of the text (L + 1 of them: L inputs, each with
    the next character as its target), L = ⌊(N − 1) / B⌋. Chunk i feeds inputs
    iK … iK + K − 1 of every stream; the state a chunk ends in starts the next one.

    Attributes
    ----------
    vocab : Vocabulary
    ids : numpy.ndarray of int, shape (B, L + 1)
        Each stream's class ids.
    chunk : int
        K, the characters per chunk (the truncation length).
    """

    vocab: Vocabulary
    ids: np.ndarray
    chunk: int

    @property
    def batch_size(self) -> int:
        """B, the number of streams."""
        return self.ids.shape[0]

    @property
    def n_chunks(self) -> int:
        """⌊L / K⌋: the chunks in one pass over the streams (a shorter rest is not used)."""
        return (self.ids.shape[1] - 1) // self.chunk

    def batch(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Chunk ``i`` (0 ≤ i < n_chunks): inputs and targets, class ids of shape (K, B) each.

        The layout is the engine's (time first, then the batch); targets are the inputs one
        character later.
        """
        i = check_count(i, "i", minimum=0)
        if i >= self.n_chunks:
            raise ValueError(f"i must be an integer in [0, {self.n_chunks - 1}], got {i}")
        K = self.chunk
        window = self.ids[:, i * K : (i + 1) * K + 1]
        return window[:, :-1].T.copy(), window[:, 1:].T.copy()


def text_streams(vocab: Vocabulary, text: str, *, batch_size: int, chunk: int) -> TextStreams:
    """Cut ``text`` into ``batch_size`` streams of chunks of ``chunk`` characters.

    Parameters
    ----------
    vocab : Vocabulary
    text : str
        Only characters of ``vocab``.
    batch_size : int
        B >= 1 streams.
    chunk : int
        K >= 1 characters per chunk; each stream must hold at least one chunk.

    Returns
    -------
    TextStreams
    """
    if not isinstance(vocab, Vocabulary):
        raise ValueError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
    ids = vocab.encode(text)
    B = check_count(batch_size, "batch_size")
    K = check_count(chunk, "chunk")
    L = (len(ids) - 1) // B
    if L < K:
        raise ValueError(
            f"chunk must be at most {L}: a text of {len(ids)} characters gives each of "
            f"{B} streams {L} inputs, got chunk={K}"
        )
    streams = np.stack([ids[b * L : b * L + L + 1] for b in range(B)])
    streams.setflags(write=False)
    return TextStreams(vocab, streams, K)


def char_params(cell: str, n_chars: int, hidden: int, *, seed: int, scale: float = 0.1) -> ParamSet:
    """A character model's initial parameters: D = O = V (one-hot in, a score per character).

    Weights from N(0, scale²) and zero biases
    ([`ParamSet.random`][rnn_derivatives.ParamSet.random]), except an LSTM's forget bias
    b_f = 1, as in [`initial_params`][rnn_derivatives.initial_params].

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    n_chars : int
        V >= 1.
    hidden : int
        H >= 1.
    seed : int
    scale : float
    """
    return cell_params(cell, n_chars, hidden, n_chars, seed=seed, scale=scale)


def check_model(params: object, vocab: Vocabulary) -> ParamSet:
    """``params`` if it reads and scores the V characters of ``vocab`` (D = O = V)."""
    params = check_param_set(params)
    if (params.n_in, params.n_out) != (vocab.size, vocab.size):
        raise ValueError(
            f"params must have D = O = {vocab.size} (the vocabulary's size), got "
            f"D = {params.n_in} and O = {params.n_out}"
        )
    return params


def check_streams(streams: object) -> TextStreams:
    """``streams`` if it is a `TextStreams`, else a ``ValueError`` naming it."""
    if not isinstance(streams, TextStreams):
        raise ValueError(f"streams must be a TextStreams, got {type(streams).__name__}")
    return streams


def state_args(params: ParamSet, state: object) -> dict[str, object]:
    """The carried ``state`` as the engine's keyword arguments ``h0`` (and ``c0``)."""
    names = CELLS[type(params)].STATES
    if state is None:
        return {}
    if not isinstance(state, tuple) or len(state) != len(names):
        raise ValueError(
            f"state must be None or a tuple ({', '.join(names)}) of arrays of shape (B, H)"
        )
    return dict(zip(names, state, strict=True))


def score_chunk(params: object, inputs: object, targets: object, state: object) -> Scored:
    """Check a chunk and run the engine's forward pass and summed loss over it."""
    params = check_param_set(params)
    V = params.n_in
    if params.n_out != V:
        raise ValueError(
            f"params must read and score the same V characters (D = O), got D = {V} and "
            f"O = {params.n_out}"
        )
    sizes = Sizes(V=(V, f"params has D = {V}"))
    ids = as_class_ids(inputs, "inputs", ("K", "B"), V, sizes)
    return score(params, np.eye(V)[ids], targets, **state_args(params, state))


def final_state(trace: Trace) -> States:
    """The last hidden state h_T (and cell state c_T) of a forward pass."""
    return (trace.h[-1],) if trace.c is None else (trace.h[-1], trace.c[-1])


@dataclass(frozen=True)
class ChunkResult:
    """What [`chunk_loss_and_grads`][rnn_derivatives.chunk_loss_and_grads] returns.

    Attributes
    ----------
    loss : float
        Mean cross-entropy per character, (1 / (K B)) Σ_b Σ_t L_t.
    grads : RNNParams, LSTMParams or GRUParams
        Its gradient with respect to every parameter.
    state : tuple of numpy.ndarray
        The state the chunk ends in, ``(h_K,)`` or ``(h_K, c_K)``, (B, H) each: the next
        chunk's initial state.
    """

    loss: float
    grads: ParamSet
    state: States


def chunk_loss_and_grads(
    params: object, inputs: object, targets: object, state: object = None
) -> ChunkResult:
    """The mean loss per character of one chunk of B streams and its gradient (one BPTT).

    The engine runs the B streams as one batch over the K steps from ``state``, which is a
    constant: no gradient flows into the previous chunk.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
        With D = O = V.
    inputs, targets : array_like of int, shape (K, B)
        Class ids in [0, V) (from [`TextStreams.batch`][rnn_derivatives.TextStreams.batch]).
    state : tuple of array_like, optional
        ``(h_0,)`` or, for an LSTM, ``(h_0, c_0)``, (B, H) each; zeros when omitted.

    Returns
    -------
    ChunkResult
    """
    scored = score_chunk(params, inputs, targets, state)
    grads, _ = scored_grads(scored)
    n = scored.d_o.shape[0] * scored.d_o.shape[1]  # K · B characters
    mean = {name: value / n for name, value in grads.items()}
    return ChunkResult(scored.loss / n, type(grads)._of_computed(**mean), final_state(scored.trace))


def evaluate_chars(params: object, streams: TextStreams) -> float:
    """Mean loss per character over every chunk of ``streams``, the state carried throughout.

    Forward passes only, from zeros: the validation loss when ``streams`` holds the
    validation text.
    """
    check_model(params, check_streams(streams).vocab)
    total, state = 0.0, None
    for i in range(streams.n_chunks):
        scored = score_chunk(params, *streams.batch(i), state)
        total, state = total + scored.loss, final_state(scored.trace)
    return total / (streams.n_chunks * streams.chunk * streams.batch_size)


def zeros_like(params: ParamSet) -> ParamSet:
    """Zeros of the type and shapes of ``params``."""
    return type(params)._of_computed(**{n: np.zeros_like(v) for n, v in params.items()})


@dataclass(frozen=True)
class AdamState:
    """Adam's running moments of the gradient, and the number of steps taken.

    Attributes
    ----------
    m, v : same type as the parameters
        The first moment (mean of g) and second moment (mean of g², elementwise).
    t : int
        Steps taken so far.
    """

    m: ParamSet
    v: ParamSet
    t: int


def adam_step(
    params: ParamSet,
    grads: ParamSet,
    state: AdamState | None = None,
    *,
    lr: float = 2e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[ParamSet, AdamState]:
    """One Adam step (Kingma and Ba, 2015) for every parameter θ with gradient g:

        m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
        m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
        θ ← θ − lr · m̂ / (√v̂ + ε)

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    grads : same type as params
    state : AdamState, optional
        The moments so far; zeros (t = 0) when omitted.
    lr : float
        > 0.
    beta1, beta2 : float
        Decay rates, each in (0, 1).
    eps : float
        > 0.

    Returns
    -------
    params : same type as params
        New parameters; ``params``, ``grads`` and ``state`` are unchanged.
    state : AdamState
    """
    check_param_set(params)
    check_same_shapes(params, grads)
    lr, eps = check_positive(lr, "lr"), check_positive(eps, "eps")
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if check_positive(beta, name) >= 1:
            raise ValueError(f"{name} must be a number in (0, 1), got {beta!r}")
    if state is None:
        state = AdamState(zeros_like(params), zeros_like(params), 0)
    elif not isinstance(state, AdamState):
        raise ValueError(f"state must be an AdamState or None, got {type(state).__name__}")
    check_same_shapes(params, state.m, "state.m")
    check_same_shapes(params, state.v, "state.v")
    t = state.t + 1
    new, m, v = {}, {}, {}
    for name, theta in params.items():
        g = getattr(grads, name)
        m[name] = beta1 * getattr(state.m, name) + (1 - beta1) * g
        v[name] = beta2 * getattr(state.v, name) + (1 - beta2) * g**2
        m_hat, v_hat = m[name] / (1 - beta1**t), v[name] / (1 - beta2**t)
        new[name] = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    moments = AdamState(type(params)._of_computed(**m), type(params)._of_computed(**v), t)
    return dataclasses.replace(params, **new), moments


@dataclass(frozen=True)
class CharRun:
    """A character model's training so far; [`train_chars`][rnn_derivatives.train_chars]
    continues it.

    Attributes
    ----------
    params : RNNParams, LSTMParams or GRUParams
    adam : AdamState or None
        None before the first update.
    state : tuple of numpy.ndarray or None
        The state the last chunk ended in, the next chunk's initial state (None: zeros).
    losses : numpy.ndarray, shape (updates,)
        The mean loss per character of each update's chunk, before that update.
    """

    params: ParamSet
    adam: AdamState | None
    state: States | None
    losses: np.ndarray

    @property
    def updates(self) -> int:
        """The number of updates done."""
        return len(self.losses)


def train_chars(
    start: ParamSet | CharRun,
    streams: TextStreams,
    *,
    steps: int,
    lr: float = 2e-3,
    clip: float | None = 5.0,
) -> CharRun:
    """Train a character model with truncated BPTT: ``steps`` updates, one chunk each.

    Update u uses chunk u mod n_chunks of ``streams``; the state is carried from chunk to
    chunk and starts again from zeros at chunk 0. Each update computes the mean loss per
    character and its gradient
    ([`chunk_loss_and_grads`][rnn_derivatives.chunk_loss_and_grads]), clips the gradient
    to global norm ``clip``
    ([`clip_by_global_norm`][rnn_derivatives.clip_by_global_norm]) and takes one Adam step
    ([`adam_step`][rnn_derivatives.adam_step]).

    Parameters
    ----------
    start : RNNParams, LSTMParams, GRUParams or CharRun
        Initial parameters (D = O = V), or a run to continue (its moments, state and count).
    streams : TextStreams
        The training text.
    steps : int
        Updates to do (>= 1).
    lr : float
        Adam's learning rate (> 0).
    clip : float, optional
        Maximum global norm of the gradient (> 0); None for no clipping.

    Returns
    -------
    CharRun
        ``losses`` holds the earlier run's losses followed by this call's.
    """
    run = (
        start
        if isinstance(start, CharRun)
        else CharRun(check_param_set(start), None, None, np.empty(0))
    )
    check_model(run.params, check_streams(streams).vocab)
    steps, lr = check_count(steps, "steps"), check_positive(lr, "lr")
    clip = None if clip is None else check_positive(clip, "clip")
    params, adam, state, losses = run.params, run.adam, run.state, list(run.losses)
    for u in range(run.updates, run.updates + steps):
        i = u % streams.n_chunks
        result = chunk_loss_and_grads(params, *streams.batch(i), None if i == 0 else state)
        grads = result.grads if clip is None else clip_by_global_norm(result.grads, clip)
        params, adam = adam_step(params, grads, adam, lr=lr)
        state = result.state
        losses.append(result.loss)
    return CharRun(params, adam, state, np.array(losses))


def sample_chars(
    params: object,
    vocab: Vocabulary,
    *,
    length: int,
    seed: int,
    prime: str | None = None,
    temperature: float = 1.0,
) -> str:
    """Draw ``length`` characters from a character model, each from p = softmax(o_t / τ).

    The model first reads ``prime`` from zero states; every drawn character is then fed back
    as the next input. A small τ sharpens p toward the most likely character, a large τ
    flattens it toward uniform.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
        With D = O = V.
    vocab : Vocabulary
    length : int
        Characters to draw (>= 1).
    seed : int
        Seed (>= 0) of the ``numpy.random.Generator`` that draws them.
    prime : str, optional
        Non-empty text of the vocabulary's characters, read before drawing; the first
        character of the vocabulary when omitted (a newline for tiny Shakespeare).
    temperature : float
        τ > 0.

    Returns
    -------
    str
        The drawn characters (without ``prime``).
    """
    if not isinstance(vocab, Vocabulary):
        raise ValueError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
    params = check_model(params, vocab)
    length = check_count(length, "length")
    rng = np.random.default_rng(check_count(seed, "seed", minimum=0))
    tau = check_positive(temperature, "temperature")
    trace, drawn = (
        forward(
            params, vocab.one_hot(vocab._ids(vocab.chars[0] if prime is None else prime, "prime"))
        ),
        [],
    )
    for _ in range(length):
        p = np.exp(log_softmax(trace.o[-1] / tau))
        drawn.append(int(rng.choice(vocab.size, p=p / p.sum())))
        state = state_args(params, final_state(trace))
        trace = forward(params, vocab.one_hot(drawn[-1:]), **state)
    return vocab.decode(drawn)


def input_influence(
    params: object, inputs: object, targets: object, state: object = None
) -> np.ndarray:
    """‖∂L_t/∂x_k‖ for every loss L_t of one passage and every input x_k: a (T, T) array.

    L_t = −log softmax(o_t)[targets_t] is the loss of step t alone, and x_k = onehot(c_k) the
    input of step k. Entry [t − 1, k − 1] is the Euclidean norm of ∂L_t/∂x_k ∈ ℝ^V, the
    gradient the backward pass of L_t alone sends to x_k; it is zero for k > t (x_k comes after
    o_t). The engine runs T copies of the passage as one batch, copy t scored by L_t only, so one
    backward pass gives every row.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
        With D = O = V.
    inputs, targets : array_like of int, shape (T,)
        Class ids in [0, V): the passage's characters c_1 … c_T and the next ones c_2 … c_{T+1}.
    state : tuple of array_like, optional
        ``(h_0,)`` or, for an LSTM, ``(h_0, c_0)``, shape (H,) each: the state at the passage's
        start, a constant; zeros when omitted.

    Returns
    -------
    numpy.ndarray, shape (T, T)
        Row t − 1 holds ‖∂L_t/∂x_1‖ … ‖∂L_t/∂x_T‖.
    """
    params = check_param_set(params)
    ids = as_class_ids(inputs, "inputs", ("T",), params.n_in)
    T = len(ids)
    sizes = Sizes(T=(T, f"inputs has {T} characters"))
    later = as_class_ids(targets, "targets", ("T",), params.n_out, sizes)
    if state is not None:
        names = ", ".join(CELLS[type(params)].STATES)
        if not isinstance(state, tuple):
            raise ValueError(f"state must be None or a tuple ({names}) of arrays of shape (H,)")
        H = Sizes(H=(params.n_hidden, f"params has H = {params.n_hidden}"))
        state = tuple(
            np.repeat(as_float_array(s, "state", ("H",), sizes=H)[None], T, axis=0) for s in state
        )
    copies = np.repeat(ids[:, None], T, axis=1)  # (T steps, T copies)
    scored = score_chunk(params, copies, np.repeat(later[:, None], T, axis=1), state)
    only_own = scored.d_o * np.eye(T)[:, :, None]  # copy t keeps ∂L_t/∂o_t, drops the rest
    dx = backward(scored.trace, only_own @ params.W_hy).xs  # (T steps k, T copies t, V)
    return np.linalg.norm(dx, axis=-1).T


def read_char_params(path: object) -> ParamSet:
    """A character model's parameters from a ``.npz`` file, as float64.

    The file holds one array per field of one cell's parameters, named as the fields
    (``numpy.savez(path, **dict(params.items()))``, as ``benchmarks/char_model.py`` writes
    them); the field names say which cell.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    RNNParams, LSTMParams or GRUParams
    """
    with np.load(path) as stored:
        arrays = {name: stored[name].astype(np.float64) for name in stored.files}
    for kind in CELLS:
        if set(kind.SHAPES) == set(arrays):
            return kind(**arrays)
    raise ValueError(
        f"path must hold the fields of one cell's parameters, got {', '.join(sorted(arrays))}"
    )
