"""The PyTorch contenders: the package's RNN and loss, with gradients from autograd.

Both compute, for inputs ``xs`` (T, B, D) and class ids ``ids`` (T, B), with h_0 = 0,

    z_t = x_t W_xhᵀ + h_{t-1} W_hhᵀ + b_h,   h_t = tanh(z_t),   o_t = h_t W_hyᵀ + b_y
    L = Σ_t Σ_b −log softmax(o_t)[y_t]

(the package's ``loss="cross_entropy"``), then ``L.backward()``. `TorchRNN` uses
``torch.nn.RNN`` + ``torch.nn.Linear``; `TorchLoop` is the step-by-step loop of
the package's forward pass (`rnn_derivatives.forward`) written with torch tensors.
"""

from __future__ import annotations

import numpy as np
import torch

from rnn_derivatives import RNNParams

TORCH_DTYPES = {np.dtype(np.float64): torch.float64, np.dtype(np.float32): torch.float32}


def tensor(value: np.ndarray, *, grad: bool = False) -> torch.Tensor:
    """A torch copy of a NumPy array (the package's arrays are read-only)."""
    return torch.tensor(np.array(value), requires_grad=grad)


def summed_cross_entropy(o: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
    """L = Σ −log softmax(o)[y] over every step and sequence; o (T, B, O), ids (T, B)."""
    return torch.nn.functional.cross_entropy(
        o.reshape(-1, o.shape[-1]), ids.reshape(-1), reduction="sum"
    )


class TorchRNN:
    """``nn.RNN`` (tanh, one layer) + ``nn.Linear`` holding the weights of ``params``.

    ``nn.RNN`` has two hidden biases, b_ih and b_hh, that enter z_t only through their sum;
    b_ih = b_h and b_hh = 0 make it the package's model, and ∂L/∂b_ih = ∂L/∂b_h.
    """

    def __init__(self, params: RNNParams, xs: np.ndarray, ids: np.ndarray) -> None:
        dtype = TORCH_DTYPES[params.dtype]
        D, H, O = params.n_in, params.n_hidden, params.n_out
        self.rnn = torch.nn.RNN(D, H, nonlinearity="tanh", dtype=dtype)
        self.linear = torch.nn.Linear(H, O, dtype=dtype)
        with torch.no_grad():
            self.rnn.weight_ih_l0.copy_(tensor(params.W_xh))
            self.rnn.weight_hh_l0.copy_(tensor(params.W_hh))
            self.rnn.bias_ih_l0.copy_(tensor(params.b_h))
            self.rnn.bias_hh_l0.zero_()
            self.linear.weight.copy_(tensor(params.W_hy))
            self.linear.bias.copy_(tensor(params.b_y))
        self.xs, self.ids = tensor(xs), torch.tensor(ids)

    def __call__(self) -> float:
        """One forward and backward pass; the gradients are left in ``.grad``."""
        for p in (*self.rnn.parameters(), *self.linear.parameters()):
            p.grad = None
        hs, _ = self.rnn(self.xs)  # h_1 … h_T, (T, B, H)
        loss = summed_cross_entropy(self.linear(hs), self.ids)
        loss.backward()
        return loss.item()

    def grads(self) -> RNNParams:
        """The five gradients of the last call, as NumPy arrays."""
        rnn, linear = self.rnn, self.linear
        return RNNParams(
            W_xh=rnn.weight_ih_l0.grad.numpy(),
            W_hh=rnn.weight_hh_l0.grad.numpy(),
            W_hy=linear.weight.grad.numpy(),
            b_h=rnn.bias_ih_l0.grad.numpy(),
            b_y=linear.bias.grad.numpy(),
        )


class TorchLoop:
    """The forward recursion written out step by step with torch tensors."""

    def __init__(self, params: RNNParams, xs: np.ndarray, ids: np.ndarray) -> None:
        self.params = {name: tensor(value, grad=True) for name, value in params.items()}
        self.xs, self.ids = tensor(xs), torch.tensor(ids)

    def __call__(self) -> float:
        """One forward and backward pass; the gradients are left in ``.grad``."""
        p = self.params
        for value in p.values():
            value.grad = None
        h = torch.zeros(self.xs.shape[1], p["W_hh"].shape[0], dtype=p["W_hh"].dtype)
        hs = []
        for x_t in self.xs:
            h = torch.tanh(x_t @ p["W_xh"].T + h @ p["W_hh"].T + p["b_h"])
            hs.append(h)
        o = torch.stack(hs) @ p["W_hy"].T + p["b_y"]
        loss = summed_cross_entropy(o, self.ids)
        loss.backward()
        return loss.item()

    def grads(self) -> RNNParams:
        """The five gradients of the last call, as NumPy arrays."""
        return RNNParams(**{name: value.grad.numpy() for name, value in self.params.items()})
