"""The home page's figure: the RNN unrolled over three steps, and the two roads by which the
gradient flows back into h_2 (from o_2 through W_hyᵀ, from z_3 through W_hhᵀ)."""

from __future__ import annotations

from .svg import Node, arrow, back_arrow, draw_nodes, figure, label, legend

T = 3
#: The step whose two incoming gradient roads are drawn.
STEP = 2
WIDTH, HEIGHT = 560, 530
ROWS = {"L": 34, "ŷ": 112, "o": 190, "h": 272, "z": 354, "x": 436}
R = 24  # node radius
FONT, SMALL = 24, 19  # node labels, edge labels
TITLE = "An RNN unrolled over three steps, with the gradient flowing back into h_2"
DESC = (
    "Forward pass, solid arrows: for each step t from 1 to 3, input x_t enters z_t through "
    "W_xh and the previous state h_(t-1) enters z_t through W_hh; h_t = tanh(z_t); h_t gives "
    "the output o_t through W_hy, o_t gives the prediction y-hat_t by softmax, and y-hat_t "
    "with the target y_t gives the loss L_t. Backward pass, dashed arrows in a second colour: "
    "the gradient reaches h_2 along two roads, from o_2 through the transpose of W_hy and from "
    "z_3 through the transpose of W_hh."
)


def column(t: int) -> float:
    return 130 + 165 * (t - 1)


def nodes() -> dict[str, Node]:
    """Every node, keyed by its label (``h_0``, ``x_1``, ``z_1``, …)."""
    out = {"h_0": Node(36, ROWS["h"], "h_0", r=R)}
    for t in range(1, T + 1):
        for name, y in ROWS.items():
            out[f"{name}_{t}"] = Node(column(t), y, f"{name}_{t}", r=R)
    return out


def forward_edges() -> list[tuple[str, str, str]]:
    """(from, to, label) for every forward arrow; the label names the weight or function."""
    edges = []
    for t in range(1, T + 1):
        edges += [
            (f"x_{t}", f"z_{t}", "W_{xh}"),
            (f"h_{t - 1}", f"z_{t}", "W_{hh}"),
            (f"z_{t}", f"h_{t}", "tanh"),
            (f"h_{t}", f"o_{t}", "W_{hy}"),
            (f"o_{t}", f"ŷ_{t}", "softmax"),
            (f"ŷ_{t}", f"L_{t}", ""),
        ]
    return edges


def backward_edges() -> list[tuple[str, str, str]]:
    """(from, to, label) for the two roads of the gradient into h_STEP."""
    return [
        (f"o_{STEP}", f"h_{STEP}", "W_{hy}^{⊤}"),
        (f"z_{STEP + 1}", f"h_{STEP}", "W_{hh}^{⊤}"),
    ]


def html() -> str:
    n = nodes()
    body = []
    for start, end, name in forward_edges():
        a, b = n[start], n[end]
        body.append(arrow(a, b, cls="edge", data={"edge": f"{start}>{end}"}))
        if a.x == b.x and name:  # vertical: label on the right
            body.append(label(a.x + 9, (a.y + b.y) / 2 + 6, name, size=SMALL, anchor="start"))
        elif name:  # the recurrent diagonal: label below it
            body.append(label((a.x + b.x) / 2 - 4, (a.y + b.y) / 2 + 34, name, size=SMALL))
    for t in range(1, T + 1):  # the targets
        x, y = column(t) - 62, ROWS["L"]
        body.append(label(x - 6, y + 8, f"y_{t}", size=FONT))
        body.append(arrow(Node(x + 8, y, "", r=4), n[f"L_{t}"], cls="edge", head=7))
    (o_from, o_to, o_name), (h_from, h_to, h_name) = backward_edges()
    a, b = n[o_from], n[o_to]
    back = [
        back_arrow(a, b, data={"edge": f"{o_from}>{o_to}"}),
        label(a.x - 22, (a.y + b.y) / 2 + 8, o_name, size=SMALL + 1, anchor="end"),
    ]
    a, b = n[h_from], n[h_to]
    back += [
        back_arrow(a, b, data={"edge": f"{h_from}>{h_to}"}),
        label((a.x + b.x) / 2 + 14, (a.y + b.y) / 2 - 30, h_name, size=SMALL + 1),
    ]
    body.append(f'<g class="back">{"".join(back)}</g>')
    body += draw_nodes(n.values(), size=FONT)
    body.append(legend(HEIGHT - 22, 16, f"gradient into h_{STEP}, two roads", size=SMALL, gap=210))
    return figure(WIDTH, HEIGHT, body, title=TITLE, desc=DESC, ident="rnn-unrolled")
