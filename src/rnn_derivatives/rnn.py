"""The vanilla tanh cell as one step and its backward, for the shared sequence driver.

Rows are the sequences of a batch (x has shape (B, D)); in the site's column notation:

    z_t = W_xh x_t + W_hh h_{t-1} + b_h        h_t = tanh(z_t)

Backward, given ∂L/∂h_t (everything that reaches h_t: its output and the next step):

    δ_t = (1 − h_t²) ⊙ ∂L/∂h_t
    ∂L/∂x_t = W_xhᵀ δ_t      ∂L/∂h_{t-1} = W_hhᵀ δ_t
    ∂L/∂W_xh += δ_t x_tᵀ     ∂L/∂W_hh += δ_t h_{t-1}ᵀ     ∂L/∂b_h += δ_t

`rnn_derivatives.bptt` computes the same gradients for the whole sequence at once; this step
form is what `rnn_derivatives.state_grads` and stacked layers use.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives.model import RNNParams

#: A step's cache: x_t (B, D), h_{t-1} (B, H), h_t (B, H).
Cache = tuple[np.ndarray, np.ndarray, np.ndarray]


def step_forward(
    params: RNNParams, x: np.ndarray, state: tuple[np.ndarray]
) -> tuple[tuple[np.ndarray], Cache]:
    """h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h).

    Parameters
    ----------
    params : RNNParams
    x : numpy.ndarray, shape (B, D)
    state : (h_{t-1},), shape (B, H)

    Returns
    -------
    state : (h_t,), shape (B, H)
    cache : (x_t, h_{t-1}, h_t)
    """
    (h_prev,) = state
    h = np.tanh(x @ params.W_xh.T + h_prev @ params.W_hh.T + params.b_h)
    return (h,), (x, h_prev, h)


def step_backward(
    params: RNNParams, d_state: tuple[np.ndarray], cache: Cache
) -> tuple[np.ndarray, tuple[np.ndarray], dict[str, np.ndarray]]:
    """From ∂L/∂h_t to ∂L/∂x_t, ∂L/∂h_{t-1} and this step's share of the gradients.

    ``d_state`` is (∂L/∂h_t,) of shape (B, H); returns ∂L/∂x_t (B, D), (∂L/∂h_{t-1},) (B, H)
    and the terms ``W_xh`` (H, D), ``W_hh`` (H, H), ``b_h`` (H,), summed over the batch.
    """
    x, h_prev, h = cache
    delta = (1.0 - h**2) * d_state[0]  # δ_t = ∂L/∂z_t
    grads = {"W_xh": delta.T @ x, "W_hh": delta.T @ h_prev, "b_h": delta.sum(axis=0)}
    return delta @ params.W_xh, (delta @ params.W_hh,), grads
