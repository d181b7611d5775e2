"""The matrix-form page's picture: the two roads of the gradient merging into δ_t,

δ_t = (1 − h_t ⊙ h_t) ⊙ (W_hyᵀ ∂L_t/∂o_t + W_hhᵀ δ_{t+1}).
"""

from __future__ import annotations

from .svg import Node, arrow, back_arrow, draw_nodes, figure, label, legend

WIDTH, HEIGHT = 500, 430
TITLE = "Two roads of the gradient merge at h_t and pass through tanh into delta_t"
DESC = (
    "Dashed arrows, the backward pass: from o_t down to h_t, the transpose of W_hy times "
    "dL_t/do_t; from z_(t+1) back to h_t, the transpose of W_hh times delta_(t+1), which "
    "carries the losses L_(t+1) to L_T. The two add up to dL/dh_t, which is multiplied "
    "elementwise by 1 minus h_t squared on the way down to z_t, giving delta_t. Solid arrows "
    "show the forward pass: z_t to h_t by tanh, h_t to o_t by W_hy, h_t to z_(t+1) by W_hh."
)
NODES = {
    "o_t": Node(200, 76, "o_t", r=25),
    "h_t": Node(200, 196, "h_t", r=25),
    "z_t": Node(200, 316, "z_t", r=25),
    "z_{t+1}": Node(420, 316, "z_{t+1}", r=30),
}
#: (from, to, label) of the forward arrows and of the backward ones, in the order drawn.
FORWARD = [("z_t", "h_t", "tanh"), ("h_t", "o_t", "W_{hy}"), ("h_t", "z_{t+1}", "W_{hh}")]
BACKWARD = [
    ("o_t", "h_t", "W_{hy}^{⊤} ∂L_t/∂o_t"),
    ("z_{t+1}", "h_t", "W_{hh}^{⊤} δ_{t+1}"),
    ("h_t", "z_t", "(1 − h_t ⊙ h_t) ⊙"),
]
LABEL, NOTE = 21, 19  # font sizes of the labels and of the notes


def html() -> str:
    n = NODES
    body = [arrow(n[a], n[b], cls="edge", data={"edge": f"{a}>{b}"}) for a, b, _ in FORWARD]
    body += [
        label(212, 264, "tanh", size=NOTE, anchor="start"),
        label(212, 144, "W_{hy}", size=NOTE, anchor="start"),
        label(318, 308, "W_{hh}", size=NOTE),
    ]
    back = [back_arrow(n[a], n[b], data={"edge": f"{a}>{b}"}) for a, b, _ in BACKWARD]
    back += [
        label(172, 143, BACKWARD[0][2], size=LABEL, anchor="end"),
        label(300, 222, BACKWARD[1][2], size=LABEL, anchor="start"),
        label(172, 263, BACKWARD[2][2], size=LABEL, anchor="end"),
        label(166, 203, "sum: ∂L/∂h_t", size=LABEL, anchor="end"),
        label(166, 323, "δ_t = ∂L/∂z_t", size=LABEL, anchor="end"),
    ]
    body.append(f'<g class="back">{"".join(back)}</g>')
    body += [
        label(200, 28, "from L_t: ∂L_t/∂o_t = ŷ_t − y_t", size=NOTE),
        label(420, 374, "from L_{t+1}, …, L_T", size=NOTE),
    ]
    body += draw_nodes(n.values(), size=24)
    body.append(legend(HEIGHT - 20, 16, "backward (gradient)", size=NOTE, gap=200))
    return figure(WIDTH, HEIGHT, body, title=TITLE, desc=DESC, ident="two-roads")
