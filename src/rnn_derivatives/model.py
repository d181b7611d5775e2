"""The vanilla tanh RNN: its parameters, the forward pass and a gradient-descent step.

The model, in the site's notation (column vectors, steps ``t = 1 … T``):

    z_t = W_xh x_t + W_hh h_{t-1} + b_h        h_t = tanh(z_t)
    o_t = W_hy h_t + b_y

Shapes: ``W_xh (H, D)``, ``W_hh (H, H)``, ``W_hy (O, H)``, ``b_h (H,)``, ``b_y (O,)``,
``x_t (D,)``. In code a batch of ``B`` sequences is held row-wise, so the same equation reads
``z[t] = x[t] @ W_xh.T + h[t-1] @ W_hh.T + b_h`` with ``x[t]`` of shape ``(B, D)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Self

import numpy as np

from rnn_derivatives.validation import (
    Sizes,
    array_copy,
    as_float_array,
    check_count,
    check_positive,
)

PARAM_NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


class ParamSet:
    """What every cell's parameters share (`RNNParams`, `LSTMParams`, `GRUParams`).

    Each is a frozen dataclass of read-only arrays, its input weights (D columns) first and
    an output layer ``W_hy (O, H)``, ``b_y (O,)``; from those fields this class gives all of
    them ``items()``, ``n_in``, ``n_hidden``, ``n_out``, ``dtype`` and ``_of_computed``, so
    training, clipping and the gradient check treat them alike.
    """

    #: Where D and H are read from, quoted when an input disagrees ("W_xh has 2 columns").
    SIZE_SOURCES: ClassVar[dict[str, str]] = {"D": "W_xh has {} columns", "H": "W_hh has {} rows"}

    def size_reason(self, name: str, size: int) -> tuple[int, str]:
        """``(size, reason)`` for `Sizes`: why ``name`` (``"D"`` or ``"H"``) has that size."""
        return size, "params." + self.SIZE_SOURCES[name].format(size)

    def astype(self, dtype: type | np.dtype) -> ParamSet:
        """Return a copy whose arrays have ``dtype`` (``np.float64`` or ``np.float32``)."""
        if np.dtype(dtype) not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise ValueError(f"dtype must be float64 or float32, got {np.dtype(dtype)}")
        return type(self)(**{name: value.astype(dtype) for name, value in self.items()})

    def __repr__(self) -> str:
        shapes = ", ".join(f"{name}={value.shape}" for name, value in self.items())
        return f"{type(self).__name__}({shapes}, dtype={self.dtype})"

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        """The parameters' names in field order; every cell lists its input weights first."""
        return tuple(field.name for field in dataclasses.fields(cls))

    @classmethod
    def _of_computed(cls, **arrays: np.ndarray) -> Self:
        """Wrap the arrays of a result the package computed itself (its gradients).

        They are made read-only but neither copied nor checked: their shapes and dtype are
        right by construction, and a gradient that overflowed to inf is a result to return,
        not an argument to reject.
        """
        obj = object.__new__(cls)
        for name in cls._names():
            value = arrays[name]
            value.setflags(write=False)
            object.__setattr__(obj, name, value)
        return obj

    @property
    def n_in(self) -> int:
        """D, the size of each input x_t: the columns of the input weights."""
        return getattr(self, self._names()[0]).shape[1]

    @property
    def n_hidden(self) -> int:
        """H, the size of the hidden state h_t: the columns of W_hy (O, H)."""
        return self.W_hy.shape[1]

    @property
    def n_out(self) -> int:
        """O, the size of each output o_t = W_hy h_t + b_y."""
        return self.W_hy.shape[0]

    @property
    def dtype(self) -> np.dtype:
        """The floating dtype shared by all arrays."""
        return self.W_hy.dtype

    def items(self) -> Iterator[tuple[str, np.ndarray]]:
        """Yield ``(name, array)`` for every parameter, in field order."""
        for name in self._names():
            yield name, getattr(self, name)


def random_start(
    n_in: int, n_hidden: int, n_out: int, seed: int, scale: float
) -> tuple[dict[str, int], float, np.random.Generator]:
    """Check the arguments of a ``random`` constructor: sizes D, H, O, the scale and the rng."""
    sizes = {
        "D": check_count(n_in, "n_in"),
        "H": check_count(n_hidden, "n_hidden"),
        "O": check_count(n_out, "n_out"),
    }
    scale = check_positive(scale, "scale")
    return sizes, scale, np.random.default_rng(check_count(seed, "seed", minimum=0))


@dataclass(frozen=True, eq=False, repr=False)
class RNNParams(ParamSet):
    """The five parameters of the RNN (also used for their gradients).

    Parameters
    ----------
    W_xh : array_like, shape (H, D)
        Input-to-hidden weights.
    W_hh : array_like, shape (H, H)
        Hidden-to-hidden (recurrent) weights.
    W_hy : array_like, shape (O, H)
        Hidden-to-output weights.
    b_h : array_like, shape (H,), optional
        Hidden bias; zeros when omitted.
    b_y : array_like, shape (O,), optional
        Output bias; zeros when omitted.

    Notes
    -----
    The arrays are copied, converted to float64 (float32 if every array given is float32, see
    `astype`), checked for shape and finiteness, and made read-only.
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    W_hy: np.ndarray
    b_h: np.ndarray | None = None
    b_y: np.ndarray | None = None

    def __post_init__(self) -> None:
        given = [v for v in (self.W_xh, self.W_hh, self.W_hy, self.b_h, self.b_y) if v is not None]
        all_float32 = all(getattr(v, "dtype", None) == np.float32 for v in given)
        dtype = np.float32 if all_float32 else np.float64
        sizes = Sizes()
        W_xh = as_float_array(self.W_xh, "W_xh", ("H", "D"), dtype=dtype, sizes=sizes)
        W_hh = as_float_array(self.W_hh, "W_hh", ("H", "H"), dtype=dtype, sizes=sizes)
        W_hy = as_float_array(self.W_hy, "W_hy", ("O", "H"), dtype=dtype, sizes=sizes)
        b_h = (
            np.zeros(sizes["H"], dtype)
            if self.b_h is None
            else as_float_array(self.b_h, "b_h", ("H",), dtype=dtype, sizes=sizes)
        )
        b_y = (
            np.zeros(sizes["O"], dtype)
            if self.b_y is None
            else as_float_array(self.b_y, "b_y", ("O",), dtype=dtype, sizes=sizes)
        )
        for name, value in zip(PARAM_NAMES, (W_xh, W_hh, W_hy, b_h, b_y), strict=True):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    @classmethod
    def random(
        cls, n_in: int, n_hidden: int, n_out: int, *, seed: int, scale: float = 0.1
    ) -> RNNParams:
        """Draw weights from N(0, scale²) with zero biases.

        Parameters
        ----------
        n_in, n_hidden, n_out : int
            D, H and O, each >= 1.
        seed : int
            Seed of ``numpy.random.default_rng`` (>= 0).
        scale : float
            Standard deviation of the weights (> 0).
        """
        sizes, scale, rng = random_start(n_in, n_hidden, n_out, seed, scale)
        D, H, O = sizes["D"], sizes["H"], sizes["O"]
        return cls(
            W_xh=rng.normal(0.0, scale, (H, D)),
            W_hh=rng.normal(0.0, scale, (H, H)),
            W_hy=rng.normal(0.0, scale, (O, H)),
        )


@dataclass(frozen=True)
class ForwardCache:
    """Everything the forward pass computed, kept for the backward pass.

    Python index ``t - 1`` of ``xs``, ``z`` and ``o`` holds step ``t``; ``h`` also holds the
    initial state, so ``h[t]`` is h_t and ``h[0]`` is h_0.

    Attributes
    ----------
    xs : numpy.ndarray, shape (T, D) or (T, B, D)
        The inputs x_1 … x_T.
    z : numpy.ndarray, shape (T, H) or (T, B, H)
        Pre-activations z_t = W_xh x_t + W_hh h_{t-1} + b_h.
    h : numpy.ndarray, shape (T + 1, H) or (T + 1, B, H)
        Hidden states h_0 … h_T, h_t = tanh(z_t).
    o : numpy.ndarray, shape (T, O) or (T, B, O)
        Outputs o_t = W_hy h_t + b_y.
    """

    xs: np.ndarray
    z: np.ndarray
    h: np.ndarray
    o: np.ndarray

    @property
    def batched(self) -> bool:
        """Whether the arrays carry a batch axis (axis 1)."""
        return self.xs.ndim == 3

    @property
    def n_steps(self) -> int:
        """T, the number of time steps."""
        return self.xs.shape[0]

    def unbatched(self) -> ForwardCache:
        """Drop a batch axis of size 1 (the layout of a single sequence)."""
        return ForwardCache(*(a[:, 0] for a in (self.xs, self.z, self.h, self.o)))


def check_params(value: object, name: str = "params") -> RNNParams:
    """Return ``value`` if it is an `RNNParams`, else raise a ``ValueError`` naming ``name``."""
    if not isinstance(value, RNNParams):
        raise ValueError(f"{name} must be an RNNParams, got {type(value).__name__}")
    return value


def check_param_set(value: object, name: str = "params") -> ParamSet:
    """Return ``value`` if it is the parameters of a cell (RNN, LSTM or GRU), else raise."""
    if not isinstance(value, ParamSet):
        raise ValueError(
            f"{name} must be an RNNParams, LSTMParams or GRUParams, got {type(value).__name__}"
        )
    return value


def prepare_inputs(
    params: RNNParams, xs: object, h0: object = None
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Check ``xs`` and ``h0`` against ``params`` and give them a batch axis.

    Returns
    -------
    xs : numpy.ndarray, shape (T, B, D)
    h0 : numpy.ndarray, shape (B, H)
    batched : bool
        Whether the caller passed a batch (``xs`` of shape (T, B, D)).
    """
    check_params(params)
    arr, batched = batch_inputs(params, xs)
    return arr, batch_state(params, h0, "h0", arr.shape[1], batched), batched


def batch_inputs(params: ParamSet, xs: object) -> tuple[np.ndarray, bool]:
    """Check ``xs`` against any cell's ``params`` and give it a batch axis: (T, B, D), batched."""
    batched = array_copy(xs, "xs", "of shape (T, D) or (T, B, D)").ndim == 3
    spec = ("T", "B", "D") if batched else ("T", "D")
    sizes = Sizes(D=params.size_reason("D", params.n_in))
    arr = as_float_array(xs, "xs", spec, dtype=params.dtype, sizes=sizes)
    return (arr if batched else arr[:, None, :]), batched


def batch_state(params: ParamSet, value: object, name: str, B: int, batched: bool) -> np.ndarray:
    """Check an initial state (``h0`` or ``c0``): (B, H) for a batch, (H,) otherwise.

    Returns zeros of shape (B, H) when ``value`` is None, else a checked copy of that shape.
    """
    if value is None:
        return np.zeros((B, params.n_hidden), params.dtype)
    sizes = Sizes(H=params.size_reason("H", params.n_hidden), B=(B, f"xs has {B} sequences"))
    spec = ("B", "H") if batched else ("H",)
    arr = as_float_array(value, name, spec, dtype=params.dtype, sizes=sizes)
    return arr if batched else arr[None, :]


def run_forward(params: RNNParams, xs: np.ndarray, h0: np.ndarray) -> ForwardCache:
    """The forward recursion on checked, batched inputs.

    Parameters
    ----------
    xs : numpy.ndarray, shape (T, B, D)
    h0 : numpy.ndarray, shape (B, H)

    Returns
    -------
    ForwardCache
        Batched: ``z`` (T, B, H), ``h`` (T + 1, B, H), ``o`` (T, B, O).
    """
    T, B, _ = xs.shape
    z = np.empty((T, B, params.n_hidden), params.dtype)
    h = np.empty((T + 1, B, params.n_hidden), params.dtype)
    h[0] = h0
    for t in range(1, T + 1):
        z[t - 1] = xs[t - 1] @ params.W_xh.T + h[t - 1] @ params.W_hh.T + params.b_h
        h[t] = np.tanh(z[t - 1])
    o = h[1:] @ params.W_hy.T + params.b_y
    return ForwardCache(xs=xs, z=z, h=h, o=o)


def forward(params: RNNParams, xs: object, h0: object = None) -> ForwardCache:
    """Run the RNN over a sequence (or a batch of sequences).

    Parameters
    ----------
    params : RNNParams
    xs : array_like, shape (T, D) or (T, B, D)
        Inputs x_1 … x_T; a batch of B sequences when 3-D.
    h0 : array_like, shape (H,) or (B, H), optional
        Initial hidden state; zeros when omitted.

    Returns
    -------
    ForwardCache
        z_t, h_t (with h_0) and o_t for every step, batched like ``xs``.
    """
    xs_b, h0_b, batched = prepare_inputs(params, xs, h0)
    cache = run_forward(params, xs_b, h0_b)
    return cache if batched else cache.unbatched()


def check_same_shapes(params: ParamSet, grads: ParamSet, name: str = "grads") -> None:
    """Raise a ``ValueError`` unless ``grads`` has the type and shapes of ``params``."""
    if type(grads) is not type(params):
        raise ValueError(
            f"{name} must be a {type(params).__name__} like params, got {type(grads).__name__}"
        )
    for field, value in params.items():
        other = getattr(grads, field)
        if other.shape != value.shape:
            raise ValueError(
                f"{name}.{field} must have shape {value.shape} like params.{field}, "
                f"got {other.shape}"
            )


def sgd_step(params: ParamSet, grads: ParamSet, lr: float) -> ParamSet:
    """One gradient-descent step, θ ← θ − lr · ∂L/∂θ, for each parameter.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    grads : same type as ``params``
        Gradients with the shapes of ``params``.
    lr : float
        Learning rate (> 0).

    Returns
    -------
    same type as ``params``
        New parameters; ``params`` and ``grads`` are unchanged.
    """
    check_param_set(params)
    check_same_shapes(params, grads)
    lr = check_positive(lr, "lr")
    return dataclasses.replace(
        params, **{name: value - lr * getattr(grads, name) for name, value in params.items()}
    )
