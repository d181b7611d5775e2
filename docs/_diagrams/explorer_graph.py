"""The explorers' live graph: the RNN of unrolled.py over three steps, with an empty slot beside
each node for its numbers, which docs/javascripts/toy-explorer.js fills on every edit.

The nodes, their names and the forward arrows are those of ``unrolled`` (x_t, z_t, h_t, o_t, ŷ_t,
L_t, from h_0 = 0), laid out with the room each node needs for a 2-vector beside it: forward
values to the right of x_t, h_t, o_t, ŷ_t and L_t; ∂L/∂h_t to the left of h_t and δ_t to the
right of z_t, in the backward colour. The weights' names on the arrows repeat at every step:
one W_xh, W_hh, W_hy shared by the three. The two roads into each h_t are dashed backward
arrows (``data-road``, ``data-into`` = t) whose width the script sets from the size of what they
carry. Each δ_t is a focusable group (``data-delta`` = t); hovering or focusing it lights the
roads into h_t. The slots are ``<text data-quantity="g-…" data-index="…">``.
"""

from __future__ import annotations

from html import escape

from . import unrolled
from .svg import Node, arrow, back_arrow, draw_nodes, fmt, label

T = unrolled.T
SPACING = 170  # between steps
ROWS = {"L": 40, "ŷ": 110, "o": 180, "h": 270, "z": 390, "x": 470}
R = 17  # node radius
FONT, SMALL, NUMBER = 16, 13, 13  # node labels, edge labels, numbers
GAP = 24  # from a node's centre to its numbers
WIDTH, HEIGHT = 640, 500


def column(t: int) -> float:
    """The x of step t; h_0 sits at t = 0."""
    return 45 + SPACING * t


def nodes(scored: tuple[int, ...]) -> dict[str, Node]:
    """Every node of ``unrolled.nodes()`` at this layout; ŷ_t and L_t only at scored steps."""
    out = {}
    for name in unrolled.nodes():
        row, _, step = name.partition("_")
        t = int(step)
        if row in ("ŷ", "L") and t not in scored:
            continue
        out[name] = Node(column(t), ROWS[row], name, r=R)
    return out


def slot(x: float, y: float, quantity: str, index: str, anchor: str = "start") -> str:
    """An empty number slot the script fills."""
    return (
        f'<text class="gx-num" x="{fmt(x)}" y="{fmt(y)}" font-size="{NUMBER}" '
        f'text-anchor="{anchor}" fill="currentColor" data-quantity="{quantity}" '
        f'data-index="{index}"></text>'
    )


def vector_slots(x: float, y: float, quantity: str, t: int, size: int, anchor="start") -> str:
    """``size`` slots one above the other, centred on y: entries 0 … size − 1 of a vector."""
    top = y - 8 * (size - 1)
    return "".join(slot(x, top + 16 * i + 4, quantity, f"{t},{i}", anchor) for i in range(size))


def html_graph(ident: str, outputs: int, scored: tuple[int, ...], output_name: str) -> str:
    """The graph of a network with ``outputs`` entries in o_t, scored at the steps ``scored``;
    ``output_name`` labels the arrow o_t → ŷ_t (``softmax``, or empty for ŷ = o_t)."""
    n = nodes(scored)
    body = []
    for start, end, name in unrolled.forward_edges():
        if start not in n or end not in n:
            continue
        a, b = n[start], n[end]
        if name == "softmax":
            name = output_name
        body.append(arrow(a, b, cls="edge", data={"edge": f"{start}>{end}"}, head=7))
        if a.x == b.x and name:  # vertical: the label right of the arrow
            body.append(label(a.x + 6, (a.y + b.y) / 2 + 4, name, size=SMALL, anchor="start"))
        elif name:  # the recurrent diagonal: the label above it (its road runs below)
            body.append(label((a.x + b.x) / 2 - 6, (a.y + b.y) / 2 - 10, name, size=SMALL))
    roads = []
    for t in range(1, T + 1):
        into = {"into": str(t)}
        roads.append(back_arrow(n[f"o_{t}"], n[f"h_{t}"], data={"road": f"o:{t}", **into}))
        if t < T:
            road = {"road": f"z:{t}", **into}
            # below the forward diagonal, clear of h_t's numbers
            roads.append(back_arrow(n[f"z_{t + 1}"], n[f"h_{t}"], offset=14, data=road))
    body.append(f'<g class="back gx-roads">{"".join(roads)}</g>')
    body += draw_nodes(n.values(), size=FONT)
    for t in range(1, T + 1):
        x = column(t)
        body.append(slot(x + GAP, ROWS["x"] + 5, "g-x", str(t)))
        body.append(vector_slots(x + GAP, ROWS["h"], "g-h", t, 2))
        body.append(vector_slots(x + GAP, ROWS["o"], "g-o", t, outputs))
        if t in scored:
            body.append(vector_slots(x + GAP, ROWS["ŷ"], "g-yhat", t, outputs))
            body.append(slot(x + GAP, ROWS["L"] + 5, "g-loss", str(t)))
        back = label(x - GAP, ROWS["h"] - 22, f"∂L/∂h_{t}", size=SMALL, anchor="end")
        back += vector_slots(x - GAP, ROWS["h"] + 2, "g-dh", t, 2, anchor="end")
        body.append(f'<g class="back">{back}</g>')
        y = ROWS["z"]
        focus = (
            f'<rect class="gx-focus" x="{fmt(x + GAP - 6)}" y="{fmt(y - 38)}" width="70" '
            f'height="58" rx="4" fill="transparent"/>'
        )
        delta = label(x + GAP, y - 22, f"δ_{t}", size=SMALL, anchor="start")
        delta += vector_slots(x + GAP, y, "g-delta", t, 2)
        name = f"δ_{t}: light the two roads into h_{t}" if t < T else f"δ_{t}: light the road"
        body.append(
            f'<g class="back gx-delta" data-delta="{t}" tabindex="0" role="button" '
            f'aria-label="{escape(name)}">{focus}{delta}</g>'
        )
    title = f'<title id="{ident}-title">{escape(TITLE)}</title>'
    box = f'viewBox="0 0 {WIDTH} {HEIGHT}"'
    return (
        f'<div class="gx-scroll"><svg class="rnn-diagram gx-graph" data-graph '
        f'xmlns="http://www.w3.org/2000/svg" {box} font-family="serif" role="group" '
        f'aria-labelledby="{ident}-title">{title}{"".join(body)}</svg></div>'
    )


TITLE = (
    "The network unrolled over three steps, with its numbers: forward values beside the nodes, "
    "dL/dh_t and delta_t in the backward colour, and the roads into each h_t as dashed arrows "
    "as wide as what they carry"
)
