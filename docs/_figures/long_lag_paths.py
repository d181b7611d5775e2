"""Which paths carry the answer's gradient back: the LSTM and the GRU with routes cut.

The networks and batch of ``long_lag_gradients.py`` (from ``_long_lag_nets.py``; recall task,
delay 40, T = 41, at initialization): the LSTM with b_f = 1 and the GRU. For each, the mean
over the batch of ‖∂L_T/∂h_k‖ against T − k, from `path_grads`:

* ``full``: every path (the curve of ``long_lag_gradients.py``);
* ``cell`` (LSTM): the pure cell path, c_T → c_{T−1} → … → c_{k+1} through diag(f_t) only,
  then step k + 1's W_h into h_k (the cell path alone never reaches an h);
* ``skip`` (GRU): the pure skip, diag(z_t) at every step;
* ``W_h``: the paths that never use the cell path (the skip): the W_h route at every step.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from rnn_derivatives import path_grads

NETS = runpy.run_path(str(Path(__file__).with_name("_long_lag_nets.py")))
#: The label of each route, per cell.
ROUTES = {
    "LSTM": {
        "full": "every path",
        "cell": "cell path, then one $W_h$ step",
        "W_h": "$W_h$ paths only",
    },
    "GRU": {"full": "every path", "skip": "skip only", "W_h": "$W_h$ paths only"},
}


def problem():
    """``({"LSTM": params, "GRU": params}, xs, targets)``: two networks of the gradient figure."""
    nets, xs, targets = NETS["problem"]()
    return {"LSTM": nets[2], "GRU": nets[4]}, xs, targets


def mean_norms(dhs: np.ndarray) -> np.ndarray:
    """Mean over the batch of ‖∂L_T/∂h_k‖, (T + 1,) indexed by T − k."""
    return np.linalg.norm(dhs, axis=2).mean(axis=1)[::-1]


def data() -> dict[str, object]:
    """``lags`` T − k = 0 … T (T + 1,) and ``norms`` {cell: {route: (T + 1,)}}: the mean over
    the batch of ‖∂L_T/∂h_k‖ along each route of `ROUTES`."""
    nets, xs, targets = problem()
    T = len(xs)
    norms = {}
    for name, params in nets.items():
        G = NETS["last_step_upstream"](params, xs, targets)
        curves = {
            route: mean_norms(path_grads(params, xs, G, paths=route).h)
            for route in ROUTES[name]
            if route != "cell"
        }
        if name == "LSTM":  # cell path from c_T down to c_{k+1}, then one W_h step into h_k
            cell = [np.linalg.norm(G[-1], axis=1).mean()]
            for k in range(T - 1, -1, -1):
                paths = ["full"] * k + ["W_h"] + ["cell"] * (T - k - 1)
                dh_k = path_grads(params, xs, G, paths=paths).h[k]
                cell.append(np.linalg.norm(dh_k, axis=1).mean())
            curves["cell"] = np.array(cell)
        norms[name] = {route: curves[route] for route in ROUTES[name]}
    return {"lags": np.arange(T + 1), "norms": norms}


def figure() -> Figure:
    d = data()
    fig = Figure(figsize=(4.8, 6.4))
    axes = fig.subplots(2, 1, sharex=True, sharey=True)
    styles = {"full": "-", "cell": "--", "skip": "--", "W_h": ":"}
    for ax, (name, routes) in zip(axes, ROUTES.items(), strict=True):
        for route, label in routes.items():
            ax.semilogy(d["lags"], d["norms"][name][route], linestyle=styles[route], label=label)
        ax.set_title("LSTM, $b_f = 1$" if name == "LSTM" else "GRU", fontsize=12)
        ax.set_ylabel(r"mean $\Vert \partial L_T / \partial h_k \Vert$", fontsize=11)
        ax.legend(loc="lower left", fontsize=10)
        ax.set_xlim(0, d["lags"][-1])
    axes[1].set_xlabel("$T - k$ (steps back from the answer)", fontsize=11)
    fig.tight_layout()
    return fig
