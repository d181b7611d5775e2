"""The four-steps page's first picture: one path, (t, k) = (2, 1), lit in the unrolled graph
before any algebra. W_xh enters at x_1 → h_1, W_hh carries h_1 to h_2, W_hy turns h_2 into
o_2, and o_2 gives L_2. The graph and the path are `gradient_paths`' own.
"""

from __future__ import annotations

from .gradient_paths import HEIGHT, WIDTH, edges, nodes, path_edges
from .svg import arrow, draw_nodes, figure, label

TERM = (2, 1)
TITLE = "One path from W_xh to the loss: x_1 to h_1 to h_2 to o_2 to L_2"
DESC = (
    "The network unrolled over four steps. The highlighted, thicker arrows are one path: "
    "W_xh enters at x_1 to h_1, W_hh carries h_1 to h_2, W_hy turns h_2 into o_2, and o_2 "
    "gives the loss L_2. The other arrows are drawn faint."
)
#: Where each weight's name stands, beside the lit edge it labels.
NAMES = [
    (78, 247, "W_{xh}", "start"),
    (135, 188, "W_{hh}", "middle"),
    (208, 167, "W_{hy}", "start"),
]


def lit() -> list[str]:
    return path_edges(*TERM)


def html() -> str:
    n = nodes()
    body = []
    for a, b in edges():
        name = f"{a}>{b}"
        on = name in lit()
        cls = "edge is-lit" if on else "edge"
        body.append(arrow(n[a], n[b], cls=cls, data={"edge": name}, width=4.5 if on else 1.6))
    body += [label(x, y, text, size=22, anchor=anchor) for x, y, text, anchor in NAMES]
    body += draw_nodes(n.values(), size=20)
    return figure(WIDTH, HEIGHT, body, title=TITLE, desc=DESC, ident="first-path")
