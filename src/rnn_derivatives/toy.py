"""The 2-unit toy network the site works by hand.

In the toy's notation W = W_xh (2, 1), U = W_hh (2, 2), w = W_hy (1, 2), no biases, three
scalar inputs and one scalar target scored with L = ½(ŷ − y)², where ŷ = o_3 = w h_3.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives.model import RNNParams


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
