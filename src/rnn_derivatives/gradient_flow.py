"""How far back the gradient reaches: Jacobian norms, their bound, and per-step gradient terms.

Going back from h_t to h_k multiplies one step Jacobian per step (newest on the left):

    ∂h_t/∂h_k = Π_{j=t}^{k+1} diag(1 − h_j²) W_hh                       (H, H)
    ‖∂h_t/∂h_k‖₂ ≤ Π_j ‖diag(1 − h_j²)‖₂ ‖W_hh‖₂ ≤ (γ ‖W_hh‖₂)^{t−k}

with γ = max |tanh′| = 1 (Pascanu, Mikolov and Bengio, 2013). So ‖W_hh‖₂ < 1 (its largest
singular value) is enough for the norm to vanish geometrically in t − k. The spectral
radius ρ(W_hh) = max |λ_i| governs the long-run rate ‖W_hhⁿ‖^{1/n} → ρ of the linear part,
but ρ ≤ ‖W_hh‖₂, and a non-normal W_hh can have ρ < 1 < ‖W_hh‖₂: its products first grow,
then decay.

The recurrent gradient is a sum of one term per step, ∂L/∂W_hh = Σ_k δ_k h_{k−1}ᵀ; with a loss
on the last output only (``loss="squared_last"``) term k carries ∂h_T/∂h_k, so its size
follows the Jacobian norm above.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives.bptt import backward_deltas, check_sequence_step, jacobian_chain
from rnn_derivatives.losses import score
from rnn_derivatives.model import ForwardCache, RNNParams
from rnn_derivatives.validation import as_float_array, check_count, check_positive


def scaled_network(
    scale: float, *, n_hidden: int = 16, n_steps: int = 40, seed: int = 0
) -> tuple[RNNParams, np.ndarray]:
    """A random RNN with W_hh = s Q, Q orthogonal, so that ρ(W_hh) = ‖W_hh‖₂ = s.

    Parameters
    ----------
    scale : float
        s > 0.
    n_hidden, n_steps : int
        H and T (>= 1).
    seed : int
        The same seed gives the same Q, W_xh, W_hy and inputs for every ``scale``.

    Returns
    -------
    params : RNNParams
        D = 4, O = 3: W_xh (H, 4) and W_hy (3, H) drawn from N(0, 0.5²), W_hh (H, H) = s Q,
        zero biases.
    xs : numpy.ndarray, shape (T, 4)
        Inputs drawn from N(0, 1).
    """
    s = check_positive(scale, "scale")
    H, T = check_count(n_hidden, "n_hidden"), check_count(n_steps, "n_steps")
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(H, H)))
    params = RNNParams(
        W_xh=rng.normal(0.0, 0.5, (H, 4)), W_hh=s * Q, W_hy=rng.normal(0.0, 0.5, (3, H))
    )
    return params, rng.normal(size=(T, 4))


def jacobian_norms(params: RNNParams, cache: ForwardCache, t: int) -> np.ndarray:
    """‖∂h_t/∂h_{t−ℓ}‖₂ (largest singular value) for every lag ℓ = 0 … t.

    Parameters
    ----------
    params : RNNParams
    cache : ForwardCache
        An unbatched forward pass (``forward(params, xs)`` with ``xs`` of shape (T, D)).
    t : int
        The later step, in [0, T].

    Returns
    -------
    numpy.ndarray, shape (t + 1,)
        Entry ℓ is the spectral norm of `rnn_derivatives.hidden_jacobian`
        ``(params, cache, t, t − ℓ)``; entry 0 is ‖I‖₂ = 1. The products are built once,
        one factor per lag (`rnn_derivatives.bptt.jacobian_chain`).
    """
    t = check_sequence_step(params, cache, t)
    return np.array([np.linalg.norm(jac, 2) for jac in jacobian_chain(params, cache, t)])


def spectral_radius(W_hh: object) -> float:
    """ρ(W_hh) = max_i |λ_i|, the largest eigenvalue modulus.

    Parameters
    ----------
    W_hh : array_like, shape (H, H)

    Returns
    -------
    float
    """
    W = as_float_array(W_hh, "W_hh", ("H", "H"))
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def largest_singular_value(W_hh: object) -> float:
    """‖W_hh‖₂ = max_{‖v‖=1} ‖W_hh v‖, the largest singular value: ‖∂h_t/∂h_k‖₂ ≤ ‖W_hh‖₂ᵗ⁻ᵏ.

    Parameters
    ----------
    W_hh : array_like, shape (H, H)

    Returns
    -------
    float
        Always ≥ `spectral_radius` of the same matrix.
    """
    W = as_float_array(W_hh, "W_hh", ("H", "H"))
    return float(np.linalg.norm(W, 2))


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
        As for `rnn_derivatives.loss_and_grads`.

    Returns
    -------
    numpy.ndarray, shape (T, H, H)
        Index k − 1 holds δ_k h_{k−1}ᵀ, the part of the gradient that W_hh receives at
        step k; the terms sum to ``loss_and_grads(...)[1].W_hh``.
    """
    scored = score(params, xs, targets, loss=loss, h0=h0)
    deltas = backward_deltas(params, scored.cache, scored.d_o)  # (T, B, H)
    return np.einsum("tbh,tbj->thj", deltas, scored.cache.h[:-1])
