"""Input checks shared by every public function.

Each helper returns a new float array (never a view of the caller's data) or raises a
``ValueError`` whose message names the argument and the shape or range that was expected.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

#: A shape template: an ``int`` is a required size, a ``str`` names the dimension in messages
#: and accepts any size >= 1 (the same name must mean the same size within one call).
ShapeSpec = Sequence[int | str]


class Sizes(dict[str, int]):
    """Sizes by name (``"H"`` -> 5), each with the reason it has that size.

    Messages about a size conflict quote the reason: "W_hh must be (H, H) = (5, 5) because
    W_xh has 5 rows; got (4, 4)". `as_float_array` records a size it sees first as
    "`<name>` has `<n>` rows" (columns, entries, or "size `<n>` on axis `<k>`").

    Parameters
    ----------
    **known
        ``name=(size, reason)``, e.g. ``H=(5, "params.W_hh has 5 rows")``.
    """

    def __init__(self, **known: tuple[int, str]) -> None:
        super().__init__({name: size for name, (size, _) in known.items()})
        self.reasons = {name: reason for name, (_, reason) in known.items()}

    def reason(self, name: str) -> str:
        return self.reasons.get(name, f"{name} = {self[name]}")


def _describe(spec: ShapeSpec, sizes: dict[str, int]) -> str:
    """Render a shape template such as ``(T, H)`` with the sizes already known."""
    parts = [str(sizes.get(s, s)) if isinstance(s, str) else str(s) for s in spec]
    return "(" + ", ".join(parts) + (",)" if len(parts) == 1 else ")")


def _axis(name: str, shape: tuple[int, ...], axis: int) -> str:
    """What axis ``axis`` of ``name`` holds, in words: "W_xh has 5 rows"."""
    if len(shape) == 1:
        return f"{name} has {shape[0]} entries"
    if len(shape) == 2:
        return f"{name} has {shape[axis]} {'rows' if axis == 0 else 'columns'}"
    return f"{name} has size {shape[axis]} on axis {axis}"


def check_shape(arr: np.ndarray, name: str, spec: ShapeSpec, sizes: Sizes) -> None:
    """Check ``arr.shape`` against ``spec``, learning new named sizes into ``sizes``.

    Raises
    ------
    ValueError
        If the number of axes differs, a named size is 0, or a size disagrees with one already
        known (the message says where the known size came from).
    """
    expected = _describe(spec, sizes)
    if arr.ndim != len(spec):
        raise ValueError(f"{name} must have shape {expected}, got shape {arr.shape}")
    for dim, (got, want) in enumerate(zip(arr.shape, spec, strict=True)):
        if isinstance(want, str):
            if got < 1:
                raise ValueError(
                    f"{name} must have shape {expected} with {want} >= 1, got shape {arr.shape}"
                )
            if want not in sizes:
                sizes[want] = got
                sizes.reasons[want] = _axis(name, arr.shape, dim)
            elif sizes[want] != got:
                template = _describe(spec, {})
                raise ValueError(
                    f"{name} must be {template} = {_describe(spec, sizes)} because "
                    f"{sizes.reason(want)}; got {arr.shape}"
                )
        elif got != want:
            raise ValueError(
                f"{name} must have shape {expected}, got shape {arr.shape} (axis {dim})"
            )


def array_copy(value: object, name: str, expected: str) -> np.ndarray:
    """Return ``np.array(value)`` (a copy); a ragged list raises a ``ValueError`` naming ``name``.

    ``expected`` completes the message "`<name>` must be a numeric array …".
    """
    try:
        return np.array(value, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array {expected}") from exc


def as_float_array(
    value: object,
    name: str,
    spec: ShapeSpec,
    *,
    dtype: np.dtype | type = np.float64,
    sizes: Sizes | None = None,
) -> np.ndarray:
    """Convert ``value`` to a finite float array of shape ``spec`` (a copy).

    Parameters
    ----------
    value
        Anything ``np.asarray`` accepts: a list, an int or float array, a scalar.
    name
        The argument's name, used in error messages.
    spec
        Expected shape; names (``"T"``, ``"H"``) stand for a size >= 1, and a name already in
        ``sizes`` must have that size.
    dtype
        Floating dtype of the result.
    sizes
        Known sizes by name, with their reasons; sizes first seen here are added to it.

    Returns
    -------
    numpy.ndarray
        A new array of dtype ``dtype`` and shape ``spec``.

    Raises
    ------
    ValueError
        If the value is not numeric, has another shape, is empty, or holds NaN or inf.
    """
    sizes = Sizes() if sizes is None else sizes
    expected = _describe(spec, sizes)
    arr = array_copy(value, name, f"of shape {expected}")
    if arr.dtype.kind not in "iuf":  # not bool, complex, object or text
        raise ValueError(
            f"{name} must be a numeric array of shape {expected}, got dtype {arr.dtype}"
        )
    check_shape(arr, name, spec, sizes)
    arr = arr.astype(dtype, copy=False)  # already a copy of the caller's data
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def as_class_ids(
    value: object, name: str, spec: ShapeSpec, n_classes: int, sizes: Sizes | None = None
) -> np.ndarray:
    """Convert ``value`` to an int array of class ids in ``[0, n_classes)`` with shape ``spec``.

    ``spec`` and ``sizes`` work as in `as_float_array`. Whole-valued floats (``2.0``)
    are accepted; fractions, NaN and booleans are not.

    Raises
    ------
    ValueError
        If the shape differs, a value is not a whole number, or an id is out of range.
    """
    sizes = Sizes() if sizes is None else sizes
    arr = array_copy(value, name, f"of integer class ids with shape {_describe(spec, sizes)}")
    check_shape(arr, name, spec, sizes)
    if arr.dtype.kind not in "iuf":  # not bool, complex, object or text
        raise ValueError(f"{name} must hold integer class ids, got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and not (np.isfinite(arr).all() and (arr == np.round(arr)).all()):
        raise ValueError(f"{name} must hold integer class ids, got non-integer values")
    ids = arr.astype(np.int64, copy=False)
    if ids.min() < 0 or ids.max() >= n_classes:
        raise ValueError(
            f"{name} must hold class ids in [0, {n_classes - 1}] (O = {n_classes}), "
            f"got values from {ids.min()} to {ids.max()}"
        )
    return ids


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise a ``ValueError`` listing them."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def check_positive(value: object, name: str) -> float:
    """Return ``value`` as a float if it is a finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def check_index(value: object, name: str, low: int, high: int) -> int:
    """Return ``value`` if it is an integer in ``[low, high]`` (inclusive)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    return int(value)


def check_count(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` if it is an integer >= ``minimum`` (a length, a count, a step number)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_real(value: object, name: str) -> float:
    """Return ``value`` as a float if it is a finite real number (any sign)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)
