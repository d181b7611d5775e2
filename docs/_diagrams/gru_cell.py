"""The GRU page's cell: one step with its weight blocks, in the page's (PyTorch's) form.

r_t and z_t read x_t through their blocks of W_x and h_{t−1} through their blocks of W_h;
the candidate is reset after the weights, ñ_t = a_{t,n} + r_t ⊙ u_{t,n} with
u_{t,n} = W_{h,n} h_{t−1} + b_{h,n}, n_t = tanh(ñ_t), and h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
goes on to the next step and to the output layer. The columns are drawn z, r, n so that r_t
reaches the candidate without crossing a line; the weight blocks are stacked r, z, n.
"""

from __future__ import annotations

from .cell_graph import Spot, forward_routes
from .svg import figure, label

WIDTH, HEIGHT = 650, 540
FONT = 22  # names at least 12 px, scripts 9.5 px at a 390 px wide phone (tests/browser)
GATES = "rzn"  # PyTorch's order of the three blocks of W_x, W_h, b_x and b_h
COLUMN = {"z": 130, "r": 250, "n": 380}
GATE_Y, BOX_Y, H_BUS, X_BUS, TOP, MIX = 300, 390, 452, 500, 60, 115
BRANCH = 75  # where h_{t−1} leaves the bus for the top line


def spots() -> dict[str, Spot]:
    n = COLUMN["n"]
    out = {
        "h_{t−1}": Spot(20, H_BUS, kind="point"),
        "x_t": Spot(20, X_BUS, kind="point"),
        "r": Spot(COLUMN["r"], GATE_Y, "σ", r=26),
        "z": Spot(COLUMN["z"], GATE_Y, "σ", r=26),
        "⊙r": Spot(n - 24, GATE_Y, "⊙", kind="op", r=14),
        "+n": Spot(n, 238, "+", kind="op", r=14),
        "tanh": Spot(n, 172, "tanh", r=28),
        "1−": Spot(COLUMN["r"], MIX, "1−", kind="op", r=20),
        "⊙n": Spot(n, MIX, "⊙", kind="op", r=14),
        "⊙z": Spot(COLUMN["z"], TOP, "⊙", kind="op", r=14),
        "+h": Spot(n, TOP, "+", kind="op", r=14),
        "h_t": Spot(550, TOP, "h_t"),
        "ŷ_t": Spot(550, 200, "ŷ_t"),
        "h next": Spot(645, TOP, kind="point"),
    }
    for gate in GATES:
        x = COLUMN[gate]
        out[f"W_{{h,{gate}}}"] = Spot(x - 24, BOX_Y, f"W_{{h,{gate}}}", kind="box")
        out[f"W_{{x,{gate}}}"] = Spot(x + 24, BOX_Y, f"W_{{x,{gate}}}", kind="box")
    return out


def routes() -> dict[str, list[tuple[float, float]]]:
    """Every forward edge "a>b" with the corners of its polyline."""
    out: dict[str, list[tuple[float, float]]] = {}
    for gate in GATES:
        x = COLUMN[gate]
        out[f"h_{{t−1}}>W_{{h,{gate}}}"] = [(x - 24, H_BUS)]
        out[f"x_t>W_{{x,{gate}}}"] = [(x + 24, X_BUS)]
    out |= {
        "W_{h,r}>r": [],
        "W_{x,r}>r": [],
        "W_{h,z}>z": [],
        "W_{x,z}>z": [],
        "W_{h,n}>⊙r": [],  # u_{t,n}: reset after the weights
        "r>⊙r": [],
        "⊙r>+n": [],
        "W_{x,n}>+n": [],  # a_{t,n}
        "+n>tanh": [],
        "tanh>⊙n": [],
        "z>⊙z": [],
        "z>1−": [(COLUMN["z"], MIX)],
        "1−>⊙n": [],
        "h_{t−1}>⊙z": [(BRANCH, H_BUS), (BRANCH, TOP)],
        "⊙z>+h": [],
        "⊙n>+h": [],
        "+h>h_t": [],
        "h_t>h next": [],
        "h_t>ŷ_t": [],
    }
    return out


TITLE = "One GRU step with its weights, reset after: r_t scales W_(h,n) h_(t−1) + b_(h,n)"
DESC = (
    "The input x_t and the previous state h_(t−1) run along the bottom. The reset gate r_t and "
    "the update gate z_t each read x_t through their block of W_x and h_(t−1) through their "
    "block of W_h, through a sigmoid. The candidate: h_(t−1) goes through the block W_(h,n) "
    "(plus the bias b_(h,n)) and is then multiplied elementwise by r_t; x_t goes through "
    "W_(x,n) (plus b_(x,n)); the two add up to "
    "n-tilde_t, and tanh gives n_t. Along the top, h_(t−1) is multiplied elementwise by z_t, "
    "n_t by 1 − z_t, and the sum is h_t, which goes on to step t+1 and through W_hy to the "
    "output y-hat_t."
)


def labels() -> list[str]:
    n, z, r = COLUMN["n"], COLUMN["z"], COLUMN["r"]
    return [
        label(z - 8, GATE_Y - 44, "z_t", size=FONT, anchor="end"),
        label((r + n - 24) / 2 - 4, GATE_Y - 10, "r_t", size=FONT),
        label(n + 10, 214, "ñ_t", size=FONT, anchor="start"),
        label(n + 10, 140, "n_t", size=FONT, anchor="start"),
        label(r + 30, MIX - 12, "1 − z_t", size=FONT, anchor="start"),
        label(n - 32, 346, "u_{t,n}", size=FONT, anchor="end"),
        label(20, H_BUS - 10, "h_{t−1}", size=FONT, anchor="start"),
        label(20, X_BUS - 10, "x_t", size=FONT, anchor="start"),
        label(645, TOP + 48, "step t+1", size=FONT, anchor="end"),
        label(560, 142, "W_{hy}", size=FONT, anchor="start"),
    ]


def html() -> str:
    s, r = spots(), routes()
    body = forward_routes(s, r) + labels() + [p.svg(FONT) for p in s.values()]
    return figure(WIDTH, HEIGHT, body, title=TITLE, desc=DESC, ident="gru-cell")
