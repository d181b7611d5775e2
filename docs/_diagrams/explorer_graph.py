"""The explorers' live graph: the RNN of unrolled.py over three steps, with an empty slot beside
each node for its numbers, which docs/javascripts/toy-explorer.js fills on every edit.

The nodes, their names and the forward arrows are those of ``unrolled`` (x_t, z_t, h_t, o_t, ŷ_t,
L_t, from h_0 = 0), laid out with the room each node needs for a 2-vector beside it: forward
values beside x_t, h_t, o_t, ŷ_t and L_t; ∂L/∂h_t beside h_t and δ_t beside z_t, in the
backward colour. The weights' names on the arrows repeat at every step: one W_xh, W_hh, W_hy
shared by the three. The two roads into each h_t are dashed backward arrows (``data-road``,
``data-into`` = t) whose width the script sets from the size of what they carry. Each δ_t is a
focusable group (``data-delta`` = t); hovering or focusing it lights the roads into h_t. The
slots are ``<text data-quantity="g-…" data-index="…">``.

The graph is drawn twice from one geometry, each inside its own ``<svg>`` of one
``<svg data-graph>``: ``WIDE``, time running right (the layers bottom to top), and ``TALL``, its
transpose, time running down (the layers left to right), which the stylesheet shows instead on a
narrow screen. The script fills both alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from . import unrolled
from .svg import Node, arrow, back_arrow, draw_nodes, fmt, label

T = unrolled.T
LAYERS = ("x", "z", "h", "o", "ŷ", "L")  # in the order of the forward pass
NUMBER = 13  # the numbers' font size
LINE = 16  # between the entries of a vector


@dataclass(frozen=True)
class Layout:
    """One orientation of the graph: where step t and a layer sit, and where the numbers go.

    ``step(t)`` and ``layer(name)`` are the two coordinates of a node; ``tall`` says which is x:
    False puts step t at x = step(t) and the layer at y = layer(name). ``forward`` and ``back``
    are (dx, dy, anchor) of the first line of the forward numbers from their node's centre;
    ``h_back`` and ``z_back`` (dx, dy, anchor, down) of the backward name ∂L/∂h_t beside h_t
    and δ_t beside z_t, its two entries starting ``down`` below it.
    """

    name: str
    width: float
    height: float
    steps: tuple[float, float]  # step(t) = steps[0] + steps[1] t
    layers: dict[str, float]
    tall: bool
    radius: float
    forward: tuple[float, float, str]
    h_back: tuple[float, float, str, float]
    z_back: tuple[float, float, str, float]
    road_o: float  # the offset of the road o_t → h_t beside its forward arrow
    road_z: float  # of the road z_{t+1} → h_t
    font: float  # the nodes' names
    small: float  # the arrows' names and ∂L/∂h_t, δ_t (their subscripts are 0.7 of it)

    def node(self, name: str) -> Node:
        row, _, step = name.partition("_")
        s, w = self.steps[0] + self.steps[1] * int(step), self.layers[row]
        x, y = (w, s) if self.tall else (s, w)
        return Node(x, y, name, r=self.radius)


WIDE = Layout(
    "wide",
    640,
    500,
    (45, 170),
    {"L": 40, "ŷ": 110, "o": 180, "h": 270, "z": 390, "x": 470},
    tall=False,
    radius=17,
    forward=(24, 0, "start"),  # numbers right of the node, centred on it
    h_back=(-24, -22, "end", 20),  # ∂L/∂h_t left of h_t
    z_back=(24, -22, "start", 18),  # δ_t right of z_t
    road_o=-14,
    road_z=14,  # below the forward diagonal, clear of h_t's numbers
    font=16,
    small=13,
)
TALL = Layout(
    "tall",
    370,
    570,
    (26, 160),
    {layer: 20 + 60 * k for k, layer in enumerate(LAYERS)},
    tall=True,
    radius=15,
    forward=(2, 32, "start"),  # numbers below the node
    h_back=(2, -74, "start", 18),  # ∂L/∂h_t above h_t, clear of the diagonal from h_(t-1)
    z_back=(-4, -74, "end", 18),  # δ_t above z_t, clear of the diagonal into z_t
    road_o=10,
    road_z=12,  # left of the forward diagonal, clear of h_t's numbers
    font=17,  # subscripts 11.9 units: 11 px or more on a 390 px phone
    small=17,
)


def slot(x: float, y: float, quantity: str, index: str, anchor: str = "start") -> str:
    """An empty number slot the script fills."""
    return (
        f'<text class="gx-num" x="{fmt(x)}" y="{fmt(y)}" font-size="{NUMBER}" '
        f'text-anchor="{anchor}" fill="currentColor" data-quantity="{quantity}" '
        f'data-index="{index}"></text>'
    )


def numbers(lay: Layout, node: Node, quantity: str, t: int, size: int | None) -> str:
    """The forward numbers of ``node``: a scalar (``size`` None) or entries 0 … size − 1."""
    dx, dy, anchor = lay.forward
    if not size:
        return slot(node.x + dx, node.y + (5 if not lay.tall else dy), quantity, str(t), anchor)
    top = node.y + (dy - 8 * (size - 1) + 4 if not lay.tall else dy)
    return "".join(
        slot(node.x + dx, top + LINE * i, quantity, f"{t},{i}", anchor) for i in range(size)
    )


def backward(node: Node, place: tuple, name: str, quantity: str, t: int, size: float) -> str:
    """A backward name (∂L/∂h_t, δ_t) and its two entries below it."""
    dx, dy, anchor, down = place
    x, y = node.x + dx, node.y + dy
    text = label(x, y, name, size=size, anchor=anchor)
    first = y + down
    return text + "".join(slot(x, first + LINE * i, quantity, f"{t},{i}", anchor) for i in range(2))


def edge_label(lay: Layout, a: Node, b: Node, name: str) -> str:
    """The name of the arrow a → b: right of it (wide) or above it (tall) along the layers;
    beside the recurrent diagonal h_(t-1) → z_t, away from its road."""
    if (a.y if lay.tall else a.x) == (b.y if lay.tall else b.x):  # along the layers
        if lay.tall:
            return label((a.x + b.x) / 2, a.y - 20, name, size=lay.small)
        return label(a.x + 6, (a.y + b.y) / 2 + 4, name, size=lay.small, anchor="start")
    if lay.tall:  # the recurrent diagonal: its label right of it, under h_(t-1)'s numbers
        return label(a.x - 17, a.y + 64, name, size=lay.small, anchor="start")
    return label((a.x + b.x) / 2 - 6, (a.y + b.y) / 2 - 10, name, size=lay.small)


def draw(lay: Layout, outputs: int, scored: tuple[int, ...], output_name: str) -> str:
    """The graph in one orientation, as an ``<svg>`` of its own."""
    n = {}
    for name in unrolled.nodes():
        row, _, step = name.partition("_")
        if row not in ("ŷ", "L") or int(step) in scored:
            n[name] = lay.node(name)
    body = []
    for start, end, name in unrolled.forward_edges():
        if start not in n or end not in n:
            continue
        a, b = n[start], n[end]
        if name == "softmax":
            name = output_name
        body.append(arrow(a, b, cls="edge", data={"edge": f"{start}>{end}"}, head=7))
        if name:
            body.append(edge_label(lay, a, b, name))
    roads = []
    for t in range(1, T + 1):
        into = {"into": str(t)}
        road = {"road": f"o:{t}", **into}
        roads.append(back_arrow(n[f"o_{t}"], n[f"h_{t}"], offset=lay.road_o, data=road))
        if t < T:
            road = {"road": f"z:{t}", **into}
            roads.append(back_arrow(n[f"z_{t + 1}"], n[f"h_{t}"], offset=lay.road_z, data=road))
    body.append(f'<g class="back gx-roads">{"".join(roads)}</g>')
    body += draw_nodes(n.values(), size=lay.font)
    for t in range(1, T + 1):
        body.append(numbers(lay, n[f"x_{t}"], "g-x", t, None))
        body.append(numbers(lay, n[f"h_{t}"], "g-h", t, 2))
        body.append(numbers(lay, n[f"o_{t}"], "g-o", t, outputs))
        if t in scored:
            body.append(numbers(lay, n[f"ŷ_{t}"], "g-yhat", t, outputs))
            body.append(numbers(lay, n[f"L_{t}"], "g-loss", t, None))
        back = backward(n[f"h_{t}"], lay.h_back, f"∂L/∂h_{t}", "g-dh", t, lay.small)
        body.append(f'<g class="back">{back}</g>')
        z = n[f"z_{t}"]
        dx, dy, anchor, _ = lay.z_back
        left = z.x + dx - (6 if anchor == "start" else 64)
        focus = (
            f'<rect class="gx-focus" x="{fmt(left)}" y="{fmt(z.y + dy - 16)}" width="70" '
            f'height="58" rx="4" fill="transparent"/>'
        )
        delta = backward(z, lay.z_back, f"δ_{t}", "g-delta", t, lay.small)
        name = f"δ_{t}: light the two roads into h_{t}" if t < T else f"δ_{t}: light the road"
        body.append(
            f'<g class="back gx-delta" data-delta="{t}" tabindex="0" role="button" '
            f'aria-label="{escape(name)}">{focus}{delta}</g>'
        )
    return (
        f'<svg class="gx-{lay.name}" viewBox="0 0 {fmt(lay.width)} {fmt(lay.height)}" '
        f'data-layout="{lay.name}">{"".join(body)}</svg>'
    )


def html_graph(ident: str, outputs: int, scored: tuple[int, ...], output_name: str) -> str:
    """The graph of a network with ``outputs`` entries in o_t, scored at the steps ``scored``;
    ``output_name`` labels the arrow o_t → ŷ_t (``softmax``, or empty for ŷ = o_t)."""
    title = f'<title id="{ident}-title">{escape(TITLE)}</title>'
    both = "".join(draw(lay, outputs, scored, output_name) for lay in (WIDE, TALL))
    return (
        f'<div class="gx-scroll"><svg class="rnn-diagram gx-graph" data-graph '
        f'xmlns="http://www.w3.org/2000/svg" font-family="serif" role="group" '
        f'aria-labelledby="{ident}-title">{title}{both}</svg></div>'
    )


TITLE = (
    "The network unrolled over three steps, with its numbers: forward values beside the nodes, "
    "dL/dh_t and delta_t in the backward colour, and the roads into each h_t as dashed arrows "
    "as wide as what they carry"
)
