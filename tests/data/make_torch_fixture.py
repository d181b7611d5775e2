"""Write tests/data/torch_gated.json: what PyTorch's nn.LSTM and nn.GRU compute on one batch.

Needs torch==2.13.0 (the ``bench`` extra); the tests only read the JSON, so they never need
torch. Run from the repository root:

    .venv/bin/python tests/data/make_torch_fixture.py

Each cell (one layer, float64, T = 4 steps, B = 2 sequences, D = 3, H = 2) feeds a
``nn.Linear(H, O = 3)`` head; the loss is the cross-entropy summed over steps and batch, as
in ``rnn_derivatives``. The file holds the weights, inputs, initial states, targets, the
hidden states, the loss, and the gradients autograd computes for every weight, the inputs and
the initial states.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

T, B, D, H, O = 4, 2, 3, 2, 3
OUT = Path(__file__).with_name("torch_gated.json")


def listed(tensor: torch.Tensor) -> list:
    return tensor.detach().tolist()


def case(cell: nn.Module, with_c0: bool) -> dict:
    head = nn.Linear(H, O).double()
    xs = torch.randn(T, B, D, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, B, H, dtype=torch.float64, requires_grad=True)
    c0 = torch.randn(1, B, H, dtype=torch.float64, requires_grad=True)
    targets = torch.randint(0, O, (T, B))
    hs, _ = cell(xs, (h0, c0) if with_c0 else h0)
    logits = head(hs)  # (T, B, O)
    loss = nn.functional.cross_entropy(logits.reshape(-1, O), targets.reshape(-1), reduction="sum")
    loss.backward()
    weights = dict(cell.named_parameters()) | {"head_weight": head.weight, "head_bias": head.bias}
    out = {
        "weights": {name: listed(w) for name, w in weights.items()},
        "grads": {name: listed(w.grad) for name, w in weights.items()},
        "xs": listed(xs),
        "h0": listed(h0[0]),
        "targets": targets.tolist(),
        "hs": listed(hs),
        "loss": loss.item(),
        "grad_xs": listed(xs.grad),
        "grad_h0": listed(h0.grad[0]),
    }
    if with_c0:
        out["c0"], out["grad_c0"] = listed(c0[0]), listed(c0.grad[0])
    return out


def main() -> None:
    torch.manual_seed(0)
    data = {
        "torch_version": torch.__version__,
        "lstm": case(nn.LSTM(D, H).double(), with_c0=True),
        "gru": case(nn.GRU(D, H).double(), with_c0=False),
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
