"""The cliff: the loss along the gradient's direction on a network whose gradient explodes.

A vanilla RNN with one hidden unit, W_hh = 2 (ρ(W_hh) = 2 > 1, so h = 0 is an unstable fixed
point between two attractors near ±0.96), T = 20 steps and two sequences: the first input says
which attractor the final output must be in (+1 or −1), a second input is 1 at step 1 only.
The starting weights put the first sequence's z_1 = −10⁻⁵, just on the wrong side of the
unstable point: |h_t| stays below 0.1 up to t = 14 and then falls to the wrong attractor
(h_17 = −0.56). Its gradient is large because ∂h_T/∂h_1 multiplies the factor 2 many times.

The figure plots L(θ − Δ g/‖g‖) against the distance Δ on a log axis, marks the step of
gradient descent with learning rate η unclipped (length η‖g‖) and with g clipped to norm τ
(length η τ).
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import RNNParams, clip_by_global_norm, global_norm, loss_and_grads, sgd_step

T, OFFSET = 20, 1e-5  # steps, and how far z_1 of the first sequence starts below 0
LR, TAU = 0.01, 1.0  # η and the clipping threshold τ
LENGTHS = np.logspace(-8, 3, 661)  # Δ, the distance moved along −g/‖g‖


def problem() -> tuple[RNNParams, np.ndarray, np.ndarray]:
    """``(params, xs, targets)``: D = 2, H = 1, O = 1; xs (T, 2, 2), targets (2, 1)."""
    xs = np.zeros((T, 2, 2))
    xs[0, :, 0] = (1.0, -1.0)  # the sign to remember
    xs[0, :, 1] = 1.0  # a start signal
    targets = np.array([[1.0], [-1.0]])
    params = RNNParams(
        W_xh=np.array([[0.5, -0.5 - OFFSET]]), W_hh=np.array([[2.0]]), W_hy=np.array([[1.0]])
    )
    return params, xs, targets


def loss_at(params: RNNParams, xs: np.ndarray, targets: np.ndarray) -> float:
    """Half the squared error of the last output, summed over the two sequences."""
    return loss_and_grads(params, xs, targets, loss="squared_last")[0]


@functools.cache
def data() -> dict[str, object]:
    """``lengths`` Δ (661,), ``losses`` L(θ − Δ g/‖g‖) (661,), ``loss`` L(θ), ``norm`` ‖g‖,
    ``steps``: for "unclipped" and "clipped" the step's length and the loss after it."""
    params, xs, targets = problem()
    loss, grads = loss_and_grads(params, xs, targets, loss="squared_last")
    unit = clip_by_global_norm(grads, 1.0)  # g / ‖g‖
    losses = np.array([loss_at(sgd_step(params, unit, s), xs, targets) for s in LENGTHS])
    norm = global_norm(grads)
    steps = {}
    for label, g in (("unclipped", grads), ("clipped", clip_by_global_norm(grads, TAU))):
        steps[label] = (LR * global_norm(g), loss_at(sgd_step(params, g, LR), xs, targets))
    return {"lengths": LENGTHS, "losses": losses, "loss": loss, "norm": norm, "steps": steps}


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(5.0, 4.2), layout="constrained")
    ax = fig.add_subplot()
    curve = "$L(\\theta - \\Delta\\,g/\\|g\\|)$"
    ax.semilogx(d["lengths"], d["losses"], linewidth=2.2, label=curve)
    ax.axhline(d["loss"], color="C2", linestyle=":", linewidth=1.6, label="$L(\\theta)$")
    marks = {
        "unclipped": ("C3", "o", "unclipped"),
        "clipped": ("C1", "s", "clipped"),
    }
    for label, (length, after) in d["steps"].items():
        colour, marker, text = marks[label]
        ax.plot(
            [length],
            [after],
            marker=marker,
            color=colour,
            markersize=11,
            linestyle="none",
            label=f"{text}: $\\Delta = {length:.3g}$",
        )
    ax.set_xlim(d["lengths"][0], d["lengths"][-1])
    ax.set_ylim(-0.1, 2.4)
    ax.set_xlabel("distance $\\Delta$ along $-g / \\|g\\|$", fontsize=14)
    ax.set_ylabel("loss", fontsize=14)
    ax.tick_params(labelsize=13)
    ax.legend(loc="center left", bbox_to_anchor=(0.28, 0.55), fontsize=13, handlelength=1.5)
    return fig
