"""The LSTM page's cell: one step with its weight blocks, in PyTorch's gate order i, f, g, o.

Each gate reads x_t through its block of W_x and h_{t−1} through its block of W_h (plus the
biases), the cell path runs along the top (c_{t−1} scaled by f_t, i_t ⊙ g_t added), and
h_t = o_t ⊙ tanh(c_t) goes on to the next step and to the output layer. ``html()`` draws the
forward pass; ``backward_html()`` (the diagram ``lstm_backward``) the same cell with the
backward pass overlaid: the cell path back through f_t alone, and the h path back through the
gates' W_h blocks, the two columns of the page's 2H × 2H step Jacobian.
"""

from __future__ import annotations

import math

from .cell_graph import Spot, backward_paths, backward_routes, forward_routes
from .svg import figure, label

WIDTH, HEIGHT = 650, 540
FONT = 22  # names at least 12 px, scripts 9.5 px at a 390 px wide phone (tests/browser)
GATES = "ifgo"  # PyTorch's order of the four blocks of W_x, W_h and b
COLUMN = dict(zip(GATES, (130, 230, 330, 430), strict=True))
ACTIVATION = {"i": "σ", "f": "σ", "g": "tanh", "o": "σ"}
GATE_Y, BOX_Y, H_BUS, X_BUS, C_Y = 300, 390, 452, 500, 70


def spots() -> dict[str, Spot]:
    out = {
        "c_{t−1}": Spot(20, C_Y, kind="point"),
        "h_{t−1}": Spot(20, H_BUS, kind="point"),
        "x_t": Spot(20, X_BUS, kind="point"),
        "⊙f": Spot(COLUMN["f"], C_Y, "⊙", kind="op", r=14),
        "+c": Spot(COLUMN["g"], C_Y, "+", kind="op", r=14),
        "⊙ig": Spot(COLUMN["g"], 180, "⊙", kind="op", r=14),
        "c_t": Spot(550, C_Y, "c_t"),
        "tanh": Spot(550, 160, "tanh", r=28),
        "⊙o": Spot(550, 240, "⊙", kind="op", r=14),
        "h_t": Spot(550, 330, "h_t"),
        "ŷ_t": Spot(550, 470, "ŷ_t"),
        "c next": Spot(645, C_Y, kind="point"),
        "h next": Spot(645, 330, kind="point"),
    }
    for gate, x in COLUMN.items():
        out[gate] = Spot(x, GATE_Y, ACTIVATION[gate], r=26)
        out[f"W_{{h,{gate}}}"] = Spot(x - 24, BOX_Y, f"W_{{h,{gate}}}", kind="box")
        out[f"W_{{x,{gate}}}"] = Spot(x + 24, BOX_Y, f"W_{{x,{gate}}}", kind="box")
    return out


def hop(x: float, y: float, r: float = 8) -> list[tuple[float, float]]:
    """The corners of a small arch over a vertical line at ``x``, for a line along ``y``
    (left to right) that crosses it without joining it."""
    return [(x - r * math.cos(a), y - r * math.sin(a)) for a in (i * math.pi / 8 for i in range(9))]


def routes() -> dict[str, list[tuple[float, float]]]:
    """Every forward edge "a>b" with the corners of its polyline."""
    out: dict[str, list[tuple[float, float]]] = {}
    for gate, x in COLUMN.items():
        out[f"h_{{t−1}}>W_{{h,{gate}}}"] = [(x - 24, H_BUS)]
        out[f"x_t>W_{{x,{gate}}}"] = [(x + 24, X_BUS)]
        out[f"W_{{h,{gate}}}>{gate}"] = []
        out[f"W_{{x,{gate}}}>{gate}"] = []
    out |= {
        "f>⊙f": [],
        "i>⊙ig": [(COLUMN["i"], 180), *hop(COLUMN["f"], 180)],  # over f_t's line
        "g>⊙ig": [],
        "o>⊙o": [(COLUMN["o"], 240)],
        "c_{t−1}>⊙f": [],
        "⊙f>+c": [],
        "⊙ig>+c": [],
        "+c>c_t": [],
        "c_t>c next": [],
        "c_t>tanh": [],
        "tanh>⊙o": [],
        "⊙o>h_t": [],
        "h_t>h next": [],
        "h_t>ŷ_t": [],
    }
    return out


#: The routes the backward pass runs against: from c_t and h_t back to c_{t−1} and h_{t−1}.
BACKWARD = [
    "⊙o>h_t",
    "tanh>⊙o",
    "c_t>tanh",
    "+c>c_t",
    "⊙f>+c",
    "c_{t−1}>⊙f",
    "⊙ig>+c",
    "f>⊙f",
    "i>⊙ig",
    "g>⊙ig",
    "o>⊙o",
    *(f"W_{{h,{gate}}}>{gate}" for gate in GATES),
    *(f"h_{{t−1}}>W_{{h,{gate}}}" for gate in GATES),
]

#: Where the gradient at c_t and h_t comes from: step t+1 (both) and the output ŷ_t (h_t);
#: drawn against these forward routes.
INCOMING = ["c_t>c next", "h_t>h next", "h_t>ŷ_t"]

TITLE = "One LSTM step with its weights: x_t and h_(t−1) enter the gates i, f, g, o"
DESC = (
    "The input x_t and the previous state h_(t−1) run along the bottom; each of the four gates, "
    "in PyTorch's order i, f, g, o, reads x_t through its block of W_x and h_(t−1) through its "
    "block of W_h: the input gate i_t, the forget gate f_t and the output gate o_t through a "
    "sigmoid, the candidate g_t through tanh. Along the top runs the cell path: c_(t−1) is "
    "multiplied elementwise by f_t, then i_t times g_t is added, giving c_t, which goes on to "
    "step t+1. tanh of c_t, multiplied elementwise by o_t, gives h_t, which goes on to step t+1 "
    "and through W_hy to the output y-hat_t."
)
BACK_TITLE = "The LSTM step's backward pass: the cell path through f_t, the h path through W_h"
BACK_DESC = (
    "The same step with the backward pass drawn as dashed arrows in a second colour, against "
    "the forward ones. The gradient arrives at c_t from step t+1, and at h_t from step t+1 "
    "and from the output y-hat_t. From c_t the gradient reaches c_(t−1) through the "
    "elementwise product with f_t alone, with no weight matrix: the block diag(f_t) of the step "
    "Jacobian. From h_t "
    "it reaches c_t through o_t and tanh. From c_t it runs down into the gates i, f and g, and "
    "from h_t into the gate o; each gate sends it back to h_(t−1) through the transpose of its "
    "block of W_h. So c_(t−1) is reached without any weight, and h_(t−1) only through the W_h "
    "blocks: W_(h,i), W_(h,f), W_(h,g) from c_t and all four from h_t."
)


def labels() -> list[str]:
    """The names on lines: the gates' outputs, the inputs, where the states go."""
    out = [label(COLUMN[g] - 8, GATE_Y - 40, f"{g}_t", size=FONT, anchor="end") for g in GATES]
    out += [
        label(20, C_Y - 14, "c_{t−1}", size=FONT, anchor="start"),
        label(20, H_BUS - 10, "h_{t−1}", size=FONT, anchor="start"),
        label(20, X_BUS - 10, "x_t", size=FONT, anchor="start"),
        label(645, C_Y - 32, "step t+1", size=FONT, anchor="end"),
        label(645, 330 + 48, "step t+1", size=FONT, anchor="end"),
        label(560, 412, "W_{hy}", size=FONT, anchor="start"),
    ]
    return out


def drawing(backward: bool) -> str:
    s, r = spots(), routes()
    body = forward_routes(s, r) + labels() + [p.svg(FONT) for p in s.values()]
    if backward:
        body.append(f'<g class="back">{backward_routes(s, r, INCOMING + BACKWARD)}</g>')
        return figure(WIDTH, HEIGHT, body, title=BACK_TITLE, desc=BACK_DESC, ident="lstm-back")
    return figure(WIDTH, HEIGHT, body, title=TITLE, desc=DESC, ident="lstm-cell")


def html() -> str:
    return drawing(backward=False)


def backward_html() -> str:
    return drawing(backward=True)


def jacobian_blocks() -> dict[tuple[str, str], set[str]]:
    """For each block (state at t, state at t − 1) of the step Jacobian, the W_h blocks its
    backward paths in the drawing pass through (none for the right column)."""
    out = {}
    for late in ("c_t", "h_t"):
        for early in ("c_{t−1}", "h_{t−1}"):
            paths = backward_paths(BACKWARD, late, early)
            out[late, early] = {spot for path in paths for spot in path if spot.startswith("W_")}
    return out
