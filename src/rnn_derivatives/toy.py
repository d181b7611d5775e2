"""The example networks the site works: two 2-unit toys by hand, and a scaled random RNN.

`toy_network` is the seed's regression example: in the seed's notation W = W_xh (2, 1),
U = W_hh (2, 2), w = W_hy (1, 2), no biases, three scalar inputs and one scalar target scored
with L = ½(ŷ − y)², where ŷ = o_3 = w h_3.

`toy_classifier` uses every term of the backward pass: biases, a cross-entropy loss
L_t = −log ŷ_{t, c_t} at every step and hidden states well inside (−1, 1), so both roads into
h_t, through o_t and through h_{t+1}, carry a gradient.

`scaled_network` is a random RNN whose recurrent weights have one chosen scale, for the pages
on vanishing and exploding gradients and on truncation.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives.cells.rnn import RNNParams
from rnn_derivatives.validation import check_count, check_positive


def toy_network() -> tuple[RNNParams, np.ndarray, float]:
    """The worked example: parameters, inputs and target.

    Returns
    -------
    params : RNNParams
        W_xh = [[2], [1]], W_hh = [[1, 2], [3, 4]], W_hy = [[2, 4]], zero biases.
    xs : numpy.ndarray, shape (3, 1)
        x_1 = 0.2, x_2 = 0.3, x_3 = 0.4.
    y : float
        The target 7.0, for ``loss="squared_last"``.
    """
    params = RNNParams(
        W_xh=[[2.0], [1.0]],
        W_hh=[[1.0, 2.0], [3.0, 4.0]],
        W_hy=[[2.0, 4.0]],
    )
    return params, np.array([[0.2], [0.3], [0.4]]), 7.0


def toy_classifier() -> tuple[RNNParams, np.ndarray, np.ndarray]:
    """The worked classifier: parameters, inputs and one class index per step.

    D = 1 input, H = 2 hidden units, O = 2 classes, T = 3 steps, scored with the default
    ``loss="cross_entropy"``: L = Σ_t −log ŷ_{t, c_t} with ŷ_t = softmax(o_t).

    Returns
    -------
    params : RNNParams
        W_xh = [[0.6], [-0.4]] (2, 1), W_hh = [[0.5, -0.3], [0.2, 0.4]] (2, 2),
        b_h = [0.1, -0.1] (2,), W_hy = [[1.0, -0.5], [-0.6, 0.8]] (2, 2), b_y = [0.2, -0.2] (2,).
    xs : numpy.ndarray, shape (3, 1)
        x_1 = 1.0, x_2 = -0.5, x_3 = 0.8.
    classes : numpy.ndarray of int, shape (3,)
        c_1 = 0, c_2 = 1, c_3 = 1: the class to predict at each step.
    """
    params = RNNParams(
        W_xh=[[0.6], [-0.4]],
        W_hh=[[0.5, -0.3], [0.2, 0.4]],
        W_hy=[[1.0, -0.5], [-0.6, 0.8]],
        b_h=[0.1, -0.1],
        b_y=[0.2, -0.2],
    )
    return params, np.array([[1.0], [-0.5], [0.8]]), np.array([0, 1, 1])


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
