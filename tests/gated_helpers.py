"""Random problems for the LSTM and GRU tests, and central differences of any array argument."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnn_derivatives import GRUParams, LSTMParams, RNNParams
from rnn_derivatives.model import ParamSet

#: The gate count of each cell: W_x has (gates · H) rows.
GATES = {RNNParams: 1, LSTMParams: 4, GRUParams: 3}


def random_params(
    kind: type, D: int, H: int, O: int, *, rng: np.random.Generator, scale: float = 0.5
) -> ParamSet:
    """Parameters of ``kind`` with every entry, biases included, drawn from N(0, scale²)."""

    def draw(*shape: int) -> np.ndarray:
        return rng.normal(0.0, scale, shape)

    if kind is RNNParams:
        return RNNParams(draw(H, D), draw(H, H), draw(O, H), draw(H), draw(O))
    G = GATES[kind] * H
    if kind is LSTMParams:
        return LSTMParams(draw(G, D), draw(G, H), draw(G), draw(O, H), draw(O))
    return GRUParams(draw(G, D), draw(G, H), draw(G), draw(G), draw(O, H), draw(O))


def random_problem(
    kind: type,
    *,
    seed: int,
    T: int,
    B: int | None,
    D: int = 3,
    H: int = 2,
    O: int = 3,
    loss: str = "cross_entropy",
    with_states: bool = True,
    scale: float = 0.5,
) -> dict[str, object]:
    """Keyword arguments for `full_grads`: params, xs, targets, loss, h0 (and c0 for an LSTM)."""
    rng = np.random.default_rng(seed)
    params = random_params(kind, D, H, O, rng=rng, scale=scale)
    lead = (T,) if B is None else (T, B)
    state = (H,) if B is None else (B, H)
    if loss == "cross_entropy":
        targets = rng.integers(0, O, size=lead)
    else:
        targets = rng.normal(0.0, 1.0, (O,) if B is None else (B, O))
    problem = {
        "params": params,
        "xs": rng.normal(0.0, 1.0, (*lead, D)),
        "targets": targets,
        "loss": loss,
        "h0": rng.uniform(-0.9, 0.9, state) if with_states else None,
    }
    if kind is LSTMParams:
        problem["c0"] = rng.normal(0.0, 1.0, state) if with_states else None
    return problem


def array_differences(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6):
    """(f(x + ε e_i) − f(x − ε e_i)) / (2ε) for every entry x_i of one array."""
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad
