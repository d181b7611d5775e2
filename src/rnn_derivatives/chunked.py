"""Chunked truncated BPTT: carry h forward across chunks, stop the gradient at their boundaries.

The sequence is cut into chunks of K steps (the last may be shorter). Each chunk runs forward
from the last hidden state of the previous chunk, so the loss is exactly L = Σ_t L_t, but that
state enters the chunk as a constant: no gradient flows into an earlier chunk. For output t in
the chunk that starts at step s_t, only the terms s_t ≤ k ≤ t of the double sum remain:

    g = Σ_t Σ_{k=s_t}^{t} (∂L_t/∂h_t) (∂h_t/∂h_k) (∂h_k/∂θ)

so the first output of a chunk gets one term and its last gets K. Compare ``truncate=K`` in
`rnn_derivatives.loss_and_grads`, which gives every output its last K terms. Only a
cross-entropy loss (a target at every step) is scored per chunk.
"""

from __future__ import annotations

from rnn_derivatives.bptt import recursive_grads
from rnn_derivatives.losses import prepare_targets, score
from rnn_derivatives.model import PARAM_NAMES, RNNParams, prepare_inputs
from rnn_derivatives.validation import check_count


def chunked_loss_and_grads(
    params: RNNParams, xs: object, targets: object, *, chunk: int, h0: object = None
) -> tuple[float, RNNParams]:
    """L = Σ_t −log softmax(o_t)[y_t] and its gradient truncated at chunk boundaries.

    Parameters
    ----------
    params : RNNParams
    xs : array_like, shape (T, D) or (T, B, D)
    targets : array_like of int, shape (T,) or (T, B)
        Class ids y_t in [0, O).
    chunk : int
        K >= 1 steps per chunk; K ≥ T gives the full gradient.
    h0 : array_like, shape (H,) or (B, H), optional
        Initial hidden state; zeros when omitted.

    Returns
    -------
    loss : float
        L, the same value as ``loss_and_grads`` returns.
    grads : RNNParams
        The sum over chunks of each chunk's gradient with its initial state held fixed:
        ∂L/∂W_xh (H, D), ∂L/∂W_hh (H, H), ∂L/∂W_hy (O, H), ∂L/∂b_h (H,), ∂L/∂b_y (O,).
    """
    K = check_count(chunk, "chunk")
    xs_b, h, batched = prepare_inputs(params, xs, h0)  # (T, B, D), (B, H)
    T, B, _ = xs_b.shape
    ids = prepare_targets("cross_entropy", targets, T, B, params.n_out, batched)  # (T, B)
    loss, parts = 0.0, []
    for start in range(0, T, K):
        scored = score(params, xs_b[start : start + K], ids[start : start + K], h0=h)
        loss += scored.loss
        parts.append(recursive_grads(params, scored.cache, scored.d_o))
        h = scored.cache.h[-1]  # carried into the next chunk as a constant: the gradient stops
    grads = RNNParams._of_computed(
        **{name: sum(getattr(p, name) for p in parts) for name in PARAM_NAMES}
    )
    return loss, grads
