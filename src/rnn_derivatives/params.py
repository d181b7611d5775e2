"""What the parameters of every cell share, and the one rule that checks them.

Each cell module declares its parameters as a frozen dataclass of `ParamSet`: the fields in
order (input weights first, the output layer ``W_hy (O, H)``, ``b_y (O,)`` last) and each
field's shape in the symbols ``"H"``, ``"D"``, ``"O"`` and ``"GH"`` (G·H rows: one block of H
rows per gate, for a cell with G gates). From that declaration this module

* checks every argument (numeric, finite, the declared number of axes, sizes >= 1);
* reads each size from every argument that holds it and, when they disagree, blames the
  argument that disagrees with the others ("W_x must have shape (4H, D) = (16, 3) because
  W_h, b and W_hy say H = 4; got shape (12, 3)");
* copies, converts to float64 (float32 if every array given is float32) and freezes them;
* gives every cell ``items()``, ``n_in``, ``n_hidden``, ``n_out``, ``dtype``, ``astype``,
  ``random`` and ``gate``, so the driver, training, clipping and the gradient check treat the
  three cells alike.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from typing import ClassVar, Self

import numpy as np

from rnn_derivatives.validation import array_copy, as_float_array, check_count, check_positive


def symbolic(spec: tuple[str, ...], n_gates: int) -> str:
    """A shape template in words: ``("GH", "D")`` with 4 gates is ``"(4H, D)"``."""
    parts = [f"{n_gates}H" if s == "GH" else s for s in spec]
    return "(" + ", ".join(parts) + (",)" if len(parts) == 1 else ")")


def names_in_words(names: list[str]) -> str:
    """``["W_h", "b", "W_hy"]`` as ``"W_h, b and W_hy"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class ParamSet:
    """Base of [`RNNParams`][rnn_derivatives.RNNParams], [`LSTMParams`][rnn_derivatives.LSTMParams]
    and [`GRUParams`][rnn_derivatives.GRUParams] (also used for their gradients).

    A subclass is a frozen dataclass that sets ``SHAPES`` (each field's shape) and ``GATES``
    (the gate names in row order, empty for the vanilla RNN). Fields whose value is None
    become zeros. The arrays are copied, checked, and made read-only.
    """

    SHAPES: ClassVar[dict[str, tuple[str, ...]]] = {}
    GATES: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        optional = {f.name for f in dataclasses.fields(self) if f.default is None}
        given = {n: v for n, v in self._raw_items() if v is not None or n not in optional}
        all_float32 = all(getattr(v, "dtype", None) == np.float32 for v in given.values())
        dtype = np.float32 if all_float32 else np.float64
        arrays = {name: self._numeric(value, name) for name, value in given.items()}
        sizes = self._agreed_sizes(arrays)
        for name, spec in self.SHAPES.items():
            shape = tuple(sizes["H"] * self.n_gates if s == "GH" else sizes[s] for s in spec)
            if name in arrays:
                arr = as_float_array(arrays[name], name, shape, dtype=dtype)
            else:
                arr = np.zeros(shape, dtype)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def n_gates(self) -> int:
        """G, the number of gate blocks stacked in the gate weights (1 for the vanilla RNN)."""
        return max(len(self.GATES), 1)

    def _raw_items(self) -> Iterator[tuple[str, object]]:
        for field in dataclasses.fields(self):
            yield field.name, getattr(self, field.name)

    def _numeric(self, value: object, name: str) -> np.ndarray:
        """``value`` as a numeric array (a copy), or a ``ValueError`` naming ``name``."""
        expected = symbolic(self.SHAPES[name], self.n_gates)
        arr = array_copy(value, name, f"of shape {expected}")
        if arr.dtype.kind not in "iuf":  # not bool, complex, object or text
            got = "None" if value is None else f"dtype {arr.dtype}"
            raise ValueError(f"{name} must be a numeric array of shape {expected}, got {got}")
        return arr

    def _claims(self, name: str, shape: tuple[int, ...]) -> list[tuple[str, int]]:
        """The sizes argument ``name`` implies, axis by axis: W_x (16, 3) gives H = 4, D = 3."""
        claims = []
        for symbol, size in zip(self.SHAPES[name], shape, strict=True):
            if symbol == "GH":  # G·H rows: H = rows / G, a fraction if rows is no multiple
                symbol, size = (
                    "H",
                    size // self.n_gates if size % self.n_gates == 0 else size / self.n_gates,
                )
            claims.append((symbol, size))
        return claims

    def _expected(self, name: str, sizes: dict[str, int]) -> str:
        """The shape ``name`` must have, e.g. "(4H, D) = (16, 3)", with the sizes known."""
        spec = self.SHAPES[name]
        parts = [str(sizes["H"] * self.n_gates) if s == "GH" and "H" in sizes else s for s in spec]
        parts = [
            str(sizes[s]) if s in sizes else s.replace("GH", f"{self.n_gates}H") for s in parts
        ]
        filled = "(" + ", ".join(parts) + (",)" if len(parts) == 1 else ")")
        return f"{symbolic(spec, self.n_gates)} = {filled}"

    def _agreed_sizes(self, arrays: dict[str, np.ndarray]) -> dict[str, int]:
        """D, H and O as most axes give them; the first argument that disagrees is blamed.

        Every axis of every argument votes for the size it implies; a tie goes to the size
        voted first in field order.
        """
        ranked = {n: a for n, a in arrays.items() if a.ndim == len(self.SHAPES[n])}
        claims = {name: self._claims(name, arr.shape) for name, arr in ranked.items()}
        agreed: dict[str, int] = {}
        for symbol in ("H", "D", "O"):
            votes = [size for c in claims.values() for s, size in c if s == symbol]
            counts = Counter(votes)
            if votes:
                agreed[symbol] = max(counts, key=lambda n: (counts[n], -votes.index(n)))
        if isinstance(agreed.get("H"), float):
            name = next(n for n, c in claims.items() if ("H", agreed["H"]) in c)
            G = self.n_gates
            raise ValueError(
                f"{name} must have {G}H rows (H for each gate {', '.join(self.GATES)}), got "
                f"shape {arrays[name].shape}: {arrays[name].shape[0]} is not a multiple of {G}"
            )
        for name, arr in arrays.items():
            if name not in ranked or 0 in arr.shape:
                empty = " with every size >= 1" if name in ranked else ""
                raise ValueError(
                    f"{name} must have shape {self._expected(name, agreed)}{empty}, "
                    f"got shape {arr.shape}"
                )
            for symbol, size in claims[name]:
                if size == agreed[symbol]:
                    continue
                others = [
                    n for n, c in claims.items() if n != name and (symbol, agreed[symbol]) in c
                ]
                verb = "says" if len(others) == 1 else "say"
                raise ValueError(
                    f"{name} must have shape {self._expected(name, agreed)} because "
                    f"{names_in_words(others)} {verb} {symbol} = {agreed[symbol]}; "
                    f"got shape {arr.shape}"
                )
        return agreed

    @classmethod
    def _of_computed(cls, **arrays: np.ndarray) -> Self:
        """Wrap arrays the package computed itself (its gradients), read-only and unchecked.

        Their shapes and dtype are right by construction, and a gradient that overflowed to
        inf is a result to return, not an argument to reject.
        """
        obj = object.__new__(cls)
        for name in cls.SHAPES:
            value = arrays[name]
            value.setflags(write=False)
            object.__setattr__(obj, name, value)
        return obj

    @classmethod
    def random(cls, n_in: int, n_hidden: int, n_out: int, *, seed: int, scale: float = 0.1) -> Self:
        """Draw every weight matrix from N(0, scale²), in field order, with zero biases.

        Parameters
        ----------
        n_in, n_hidden, n_out : int
            D, H and O, each >= 1.
        seed : int
            Seed of ``numpy.random.default_rng`` (>= 0).
        scale : float
            Standard deviation of the weights (> 0).
        """
        sizes = {
            "D": check_count(n_in, "n_in"),
            "H": check_count(n_hidden, "n_hidden"),
            "O": check_count(n_out, "n_out"),
        }
        scale = check_positive(scale, "scale")
        rng = np.random.default_rng(check_count(seed, "seed", minimum=0))
        sizes["GH"] = max(len(cls.GATES), 1) * sizes["H"]
        arrays = {}
        for name, spec in cls.SHAPES.items():
            shape = tuple(sizes[s] for s in spec)
            arrays[name] = rng.normal(0.0, scale, shape) if len(spec) == 2 else np.zeros(shape)
        return cls(**arrays)

    def astype(self, dtype: type | np.dtype) -> Self:
        """Return a copy whose arrays have ``dtype`` (``np.float64`` or ``np.float32``)."""
        if np.dtype(dtype) not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise ValueError(f"dtype must be float64 or float32, got {np.dtype(dtype)}")
        return type(self)(**{name: value.astype(dtype) for name, value in self.items()})

    def gate(self, name: str, gate: str) -> np.ndarray:
        """The rows (or entries) of parameter ``name`` that belong to ``gate``.

        For example ``params.gate("b", "f")`` is an LSTM's forget-gate bias b_f, shape (H,).
        """
        if gate not in self.GATES:
            raise ValueError(f"gate must be one of {', '.join(self.GATES)}, got {gate!r}")
        if name not in self.SHAPES or self.SHAPES[name][0] != "GH":
            stacked = ", ".join(n for n, s in self.SHAPES.items() if s[0] == "GH")
            raise ValueError(f"name must be one of {stacked}, got {name!r}")
        k, H = self.GATES.index(gate), self.n_hidden
        return getattr(self, name)[k * H : (k + 1) * H]

    def __repr__(self) -> str:
        shapes = ", ".join(f"{name}={value.shape}" for name, value in self.items())
        return f"{type(self).__name__}({shapes}, dtype={self.dtype})"

    @property
    def n_in(self) -> int:
        """D, the size of each input x_t: the columns of the input weights."""
        return getattr(self, next(iter(self.SHAPES))).shape[1]

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
        for name in self.SHAPES:
            yield name, getattr(self, name)


def check_param_set(value: object, name: str = "params") -> ParamSet:
    """Return ``value`` if it is the parameters of a cell (RNN, LSTM or GRU), else raise."""
    if not isinstance(value, ParamSet):
        raise ValueError(
            f"{name} must be an RNNParams, LSTMParams or GRUParams, got {type(value).__name__}"
        )
    return value


def check_kind(value: object, kind: type, name: str = "params") -> None:
    """Raise a ``ValueError`` naming ``name`` unless ``value`` is a ``kind``."""
    if not isinstance(value, kind):
        article = "an" if kind.__name__[0] in "AEIOLRU" else "a"
        raise ValueError(f"{name} must be {article} {kind.__name__}, got {type(value).__name__}")


def check_same_shapes(params: ParamSet, grads: object, name: str = "grads") -> None:
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
