"""Parameters of a gated cell: weight matrices whose rows are stacked one block per gate.

A cell with G gates and H hidden units stacks its G gate blocks of H rows each, in PyTorch's
order, so ``W_x`` has shape (G·H, D) and ``W_x[k·H:(k+1)·H]`` belongs to gate k. The output
layer is the vanilla RNN's: ``W_hy (O, H)``, ``b_y (O,)``. `LSTMParams` (G = 4: i, f, g, o)
and `GRUParams` (G = 3: r, z, n) declare their fields and their shapes; this module checks
them, one rule for both.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import ClassVar

import numpy as np

from rnn_derivatives.model import ParamSet, random_start
from rnn_derivatives.validation import array_copy, as_float_array


def sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) = 1 / (1 + e^{−a}), computed as (1 + tanh(a/2)) / 2 so that no exponent overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


#: Where each size comes from, for error messages.
SOURCES = {"H": "W_x", "D": "W_x", "O": "W_hy"}


class GateParams(ParamSet):
    """Base of `LSTMParams` and `GRUParams`: checks, copies and freezes the arrays.

    A subclass is a frozen dataclass that sets ``GATES`` (the gate names in row order) and
    ``SHAPES`` (each field's shape in the symbols ``"GH"`` = G·H, ``"H"``, ``"D"``, ``"O"``).
    Fields whose value is None (only ``b_y`` by default) become zeros.

    The arrays are copied, converted to float64 (float32 if every array given is float32),
    checked for shape and finiteness, and made read-only, as for `RNNParams`.
    """

    GATES: ClassVar[tuple[str, ...]] = ()
    SHAPES: ClassVar[dict[str, tuple[str, ...]]] = {}
    SIZE_SOURCES: ClassVar[dict[str, str]] = {"D": "W_x has {} columns", "H": "W_h has {} columns"}

    def __post_init__(self) -> None:
        given = [v for _, v in self._raw_items() if v is not None]
        all_float32 = all(getattr(v, "dtype", None) == np.float32 for v in given)
        dtype = np.float32 if all_float32 else np.float64
        W_x = as_float_array(self.W_x, "W_x", ("GH", "D"), dtype=dtype)
        W_hy = as_float_array(self.W_hy, "W_hy", ("O", "n"), dtype=dtype)
        G = len(self.GATES)
        if W_x.shape[0] % G:
            raise ValueError(
                f"W_x must have {G}H rows (H for each gate {', '.join(self.GATES)}), "
                f"got shape {W_x.shape}: {W_x.shape[0]} is not a multiple of {G}"
            )
        sizes = {"GH": W_x.shape[0], "H": W_x.shape[0] // G, "D": W_x.shape[1], "O": len(W_hy)}
        for name, value in self._raw_items():
            spec = self.SHAPES[name]
            shape = tuple(sizes[s] for s in spec)
            if value is None:
                arr = np.zeros(shape, dtype)
            else:
                arr = self._checked(value, name, spec, shape, sizes, dtype)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    def _raw_items(self) -> Iterator[tuple[str, object]]:
        for field in dataclasses.fields(self):
            yield field.name, getattr(self, field.name)

    def _checked(
        self,
        value: object,
        name: str,
        spec: tuple[str, ...],
        shape: tuple[int, ...],
        sizes: dict[str, int],
        dtype: type,
    ) -> np.ndarray:
        """``value`` as a float array of ``shape``; a conflict names the argument it comes from.

        For example: "W_h must have shape (4H, H) = (8, 2) because W_x has shape (8, 3)
        (H = 2); got shape (8, 3)".
        """
        arr = array_copy(value, name, f"of shape {shape}")
        if arr.shape != shape:
            G = len(self.GATES)
            symbols = ", ".join(s.replace("GH", f"{G}H") for s in spec)
            symbols += "," if len(spec) == 1 else ""
            sources = sorted({SOURCES[s.replace("GH", "H")] for s in spec} - {name})
            known = ", ".join(f"{s} = {sizes[s]}" for s in ("H", "D", "O") if s in "".join(spec))
            reasons = " and ".join(
                f"{source} has shape {self._shape_of(source)}" for source in sources
            )
            because = f" because {reasons} ({known})" if reasons else ""
            raise ValueError(
                f"{name} must have shape ({symbols}) = {shape}{because}; got shape {arr.shape}"
            )
        return as_float_array(arr, name, shape, dtype=dtype)

    def _shape_of(self, name: str) -> tuple[int, ...]:
        return np.shape(getattr(self, name))

    @classmethod
    def random(
        cls, n_in: int, n_hidden: int, n_out: int, *, seed: int, scale: float = 0.1
    ) -> GateParams:
        """Draw every weight matrix from N(0, scale²), in field order, with zero biases.

        The arguments are those of `RNNParams.random`: D, H, O, the seed and the standard
        deviation of the weights.
        """
        sizes, scale, rng = random_start(n_in, n_hidden, n_out, seed, scale)
        sizes["GH"] = len(cls.GATES) * sizes["H"]
        arrays = {}
        for name, spec in cls.SHAPES.items():
            shape = tuple(sizes[s] for s in spec)
            arrays[name] = rng.normal(0.0, scale, shape) if len(spec) == 2 else np.zeros(shape)
        return cls(**arrays)

    def gate(self, name: str, gate: str) -> np.ndarray:
        """The rows (or entries) of parameter ``name`` that belong to ``gate``.

        For example ``params.gate("b", "f")`` is the forget gate's bias b_f, shape (H,).
        """
        if gate not in self.GATES:
            raise ValueError(f"gate must be one of {', '.join(self.GATES)}, got {gate!r}")
        if name not in self.SHAPES or self.SHAPES[name][0] != "GH":
            stacked = ", ".join(n for n, s in self.SHAPES.items() if s[0] == "GH")
            raise ValueError(f"name must be one of {stacked}, got {name!r}")
        k, H = self.GATES.index(gate), self.n_hidden
        return getattr(self, name)[k * H : (k + 1) * H]
