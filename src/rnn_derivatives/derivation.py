"""The vanilla RNN's backward pass in the forms the site derives, each a view of a trace.

The engine (`rnn_derivatives.sequence` with `rnn_derivatives.cells.rnn`) computes every
gradient by the O(T) recursion; the pages derive it from pieces that this module computes,
each tested against the engine:

    ∂h_t/∂h_{t-1} = diag(1 − h_t²) W_hh                                   (H, H)
    ∂h_t/∂h_k     = Π_{j=t}^{k+1} diag(1 − h_j²) W_hh     (newest factor on the left)
    ∂⁺h_k/∂θ      = the immediate Jacobian, h_{k-1} held fixed
    ∂L/∂θ         = Σ_t Σ_{k ≤ t} (∂L_t/∂h_t) (∂h_t/∂h_k) (∂⁺h_k/∂θ)      (the double sum)
    δ_t = ∂L/∂z_t, and the per-step terms δ_k h_{k−1}ᵀ of ∂L/∂W_hh

with the bound ‖∂h_t/∂h_k‖₂ ≤ ‖W_hh‖₂^{t−k} (Pascanu, Mikolov and Bengio, 2013) and the
softmax and its Jacobian. Row vectors appear only where a batch is held row-wise in code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from rnn_derivatives.cells import rnn
from rnn_derivatives.cells.rnn import RNNParams
from rnn_derivatives.losses import log_softmax
from rnn_derivatives.params import check_kind
from rnn_derivatives.sequence import Trace, backward, check_truncation, score
from rnn_derivatives.validation import array_copy, as_float_array, check_index


def softmax(o: object) -> np.ndarray:
    """ŷ = softmax(o) along the last axis: ŷ_i = exp(o_i) / Σ_j exp(o_j).

    Parameters
    ----------
    o : array_like, shape (..., O)
        Logits; any number of leading axes.

    Returns
    -------
    numpy.ndarray, shape (..., O)
        Probabilities that sum to 1 along the last axis.
    """
    arr = array_copy(o, "o", "of shape (..., O)")
    arr = as_float_array(arr, "o", tuple(f"n{i}" for i in range(max(arr.ndim, 1))))
    return np.exp(log_softmax(arr))


def softmax_jacobian(o: object) -> np.ndarray:
    """∂ŷ/∂o = diag(ŷ) − ŷ ŷᵀ for one logit vector.

    Parameters
    ----------
    o : array_like, shape (O,)

    Returns
    -------
    numpy.ndarray, shape (O, O)
        Entry (i, j) is ∂ŷ_i/∂o_j = ŷ_i (δ_ij − ŷ_j).
    """
    p = softmax(as_float_array(o, "o", ("O",)))
    return np.diag(p) - np.outer(p, p)


def step_jacobian(W_hh: np.ndarray, h_t: np.ndarray) -> np.ndarray:
    """∂h_t/∂h_{t-1} = diag(1 − h_t²) W_hh, for each sequence of a batch.

    Parameters
    ----------
    W_hh : numpy.ndarray, shape (H, H)
    h_t : numpy.ndarray, shape (B, H)

    Returns
    -------
    numpy.ndarray, shape (B, H, H)
    """
    return (1.0 - h_t**2)[:, :, None] * W_hh


def check_trace(params: object, trace: object, t: object) -> int:
    """Return ``t`` if ``trace`` is the unbatched trace of the RNN ``params`` and t is in [0, T]."""
    check_kind(params, RNNParams)
    if not isinstance(trace, Trace) or trace.batched or not isinstance(trace.params, RNNParams):
        raise ValueError("cache must be the forward pass of one sequence (xs of shape (T, D))")
    if trace.h.shape[1] != params.n_hidden:
        raise ValueError(
            f"cache must come from params with H = {params.n_hidden}, got H = {trace.h.shape[1]}"
        )
    return check_index(t, "t", 0, trace.n_steps)


def jacobian_chain(params: RNNParams, trace: Trace, t: int) -> Iterator[np.ndarray]:
    """Yield ∂h_t/∂h_k for k = t, t − 1, …, 0, each from the previous by one more factor:

        ∂h_t/∂h_{k−1} = (∂h_t/∂h_k) diag(1 − h_k²) W_hh

    The identity comes first (k = t); every matrix has shape (H, H).
    """
    jac = np.eye(params.n_hidden, dtype=params.dtype)
    yield jac
    for j in range(t, 0, -1):
        jac = jac @ step_jacobian(params.W_hh, trace.h[j][None, :])[0]
        yield jac


def hidden_jacobian(params: RNNParams, cache: Trace, t: int, k: int) -> np.ndarray:
    """∂h_t/∂h_k = Π_{j=t}^{k+1} diag(1 − h_j²) W_hh (newest factor on the left).

    Parameters
    ----------
    params : RNNParams
    cache : Trace
        The forward pass of one sequence (``forward(params, xs)`` with ``xs`` of shape (T, D)).
    t, k : int
        Steps in [0, T]; h_0 is the initial state.

    Returns
    -------
    numpy.ndarray, shape (H, H)
        The identity when ``t == k`` and zeros when ``k > t`` (h_t does not depend on later
        states).
    """
    t = check_trace(params, cache, t)
    k = check_index(k, "k", 0, cache.n_steps)
    if k > t:
        return np.zeros((params.n_hidden, params.n_hidden), params.dtype)
    return next(itertools.islice(jacobian_chain(params, cache, t), t - k, None))  # entry t − k


def jacobian_norms(params: RNNParams, cache: Trace, t: int) -> np.ndarray:
    """‖∂h_t/∂h_{t−ℓ}‖₂ (largest singular value) for every lag ℓ = 0 … t.

    Parameters
    ----------
    params : RNNParams
    cache : Trace
        The forward pass of one sequence.
    t : int
        The later step, in [0, T].

    Returns
    -------
    numpy.ndarray, shape (t + 1,)
        Entry ℓ is the spectral norm of ``hidden_jacobian(params, cache, t, t − ℓ)``; entry 0
        is ‖I‖₂ = 1.
    """
    t = check_trace(params, cache, t)
    return np.array([np.linalg.norm(jac, 2) for jac in jacobian_chain(params, cache, t)])


def spectral_radius(W_hh: object) -> float:
    """ρ(W_hh) = max_i |λ_i|, the largest eigenvalue modulus, for W_hh of shape (H, H)."""
    W = as_float_array(W_hh, "W_hh", ("H", "H"))
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def largest_singular_value(W_hh: object) -> float:
    """‖W_hh‖₂ = max_{‖v‖=1} ‖W_hh v‖ for W_hh (H, H): ‖∂h_t/∂h_k‖₂ ≤ ‖W_hh‖₂ᵗ⁻ᵏ.

    Always ≥ [`spectral_radius`][rnn_derivatives.spectral_radius] of the same matrix.
    """
    W = as_float_array(W_hh, "W_hh", ("H", "H"))
    return float(np.linalg.norm(W, 2))


def immediate_jacobians(cache: Trace, k: int) -> dict[str, np.ndarray]:
    """∂⁺h_k/∂θ with h_{k-1} held fixed, as explicit tensors, for each sequence of a batch.

    With the slope d = 1 − h_k² (so ∂h_k[i]/∂z_k[i] = d[i]) and [i = p] = 1 if i = p, else 0:

    * ∂h_k[i]/∂W_xh[p, q] = [i = p] d[i] x_k[q]       shape (B, H, H, D)
    * ∂h_k[i]/∂W_hh[p, q] = [i = p] d[i] h_{k-1}[q]   shape (B, H, H, H)
    * ∂h_k[i]/∂b_h[p]     = [i = p] d[i]              shape (B, H, H)

    Parameters
    ----------
    cache : Trace
        A vanilla RNN's forward pass; one sequence counts as a batch of B = 1.
    k : int
        Step in [1, T].
    """
    trace = cache.batch_of_one()
    k = check_index(k, "k", 1, trace.n_steps)
    d = 1.0 - trace.h[k] ** 2  # (B, H)
    diag_d = d[:, :, None] * np.eye(d.shape[1], dtype=d.dtype)  # (B, H, H)
    return {
        "W_xh": np.einsum("bip,bq->bipq", diag_d, trace.xs[k - 1]),
        "W_hh": np.einsum("bip,bq->bipq", diag_d, trace.h[k - 1]),
        "b_h": diag_d,
    }


def double_sum_grads(
    params: RNNParams,
    trace: Trace,
    d_o: np.ndarray,
    *,
    truncate: int | None = None,
    chunk: int | None = None,
) -> dict[str, np.ndarray]:
    """The literal Σ_t Σ_{k≤t} (∂L_t/∂h_t)(∂h_t/∂h_k)(∂⁺h_k/∂θ), O(T²), for W_xh, W_hh, b_h.

    For each t, ∂h_t/∂h_k is built from ∂h_t/∂h_t = I by one `step_jacobian` per step back.

    Parameters
    ----------
    params : RNNParams
    trace : Trace
        Batched forward pass: ``xs`` (T, B, D), ``h`` (T + 1, B, H).
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step.
    truncate : int, optional
        K: keep only the terms t − K < k ≤ t of the inner sum.
    chunk : int, optional
        K: keep only the terms with k in the chunk of K steps that holds t.

    Returns
    -------
    dict
        ``W_xh`` (H, D), ``W_hh`` (H, H), ``b_h`` (H,): equal to the recursion's up to rounding.
    """
    B, H = trace.h.shape[1:]
    sums = {name: np.zeros_like(getattr(params, name)) for name in ("W_xh", "W_hh", "b_h")}
    for t in range(1, trace.n_steps + 1):
        oldest = 1
        if truncate is not None:
            oldest = max(t - truncate + 1, 1)
        elif chunk is not None:
            oldest = (t - 1) // chunk * chunk + 1
        dLt_dht = d_o[t - 1] @ params.W_hy  # ∂L_t/∂h_t through o_t only, (B, H)
        dht_dhk = np.broadcast_to(np.eye(H, dtype=params.dtype), (B, H, H))  # k = t
        for k in range(t, oldest - 1, -1):
            row = np.einsum("bi,bij->bj", dLt_dht, dht_dhk)  # ∂L_t/∂h_k, (B, H)
            for name, dhk_dtheta in immediate_jacobians(trace, k).items():
                sums[name] += np.einsum("bj,bj...->...", row, dhk_dtheta)
            dht_dhk = dht_dhk @ step_jacobian(params.W_hh, trace.h[k])  # ∂h_t/∂h_{k-1}
    return sums


def deltas(
    params: RNNParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    truncate: int | None = None,
    chunk: int | None = None,
) -> np.ndarray:
    """δ_t = ∂L/∂z_t for every step of a vanilla RNN, from the engine's ∂L/∂h_t.

    δ_t = (1 − h_t²) ⊙ ∂L/∂h_t, where ∂L/∂h_t = W_hyᵀ ∂L/∂o_t + W_hhᵀ δ_{t+1} (δ_{T+1} = 0).
    With ``truncate`` or ``chunk`` (as for [`loss_and_grads`][rnn_derivatives.loss_and_grads])
    it is the part of δ_t that truncated BPTT keeps; the ∂L/∂b_h of
    [`loss_and_grads`][rnn_derivatives.loss_and_grads] is Σ_t δ_t either way.

    Parameters
    ----------
    params, xs, targets, loss, h0, truncate, chunk
        As for [`loss_and_grads`][rnn_derivatives.loss_and_grads].

    Returns
    -------
    numpy.ndarray, shape (T, H) or (T, B, H)
        Index t − 1 holds δ_t.
    """
    trace, d = traced_deltas(params, xs, targets, loss, h0, truncate, chunk)
    return d if trace.batched else d[:, 0]


def traced_deltas(
    params: RNNParams,
    xs: object,
    targets: object,
    loss: str,
    h0: object,
    truncate: int | None = None,
    chunk: int | None = None,
) -> tuple[Trace, np.ndarray]:
    """The trace and δ_t (T, B, H) of `deltas`."""
    check_kind(params, RNNParams)
    truncate, chunk = check_truncation(truncate, chunk)
    scored = score(params, xs, targets, loss=loss, h0=h0)
    trace = scored.trace
    dh = backward(trace, scored.d_o @ params.W_hy, truncate=truncate, chunk=chunk).h[1:]
    return trace, rnn.delta(trace.batch_of_one().h[1:], dh)


def w_hh_grad_terms(
    params: RNNParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
) -> np.ndarray:
    """The per-step terms of ∂L/∂W_hh = Σ_k δ_k h_{k−1}ᵀ (summed over the batch).

    Parameters
    ----------
    params, xs, targets, loss, h0
        As for [`loss_and_grads`][rnn_derivatives.loss_and_grads].

    Returns
    -------
    numpy.ndarray, shape (T, H, H)
        Index k − 1 holds δ_k h_{k−1}ᵀ, the part of the gradient that W_hh receives at
        step k; the terms sum to ``loss_and_grads(...)[1].W_hh``.
    """
    trace, d = traced_deltas(params, xs, targets, loss, h0)
    return np.einsum("tbh,tbj->thj", d, trace.batch_of_one().h[:-1])
