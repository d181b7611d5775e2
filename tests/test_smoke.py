"""First checks of the package; the full suite lives beside this file."""

import numpy as np

from rnn_derivatives import forward, toy_network


def test_toy_forward_matches_the_worked_example():
    params, xs, _ = toy_network()
    cache = forward(params, xs)
    np.testing.assert_allclose(cache.h[3], [0.9986059, 0.99999815], atol=5e-9)
    np.testing.assert_allclose(cache.o[-1], [5.99720442], atol=5e-9)
