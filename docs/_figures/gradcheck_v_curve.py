"""The relative error of the central difference against its step ε, in float64 and float32.

The model and batch are those of the gradient-checking page (D = 3, H = 6, O = 4, T = 12,
B = 5, cross-entropy). The reference is the float64 analytic gradient; only the forward passes
of ``numerical_grads`` run in float32 for the float32 curve (``params.astype(np.float32)``).
Truncation error falls as ε² to the right of each minimum, rounding error grows as 1/ε to its
left, until in float32 every difference is zero and the error is exactly 1.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import RNNParams, loss_and_grads, numerical_grads, relative_error

D, H, O, T, B = 3, 6, 4, 12, 5
EXPONENTS = np.arange(-1.0, -12.25, -0.25)  # ε = 10^-1 … 10^-12, four steps a decade


def problem() -> tuple[RNNParams, np.ndarray, np.ndarray]:
    """The page's model, inputs xs (T, B, D) and class targets (T, B)."""
    params = RNNParams.random(D, H, O, seed=3, scale=0.5)
    rng = np.random.default_rng(4)
    xs = rng.normal(size=(T, B, D))
    targets = rng.integers(0, O, size=(T, B))
    return params, xs, targets


def central_errors(dtype: type, eps: np.ndarray) -> np.ndarray:
    """Relative error of ``numerical_grads`` run in ``dtype`` at each step, vs the analytic
    float64 gradient."""
    params, xs, targets = problem()
    _, grads = loss_and_grads(params, xs, targets)
    model = params.astype(dtype)
    return np.array(
        [relative_error(numerical_grads(model, xs, targets, eps=e), grads) for e in eps]
    )


def data() -> dict[str, np.ndarray]:
    """``eps`` (45 steps from 10⁻¹ down to 10⁻¹²) and the relative errors ``float64`` and
    ``float32`` at each."""
    eps = 10.0**EXPONENTS
    return {
        "eps": eps,
        "float64": central_errors(np.float64, eps),
        "float32": central_errors(np.float32, eps),
    }


def figure() -> Figure:
    d = data()
    eps = d["eps"]
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")  # room for the legend below
    ax = fig.add_subplot()
    for name, marker in (("float64", "o"), ("float32", "s")):
        (line,) = ax.loglog(eps, d[name], marker=marker, markersize=3, label=name)
        best = int(np.argmin(d[name]))
        ax.plot(
            eps[best],
            d[name][best],
            marker=marker,
            markersize=9,
            fillstyle="none",
            color=line.get_color(),
        )
    right, left = eps >= 1e-4, eps <= 1e-7  # guides through float64's two arms
    ax.loglog(
        eps[right],
        d["float64"][0] * (eps[right] / eps[0]) ** 2,
        "k--",
        linewidth=0.8,
        label=r"$\propto \varepsilon^2$ (truncation)",
    )
    ax.loglog(
        eps[left],
        d["float64"][-1] * eps[-1] / eps[left],
        "k:",
        linewidth=1.0,
        label=r"$\propto 1/\varepsilon$ (rounding)",
    )
    ax.set_xlabel(r"step $\varepsilon$")
    ax.set_ylabel("relative error")
    ax.set_title("central difference vs the float64 analytic gradient", fontsize=11)
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)  # below: covers no data
    return fig
