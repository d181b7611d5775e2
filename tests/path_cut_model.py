"""A path-cut model, written independently of the package's cells, for `path_grads`' tests.

The same forward pass as the LSTM's or the GRU's, except that at a step whose route is cut the
cut input is a constant copy of its value at the point of evaluation (a stop-gradient). Its
central differences are the gradient along the kept paths only.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives import GRUParams, LSTMParams

ROUTES = {LSTMParams: ("W_h", "cell"), GRUParams: ("W_h", "skip")}


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def lstm_step(p, x, h_gates, c_cell):
    """h_gates feeds a_t (the W_h route), c_cell feeds c_t = f ⊙ c_cell + i ⊙ g."""
    i, f, g, o = np.split(x @ p.W_x.T + h_gates @ p.W_h.T + p.b, 4, axis=1)
    c = sigma(f) * c_cell + sigma(i) * np.tanh(g)
    return sigma(o) * np.tanh(c), c


def gru_step(p, x, h_gates, h_skip):
    """h_gates feeds u_t = W_h h + b_h (the W_h route), h_skip the z ⊙ h term (the skip)."""
    a_r, a_z, a_n = np.split(x @ p.W_x.T + p.b_x, 3, axis=1)
    u_r, u_z, u_n = np.split(h_gates @ p.W_h.T + p.b_h, 3, axis=1)
    r, z = sigma(a_r + u_r), sigma(a_z + u_z)
    n = np.tanh(a_n + r * u_n)
    return (1.0 - z) * n + z * h_skip


def states(p, xs, h0, c0, keep, frozen=None, offset=None):
    """h_0 … h_T (and c_0 … c_T) of the path-cut model.

    ``frozen`` holds the states of the point of evaluation, used as the constant copies where
    ``keep[t - 1]`` lacks a route; ``offset`` = (k, e) adds e to h_k (to differentiate by h_k).
    """
    hs, cs = [h0], [c0]
    for t, x in enumerate(xs, start=1):
        live = {"W_h": hs[-1], "cell": cs[-1], "skip": hs[-1]}
        inputs = {
            name: live[name] if frozen is None or name in keep[t - 1] else frozen[name][t - 1]
            for name in ROUTES[type(p)]
        }
        if isinstance(p, LSTMParams):
            h, c = lstm_step(p, x, inputs["W_h"], inputs["cell"])
            cs.append(c)
        else:
            h = gru_step(p, x, inputs["W_h"], inputs["skip"])
        if offset is not None and offset[0] == t:
            h = h + offset[1]
        hs.append(h)
    return np.array(hs), np.array(cs)
