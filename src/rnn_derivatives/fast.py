"""The vanilla RNN's full BPTT with fewer, larger NumPy calls: the engine's numbers, faster.

The one other engine of the package, for the performance page. The equations are those of
`rnn_derivatives.cells.rnn` run over time (δ_t = ∂L/∂z_t, rows are sequences):

    z_t = x_t W_xhᵀ + h_{t-1} W_hhᵀ + b_h       h_t = tanh(z_t)       o_t = h_t W_hyᵀ + b_y
    ∂L/∂h_t = (∂L/∂o_t) W_hy + δ_{t+1} W_hh     δ_t = (1 − h_t²) ⊙ ∂L/∂h_t

Only the two products with W_hh must wait for the previous step. Everything else is done for
all T steps at once, as one matrix product over the T·B rows of a ``(T·B, ·)`` view:

* forward: x_t W_xhᵀ + b_h for every t before the loop, h_t W_hyᵀ + b_y after it;
* backward: (∂L/∂o_t) W_hy for every t before the loop, then ∂L/∂W_xh = Σ_t δ_tᵀ x_t,
  ∂L/∂W_hh = Σ_t δ_tᵀ h_{t-1} and ∂L/∂W_hy = Σ_t (∂L/∂o_t)ᵀ h_t each as one product with
  T·B terms in its inner sum.

Each step writes into arrays allocated once (``out=``); a `Workspace` keeps them from one call
to the next. In float64, tanh(z) is evaluated as 1 − 2 / (e^{2z} + 1), which NumPy computes
about twice as fast as ``np.tanh``. ``tests/test_fast.py`` checks every result against
`rnn_derivatives.loss_and_grads` and against central differences.
"""

from __future__ import annotations

import numpy as np

from rnn_derivatives.cells.rnn import RNNParams
from rnn_derivatives.losses import LOSSES
from rnn_derivatives.params import check_kind
from rnn_derivatives.sequence import (
    batch_inputs,
    initial_states,
    output_layer_grads,
    prepare_targets,
    rows,
)
from rnn_derivatives.validation import check_choice


class Workspace:
    """Arrays that the fast forward and backward passes reuse from one call to the next.

    A new array costs one page fault per 4 KiB page the first time it is written (several
    microseconds each on a virtual machine), so a training loop that calls
    [`fast_loss_and_grads`][rnn_derivatives.fast_loss_and_grads] for batch after batch of the
    same shape runs faster with one workspace. Each call overwrites what the previous one left
    there; use one workspace per thread.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        """An uninitialized array of ``shape`` and ``dtype``: the same one for the same name
        as long as the shape and dtype stay the same."""
        arr = self._arrays.get(name)
        if arr is None or arr.shape != shape or arr.dtype != dtype:
            arr = self._arrays[name] = np.empty(shape, dtype)
        return arr


def tanh_into(z: np.ndarray, out: np.ndarray) -> None:
    """Write tanh(z) into ``out`` (same shape as ``z``).

    float64: tanh(z) = 1 − 2 / (e^{2z} + 1), with an absolute error below 4e-16. For
    z > 354, e^{2z} overflows to inf and the formula gives exactly 1, the correctly rounded
    tanh: call it inside ``np.errstate(over="ignore")``. float32 uses ``np.tanh``, which NumPy
    already vectorizes.
    """
    if z.dtype != np.float64:
        np.tanh(z, out=out)
        return
    np.multiply(z, 2.0, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.divide(2.0, out, out=out)
    np.subtract(1.0, out, out=out)


def fast_forward(
    params: RNNParams, xs: np.ndarray, h0: np.ndarray, workspace: Workspace | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The vanilla RNN's forward pass, with batched input products.

    Parameters
    ----------
    params : RNNParams
    xs : numpy.ndarray, shape (T, B, D)
        Checked inputs of the dtype of ``params``.
    h0 : numpy.ndarray, shape (B, H)
    workspace : Workspace, optional
        Where to put ``z``, ``h`` and ``o`` (overwritten by the next call that uses it);
        new arrays when omitted.

    Returns
    -------
    h : numpy.ndarray, shape (T + 1, B, H)
        h_0 … h_T.
    o : numpy.ndarray, shape (T, B, O)
    """
    T, B, _ = xs.shape
    H, O = params.n_hidden, params.n_out
    ws = Workspace() if workspace is None else workspace
    z = ws.array("z", (T, B, H), params.dtype)
    h = ws.array("h", (T + 1, B, H), params.dtype)
    o = ws.array("o", (T, B, O), params.dtype)
    recurrent = ws.array("recurrent", (B, H), params.dtype)  # h_{t-1} W_hhᵀ, every step
    np.matmul(rows(xs), params.W_xh.T, out=rows(z))  # every t at once
    z += params.b_h
    h[0] = h0
    with np.errstate(over="ignore"):  # see tanh_into
        for t in range(1, T + 1):
            np.matmul(h[t - 1], params.W_hh.T, out=recurrent)
            z[t - 1] += recurrent
            tanh_into(z[t - 1], h[t])
    np.matmul(rows(h[1:]), params.W_hy.T, out=rows(o))  # every t
    o += params.b_y
    return h, o


def fast_grads(
    params: RNNParams,
    xs: np.ndarray,
    h: np.ndarray,
    d_o: np.ndarray,
    workspace: Workspace | None = None,
) -> RNNParams:
    """The five gradients of full BPTT, as `rnn_derivatives.loss_and_grads` computes them.

    Parameters
    ----------
    params : RNNParams
    xs : numpy.ndarray, shape (T, B, D)
    h : numpy.ndarray, shape (T + 1, B, H)
        h_0 … h_T of `fast_forward`.
    d_o : numpy.ndarray, shape (T, B, O)
        ∂L/∂o_t for every step.
    workspace : Workspace, optional
        Where to keep δ_t and 1 − h_t² between calls; new arrays when omitted.

    Returns
    -------
    RNNParams
        ∂L/∂W_xh (H, D), ∂L/∂W_hh (H, H), ∂L/∂W_hy (O, H), ∂L/∂b_h (H,), ∂L/∂b_y (O,):
        new arrays, whatever the workspace.
    """
    T, B, H = h[1:].shape
    ws = Workspace() if workspace is None else workspace
    deltas = ws.array("deltas", (T, B, H), params.dtype)
    slopes = ws.array("slopes", (T, B, H), params.dtype)
    from_next = ws.array("from_next", (B, H), params.dtype)  # δ_{t+1} W_hh, every step
    np.matmul(rows(d_o), params.W_hy, out=rows(deltas))  # (∂L/∂o_t) W_hy, every t at once
    np.square(h[1:], out=slopes)
    np.subtract(1.0, slopes, out=slopes)  # 1 − h_t², every t at once
    for t in range(T, 1, -1):  # deltas[t - 1] holds ∂L/∂h_t here, δ_t after the next line
        deltas[t - 1] *= slopes[t - 1]
        np.matmul(deltas[t - 1], params.W_hh, out=from_next)
        deltas[t - 2] += from_next
    deltas[0] *= slopes[0]  # δ_1
    # ∂L/∂W_xh = Σ_t δ_t x_tᵀ, ∂L/∂W_hh = Σ_t δ_t h_{t-1}ᵀ, ∂L/∂b_h = Σ_t δ_t: one product each
    return RNNParams._of_computed(
        W_xh=rows(deltas).T @ rows(xs),
        W_hh=rows(deltas).T @ rows(h[:-1]),
        b_h=rows(deltas).sum(axis=0),
        **output_layer_grads(d_o, h),
    )


def fast_loss_and_grads(
    params: RNNParams,
    xs: object,
    targets: object,
    *,
    loss: str = "cross_entropy",
    h0: object = None,
    workspace: Workspace | None = None,
) -> tuple[float, RNNParams]:
    """[`loss_and_grads`][rnn_derivatives.loss_and_grads] of a vanilla RNN, by `fast_forward`
    and `fast_grads`.

    Takes the same arguments, checks them the same way and returns the same loss and
    gradients up to rounding. Full BPTT only (no ``truncate`` or ``chunk``).

    Parameters
    ----------
    params : RNNParams
        float64, or float32 for a float32 computation (see `RNNParams.astype`).
    xs : array_like, shape (T, D) or (T, B, D)
    targets : array_like
        Class ids of shape (T,) or (T, B) for ``"cross_entropy"``; shape (O,) or (B, O) for
        ``"squared_last"``.
    loss : {"cross_entropy", "squared_last"}
    h0 : array_like, shape (H,) or (B, H), optional
    workspace : Workspace, optional
        Arrays to reuse for the forward and backward passes: pass the same one on every call
        of a training loop. The results never share memory with it.

    Returns
    -------
    loss : float
    grads : RNNParams
        The five gradients, in the dtype of ``params``.
    """
    check_kind(params, RNNParams)
    check_choice(loss, "loss", tuple(LOSSES))
    xs_b, batched = batch_inputs(params, xs)
    T, B, _ = xs_b.shape
    y = prepare_targets(loss, targets, T, B, params.n_out, batched)
    (h0_b,) = initial_states(params, h0, None, B, batched)
    ws = Workspace() if workspace is None else workspace
    h, o = fast_forward(params, xs_b, h0_b, ws)
    value, d_o = LOSSES[loss](o, y)
    return value, fast_grads(params, xs_b, h, d_o, ws)
