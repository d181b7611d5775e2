"""LSTM and GRU follow PyTorch: gate order, bias placement, loss and every gradient.

tests/data/torch_gated.json was written by nn.LSTM and nn.GRU (float64, with a nn.Linear
head and summed cross-entropy) by tests/data/make_torch_fixture.py; these tests only read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from package_helpers import full_grads

from rnn_derivatives import GRUParams, LSTMParams, hidden_states

DATA = json.loads((Path(__file__).parent / "data" / "torch_gated.json").read_text())


def lstm_case():
    case = DATA["lstm"]
    w = {k: np.array(v) for k, v in case["weights"].items()}
    params = LSTMParams(
        W_x=w["weight_ih_l0"],
        W_h=w["weight_hh_l0"],
        b=w["bias_ih_l0"] + w["bias_hh_l0"],  # PyTorch's two biases add up to our b
        W_hy=w["head_weight"],
        b_y=w["head_bias"],
    )
    return case, params, {"h0": case["h0"], "c0": case["c0"]}


def gru_case():
    case = DATA["gru"]
    w = {k: np.array(v) for k, v in case["weights"].items()}
    params = GRUParams(
        W_x=w["weight_ih_l0"],
        W_h=w["weight_hh_l0"],
        b_x=w["bias_ih_l0"],
        b_h=w["bias_hh_l0"],
        W_hy=w["head_weight"],
        b_y=w["head_bias"],
    )
    return case, params, {"h0": case["h0"]}


OURS_TO_TORCH = {
    "W_x": ["weight_ih_l0"],
    "W_h": ["weight_hh_l0"],
    "b": ["bias_ih_l0", "bias_hh_l0"],  # ∂L/∂b equals the gradient of either torch bias
    "b_x": ["bias_ih_l0"],
    "b_h": ["bias_hh_l0"],
    "W_hy": ["head_weight"],
    "b_y": ["head_bias"],
}


@pytest.mark.parametrize("make", [lstm_case, gru_case], ids=["lstm", "gru"])
def test_states_loss_and_gradients_equal_pytorch(make):
    case, params, states = make()
    xs = np.array(case["xs"])
    hs = hidden_states(params, xs, **states)
    np.testing.assert_allclose(hs, case["hs"], rtol=1e-12, atol=1e-14)
    loss, grads, sg = full_grads(params, xs, case["targets"], **states)
    assert loss == pytest.approx(case["loss"], rel=1e-13)
    for name, array in grads.items():
        for torch_name in OURS_TO_TORCH[name]:
            expected = case["grads"][torch_name]
            np.testing.assert_allclose(array, expected, rtol=1e-11, atol=1e-14, err_msg=name)
    np.testing.assert_allclose(sg.xs, case["grad_xs"], rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(sg.h0, case["grad_h0"], rtol=1e-11, atol=1e-14)
    if "c0" in states:
        np.testing.assert_allclose(sg.c0, case["grad_c0"], rtol=1e-11, atol=1e-14)


def test_swapping_two_gates_breaks_the_agreement():
    """The check can fail: with the f and i blocks swapped the states differ from PyTorch's."""
    case, params, states = lstm_case()
    H = params.n_hidden
    order = np.r_[H : 2 * H, 0:H, 2 * H : 4 * H]
    swapped = LSTMParams(
        params.W_x[order], params.W_h[order], params.b[order], params.W_hy, params.b_y
    )
    hs = hidden_states(swapped, np.array(case["xs"]), **states)
    assert not np.allclose(hs, case["hs"], rtol=1e-6)
