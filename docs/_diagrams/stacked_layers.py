"""The stacking page's picture: two RNN layers unrolled over four steps, layers × time.

Forward (solid): x_t enters layer 1, h^{(1)}_t is layer 2's input, h^{(2)}_t gives the loss
L_t, and each layer carries its state from step t − 1 to step t. Backward (dashed, the
backward colour): the gradient runs back along both axes: in time inside each layer, through
W_{hh}^{(l)⊤}, and down from layer 2 to layer 1 as G_t = W_{xh}^{(2)⊤} δ^{(2)}_t.
"""

from __future__ import annotations

from .svg import Node, arrow, back_arrow, draw_nodes, figure, label, legend

T = 4
WIDTH, HEIGHT = 620, 520
ROWS = {"L": 50, "h2": 170, "h1": 300, "x": 420}
FONT = 22  # names at least 12 px, scripts 9.5 px at a 390 px wide phone (tests/browser)
R = 28
TITLE = (
    "Two stacked RNN layers unrolled over four steps, the gradient flowing back in time and down"
)
DESC = (
    "A grid of two layers over steps 1 to 4. Forward pass, solid arrows: x_t enters layer 1, "
    "whose state h^(1)_t is the input of layer 2; layer 2's state h^(2)_t gives the loss L_t; "
    "in each layer the state goes from step t−1 to step t, starting from h^(1)_0 and h^(2)_0. "
    "Backward pass, dashed arrows in a second colour: from each L_t down to h^(2)_t, back in "
    "time from h^(2)_(t+1) to h^(2)_t and from h^(1)_(t+1) to h^(1)_t, and down from "
    "h^(2)_t to h^(1)_t, the gradient G_t that layer 2 sends to layer 1."
)


def column(t: int) -> float:
    return 160 + 135 * (t - 1)


def name(row: str, t: int) -> str:
    """A node's key and label: ``x_1``, ``h_1^{(1)}``, ``h_1^{(2)}``, ``L_1``."""
    return f"h_{t}^{{({row[1]})}}" if row.startswith("h") else f"{row}_{t}"


def nodes() -> dict[str, Node]:
    out = {name(row, 0): Node(48, ROWS[row], name(row, 0), r=R) for row in ("h1", "h2")}
    for t in range(1, T + 1):
        for row, y in ROWS.items():
            out[name(row, t)] = Node(column(t), y, name(row, t), r=R)
    return out


def forward_edges() -> list[tuple[str, str]]:
    """(from, to) of every forward arrow: up the layers at each step, along time in each."""
    out = []
    for t in range(1, T + 1):
        out += [
            (name("x", t), name("h1", t)),
            (name("h1", t), name("h2", t)),
            (name("h2", t), name("L", t)),
            (name("h1", t - 1), name("h1", t)),
            (name("h2", t - 1), name("h2", t)),
        ]
    return out


def backward_edges() -> list[tuple[str, str]]:
    """(from, to) of every backward arrow: against each forward one but the inputs'."""
    return [(b, a) for a, b in forward_edges() if not a.startswith("x")]


def html() -> str:
    n = nodes()
    body = [arrow(n[a], n[b], cls="edge", data={"edge": f"{a}>{b}"}) for a, b in forward_edges()]
    x1 = column(1)
    body += [
        label(x1 - 10, 370, "W_{xh}^{(1)}", size=FONT, anchor="end"),
        label(x1 + 10, 262, "W_{xh}^{(2)}", size=FONT, anchor="start"),  # G_t comes back through it
        label(x1 - 36, 100, "W_{hy}^{(2)}", size=FONT, anchor="end"),
        label((column(1) + column(2)) / 2, ROWS["h1"] + 44, "W_{hh}^{(1)}", size=FONT),
        label((column(1) + column(2)) / 2, ROWS["h2"] + 40, "W_{hh}^{(2)}", size=FONT),
    ]
    back = [back_arrow(n[a], n[b], data={"edge": f"{a}>{b}"}) for a, b in backward_edges()]
    back.append(label(column(2) - 24, 242, "G_2", size=FONT, anchor="end"))
    body.append(f'<g class="back">{"".join(back)}</g>')
    body += draw_nodes(n.values(), size=FONT)
    body += [
        label(48, ROWS["h2"] - 42, "layer 2", size=FONT),
        label(48, ROWS["h1"] - 42, "layer 1", size=FONT),
    ]
    body.append(legend(HEIGHT - 24, 16, "backward (gradient)", size=FONT, gap=250))
    return figure(WIDTH, HEIGHT, body, title=TITLE, desc=DESC, ident="stacked-layers")
