"""Backpropagation through time, in the two forms the site derives.

Notation (steps t = 1 … T, column vectors, shapes on the right):

    δ_t      = ∂L/∂z_t                                       (H,)
    ∂h_t/∂h_{t-1} = diag(1 − h_t²) W_hh                     (H, H)

``method="recursive"`` runs the O(T) backward recursion:

    ∂L/∂h_t = W_hyᵀ ∂L/∂o_t + W_hhᵀ δ_{t+1}                 (δ_{T+1} = 0)
    δ_t     = (1 − h_t²) ⊙ ∂L/∂h_t
    ∂L/∂W_xh = Σ_t δ_t x_tᵀ     ∂L/∂W_hh = Σ_t δ_t h_{t-1}ᵀ     ∂L/∂b_h = Σ_t δ_t

``method="double_sum"`` evaluates the derivation literally, with explicit Jacobians:

    ∂L/∂θ = Σ_t Σ_{k ≤ t} (∂L_t/∂h_t) (∂h_t/∂h_k) (∂h_k/∂θ)     θ ∈ {W_xh, W_hh, b_h}

where ∂h_k/∂θ is the *immediate* partial derivative (h_{k-1} held fixed). It costs O(T²)
and exists to show that both forms give the same numbers. Output-layer gradients are the
same in both: ∂L/∂W_hy = Σ_t (∂L/∂o_t) h_tᵀ and ∂L/∂b_y = Σ_t ∂L/∂o_t.

``truncate=K`` gives truncated BPTT: the gradient of output t flows back through
h_t … h_{t−K+1} only, so the inner sum keeps the K terms t−K < k ≤ t. The result is not the
gradient of L (it drops the long-range terms), and equals it when K ≥ T.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from rnn_derivatives.losses import score
from rnn_derivatives.model import ForwardCache, RNNParams, check_params
from rnn_derivatives.validation import check_choice, check_count, check_index

METHOD_NAMES = ("recursive", "double_sum")


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


def check_sequence_step(params: RNNParams, cache: object, t: object) -> int:
    """Return ``t`` if ``cache`` is the unbatched forward pass of ``params`` and t is in [0, T].

    Raises a ``ValueError`` naming ``params``, ``cache`` or ``t`` otherwise.
    """
    check_params(params)
    if not isinstance(cache, ForwardCache) or cache.batched:
        raise ValueError("cache must be the ForwardCache of one sequence (xs of shape (T, D))")
    if cache.h.shape[1] != params.n_hidden:
        raise ValueError(
            f"cache must come from params with H = {params.n_hidden}, got H = {cache.h.shape[1]}"
        )
    return check_index(t, "t", 0, cache.n_steps)


def hidden_jacobian(params: RNNParams, cache: ForwardCache, t: int, k: int) -> np.ndarray:
    """∂h_t/∂h_k = Π_{j=t}^{k+1} diag(1 − h_j²) W_hh (newest factor on the left).

    Parameters
    ----------
    params : RNNParams
    cache : ForwardCache
        An unbatched forward pass (``forward(params, xs)`` with ``xs`` of shape (T, D)).
    t, k : int
        Steps in [0, T]; h_0 is the initial state.

    Returns
    -------
    numpy.ndarray, shape (H, H)
        The identity when ``t == k`` and zeros when ``k > t`` (h_t does not depend on later
        states).
    """
    t = check_sequence_step(params, cache, t)
    k = check_index(k, "k", 0, cache.n_steps)
    if k > t:
        return np.zeros((params.n_hidden, params.n_hidden), params.dtype)
    return next(itertools.islice(jacobian_chain(params, cache, t), t - k, None))  # entry t − k


def jacobian_chain(params: RNNParams, cache: ForwardCache, t: int) -> Iterator[np.ndarray]:
    """Yield ∂h_t/∂h_k for k = t, t − 1, …, 0, each from the previous by one more factor:

        ∂h_t/∂h_{k−1} = (∂h_t/∂h_k) diag(1 − h_k²) W_hh

    Parameters
    ----------
    params : RNNParams
    cache : ForwardCache
        An unbatched forward pass; ``t`` already checked to be in [0, T].

    Yields
    ------
    numpy.ndarray, shape (H, H)
        The identity first (k = t).
    """
    jac = np.eye(params.n_hidden, dtype=params.dtype)
    yield jac
    for j in range(t, 0, -1):
        jac = jac @ step_jacobian(params.W_hh, cache.h[j][None, :])[0]
        yield jac


def rows(a: np.ndarray) -> np.ndarray:
    """View a (T, B, n) array as (T·B, n): one row per step and sequence."""
    return a.reshape(-1, a.shape[-1])


def output_layer_grads(d_o: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """∂L/∂W_hy = Σ_t (∂L/∂o_t) h_tᵀ and ∂L/∂b_y = Σ_t ∂L/∂o_t, summed over the batch.

    The sum over t and the batch is one matrix product over the T·B rows of `rows`.

    Parameters
    ----------
    d_o : numpy.ndarray, shape (T, B, O)
    h : numpy.ndarray, shape (T + 1, B, H)
        Hidden states including h_0.

    Returns
    -------
    dW_hy : numpy.ndarray, shape (O, H)
    db_y : numpy.ndarray, shape (O,)
    """
    return rows(d_o).T @ rows(h[1:]), rows(d_o).sum(axis=0)


def grads_from_deltas(cache: ForwardCache, deltas: np.ndarray, d_o: np.ndarray) -> RNNParams:
    """The five gradients, given δ_t and ∂L/∂o_t for every step.

        ∂L/∂W_xh = Σ_t δ_t x_tᵀ     ∂L/∂W_hh = Σ_t δ_t h_{t-1}ᵀ     ∂L/∂b_h = Σ_t δ_t

    and `output_layer_grads`, each summed over the batch as one matrix product over the
    T·B rows of `rows`.

    Parameters
    ----------
    cache : ForwardCache
        Batched forward pass: ``xs`` (T, B, D), ``h`` (T + 1, B, H).
    deltas : numpy.ndarray, shape (T, B, H)
        Index t − 1 holds δ_t.
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step.

    Returns
    -------
    RNNParams
        ∂L/∂W_xh (H, D), ∂L/∂W_hh (H, H), ∂L/∂W_hy (O, H), ∂L/∂b_h (H,), ∂L/∂b_y (O,).
    """
    dW_hy, db_y = output_layer_grads(d_o, cache.h)
    return RNNParams._of_computed(
        W_xh=rows(deltas).T @ rows(cache.xs),
        W_hh=rows(deltas).T @ rows(cache.h[:-1]),
        W_hy=dW_hy,
        b_h=rows(deltas).sum(axis=0),
        b_y=db_y,
    )


def backward_deltas(
    params: RNNParams, cache: ForwardCache, d_o: np.ndarray, truncate: int | None = None
) -> np.ndarray:
    """δ_t = ∂L/∂z_t for every step, by the backward recursion.

    Full BPTT (``truncate=None``), one O(T) recursion for all outputs at once:

        ∂L/∂h_t = W_hyᵀ ∂L/∂o_t + W_hhᵀ δ_{t+1}     (δ_{T+1} = 0)
        δ_t     = (1 − h_t²) ⊙ ∂L/∂h_t

    Truncated to K steps, the part of δ_k that comes from outputs t with t − K < k ≤ t:

        δ_k = Σ_{t=k}^{min(T, k+K−1)} ∂L_t/∂z_k

    computed for each output t by K steps of the same recursion, started from
    ∂L_t/∂h_t = W_hyᵀ ∂L_t/∂o_t, so it costs O(T K).

    Parameters
    ----------
    params : RNNParams
    cache : ForwardCache
        Batched forward pass: ``h`` (T + 1, B, H).
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step.
    truncate : int, optional
        K >= 1 (checked by the caller); None for full BPTT.

    Returns
    -------
    numpy.ndarray, shape (T, B, H)
        Index t − 1 holds δ_t.
    """
    h = cache.h
    T = cache.n_steps
    deltas = np.zeros_like(h[1:])
    if truncate is None:
        dh_from_next = np.zeros_like(h[0])  # W_hhᵀ δ_{t+1}, zero after the last step
        for t in range(T, 0, -1):
            dh = d_o[t - 1] @ params.W_hy + dh_from_next  # ∂L/∂h_t, (B, H)
            deltas[t - 1] = (1.0 - h[t] ** 2) * dh
            dh_from_next = deltas[t - 1] @ params.W_hh
        return deltas
    for t in range(1, T + 1):
        dh = d_o[t - 1] @ params.W_hy  # ∂L_t/∂h_t, (B, H)
        for k in range(t, max(t - truncate, 0), -1):
            delta = (1.0 - h[k] ** 2) * dh  # ∂L_t/∂z_k, (B, H)
            deltas[k - 1] += delta
            dh = delta @ params.W_hh  # ∂L_t/∂h_{k-1}
    return deltas


def recursive_grads(
    params: RNNParams, cache: ForwardCache, d_o: np.ndarray, truncate: int | None = None
) -> RNNParams:
    """The O(T) backward recursion through δ_t = ∂L/∂z_t (see `backward_deltas`).

    ∂L/∂W_xh = Σ_t δ_t x_tᵀ,  ∂L/∂W_hh = Σ_t δ_t h_{t-1}ᵀ,  ∂L/∂b_h = Σ_t δ_t, summed over
    the batch (`grads_from_deltas`).

    Parameters
    ----------
    params : RNNParams
    cache : ForwardCache
        Batched forward pass: ``xs`` (T, B, D), ``h`` (T + 1, B, H).
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step.
    truncate : int, optional
        K for truncated BPTT (O(T K)); None for full BPTT.

    Returns
    -------
    RNNParams
        The five gradients.
    """
    deltas = backward_deltas(params, cache, d_o, truncate)  # (T, B, H)
    return grads_from_deltas(cache, deltas, d_o)


def immediate_jacobians(cache: ForwardCache, k: int) -> dict[str, np.ndarray]:
    """∂h_k/∂θ with h_{k-1} held fixed, as explicit tensors, for each sequence of a batch.

    With the slope d = 1 − h_k² (so ∂h_k[i]/∂z_k[i] = d[i]) and [i = p] = 1 if i = p, else 0:

    * ∂h_k[i]/∂W_xh[p, q] = [i = p] d[i] x_k[q]       shape (B, H, H, D)
    * ∂h_k[i]/∂W_hh[p, q] = [i = p] d[i] h_{k-1}[q]   shape (B, H, H, H)
    * ∂h_k[i]/∂b_h[p]     = [i = p] d[i]              shape (B, H, H)

    Parameters
    ----------
    cache : ForwardCache
        Batched forward pass.
    k : int
        Step in [1, T].
    """
    d = 1.0 - cache.h[k] ** 2  # (B, H)
    diag_d = d[:, :, None] * np.eye(d.shape[1], dtype=d.dtype)  # (B, H, H)
    return {
        "W_xh": np.einsum("bip,bq->bipq", diag_d, cache.xs[k - 1]),
        "W_hh": np.einsum("bip,bq->bipq", diag_d, cache.h[k - 1]),
        "b_h": diag_d,
    }


def double_sum_grads(
    params: RNNParams, cache: ForwardCache, d_o: np.ndarray, truncate: int | None = None
) -> RNNParams:
    """The literal Σ_t Σ_{k≤t} (∂L_t/∂h_t)(∂h_t/∂h_k)(∂h_k/∂θ) form, O(T²).

    For each t, ∂h_t/∂h_k is built from ∂h_t/∂h_t = I by multiplying one
    `step_jacobian` per step back, so the double sum makes O(T²) Jacobian products.

    Parameters
    ----------
    params : RNNParams
    cache : ForwardCache
        Batched forward pass.
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step.
    truncate : int, optional
        K: keep only the terms t − K < k ≤ t of the inner sum; None keeps all k ≤ t.

    Returns
    -------
    RNNParams
        The five gradients (equal to `recursive_grads` up to rounding).
    """
    T = cache.n_steps
    B, H = cache.h.shape[1:]
    recurrent = {
        "W_xh": np.zeros_like(params.W_xh),
        "W_hh": np.zeros_like(params.W_hh),
        "b_h": np.zeros_like(params.b_h),
    }
    for t in range(1, T + 1):
        dLt_dht = d_o[t - 1] @ params.W_hy  # ∂L_t/∂h_t through o_t only, (B, H)
        dht_dhk = np.broadcast_to(np.eye(H, dtype=params.dtype), (B, H, H))  # k = t
        oldest = 1 if truncate is None else max(t - truncate + 1, 1)
        for k in range(t, oldest - 1, -1):
            row = np.einsum("bi,bij->bj", dLt_dht, dht_dhk)  # ∂L_t/∂h_k, (B, H)
            for name, dhk_dtheta in immediate_jacobians(cache, k).items():
                recurrent[name] += np.einsum("bj,bj...->...", row, dhk_dtheta)
            dht_dhk = dht_dhk @ step_jacobian(params.W_hh, cache.h[k])  # ∂h_t/∂h_{k-1}
    dW_hy, db_y = output_layer_grads(d_o, cache.h)
    return RNNParams._of_computed(
        W_xh=recurrent["W_xh"], W_hh=recurrent["W_hh"], W_hy=dW_hy, b_h=recurrent["b_h"], b_y=db_y
    )


def loss_and_grads(
    params: RNNParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    method: str = "recursive",
    truncate: int | None = None,
) -> tuple[float, RNNParams]:
    """The loss L and its gradient with respect to every parameter.

    Parameters
    ----------
    params : RNNParams
    xs : array_like, shape (T, D) or (T, B, D)
        Inputs; a batch of B sequences when 3-D.
    targets : array_like
        ``"cross_entropy"``: int class ids of shape (T,) or (T, B).
        ``"squared_last"``: shape (O,) or (B, O); a plain number when O == 1.
    loss : {"cross_entropy", "squared_last"}
        L = Σ_t −log softmax(o_t)[y_t], or L = ½‖o_T − y‖²; summed over the batch.
    h0 : array_like, shape (H,) or (B, H), optional
        Initial hidden state; zeros when omitted.
    method : {"recursive", "double_sum"}
        The O(T) recursion or the O(T²) literal double sum; both give the same gradient.
    truncate : int, optional
        K >= 1 for truncated BPTT: the gradient of each L_t flows back through
        h_t … h_{t−K+1} only (the terms t − K < k ≤ t of the double sum). Not the gradient of
        L unless K ≥ T. None (the default) is full BPTT.

    Returns
    -------
    loss : float
    grads : RNNParams
        ∂L/∂W_xh (H, D), ∂L/∂W_hh (H, H), ∂L/∂W_hy (O, H), ∂L/∂b_h (H,), ∂L/∂b_y (O,).
    """
    check_choice(method, "method", METHOD_NAMES)
    if truncate is not None:
        truncate = check_count(truncate, "truncate")
    scored = score(params, xs, targets, loss=loss, h0=h0)
    backward = recursive_grads if method == "recursive" else double_sum_grads
    return scored.loss, backward(params, scored.cache, scored.d_o, truncate)
