"""The gates' squashing function; tanh is NumPy's ``np.tanh``."""

from __future__ import annotations

import numpy as np


def sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) = 1 / (1 + e^{−a}), computed as (1 + tanh(a/2)) / 2 so that no exponent overflows.

    Its derivative is σ′(a) = σ(a) (1 − σ(a)), which the cells' backward passes use.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * a))
