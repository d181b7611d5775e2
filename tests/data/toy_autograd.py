"""Write tests/data/toy_autograd.json: PyTorch autograd's gradients of the site's toy network.

Needs torch==2.13.0 (the ``bench`` extra); the site and the tests without torch only read the
JSON. Run from the repository root:

    .venv/bin/python tests/data/toy_autograd.py

The toy (``rnn_derivatives.toy_network()``): h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h) from
h_0 = 0, o_3 = W_hy h_3 + b_y and L = ½ (o_3 − y)², in float64. ``toy_gradients`` is the code
docs/gradient-checking.md shows the reader; tests/test_toy_autograd.py re-runs it when torch
is installed and compares it with the stored JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

OUT = Path(__file__).with_name("toy_autograd.json")


def toy_gradients() -> tuple[float, dict[str, list]]:
    """The toy's loss and the gradient autograd computes for each of its five parameters."""
    f64 = {"dtype": torch.float64}
    W_xh = torch.tensor([[2.0], [1.0]], **f64, requires_grad=True)
    W_hh = torch.tensor([[1.0, 2.0], [3.0, 4.0]], **f64, requires_grad=True)
    W_hy = torch.tensor([[2.0, 4.0]], **f64, requires_grad=True)
    b_h = torch.zeros(2, **f64, requires_grad=True)
    b_y = torch.zeros(1, **f64, requires_grad=True)
    xs = torch.tensor([[0.2], [0.3], [0.4]], **f64)
    y = torch.tensor([7.0], **f64)

    h = torch.zeros(2, **f64)  # h_0
    for x in xs:  # t = 1, 2, 3
        h = torch.tanh(W_xh @ x + W_hh @ h + b_h)
    o = W_hy @ h + b_y  # the last output, o_3
    loss = 0.5 * torch.sum((o - y) ** 2)
    loss.backward()  # autograd: every .grad is ∂L/∂(parameter), in its shape

    params = {"W_xh": W_xh, "W_hh": W_hh, "W_hy": W_hy, "b_h": b_h, "b_y": b_y}
    return loss.item(), {name: p.grad.tolist() for name, p in params.items()}


def main() -> None:
    loss, grads = toy_gradients()
    data = {"torch_version": torch.__version__, "loss": loss, "grads": grads}
    OUT.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
