"""The matrix-form page's picture: the two roads of the gradient merging into δ_t,

δ_t = (1 − h_t ⊙ h_t) ⊙ (W_hyᵀ ∂L_t/∂o_t + W_hhᵀ δ_{t+1}).
"""

from __future__ import annotations

from _diagrams.svg import Node, arrow, back_arrow, label, legend, svg_root

WIDTH, HEIGHT = 500, 420
TITLE = "Two roads of the gradient merge at h_t and pass through tanh into delta_t"
DESC = (
    "Dashed arrows, the backward pass: from o_t down to h_t, the transpose of W_hy times "
    "dL_t/do_t; from z_(t+1) back to h_t, the transpose of W_hh times delta_(t+1), which "
    "carries the losses L_(t+1) to L_T. The two add up to dL/dh_t, which is multiplied "
    "elementwise by 1 minus h_t squared on the way down to z_t, giving delta_t. Solid arrows "
    "show the forward pass: z_t to h_t by tanh, h_t to o_t by W_hy, h_t to z_(t+1) by W_hh."
)
NODES = {
    "o_t": Node(170, 70, "o_t"),
    "h_t": Node(170, 190, "h_t"),
    "z_t": Node(170, 310, "z_t"),
    "z_{t+1}": Node(400, 310, "z_{t+1}", r=26),
}
#: (from, to, label) of the forward arrows and of the backward ones, in the order drawn.
FORWARD = [("z_t", "h_t", "tanh"), ("h_t", "o_t", "W_{hy}"), ("h_t", "z_{t+1}", "W_{hh}")]
BACKWARD = [
    ("o_t", "h_t", "W_{hy}^{⊤} ∂L_t/∂o_t"),
    ("z_{t+1}", "h_t", "W_{hh}^{⊤} δ_{t+1}"),
    ("h_t", "z_t", "(1 − h_t ⊙ h_t) ⊙"),
]


def html() -> str:
    n = NODES
    body = []
    for a, b, _ in FORWARD:
        body.append(arrow(n[a], n[b], cls="edge", data={"edge": f"{a}>{b}"}))
    body += [
        label(182, 255, "tanh", size=16, anchor="start"),
        label(182, 135, "W_{hy}", size=16, anchor="start"),
        label(300, 302, "W_{hh}", size=16),
    ]
    back = [back_arrow(n[a], n[b], data={"edge": f"{a}>{b}"}) for a, b, _ in BACKWARD]
    back += [
        label(144, 135, BACKWARD[0][2], size=17, anchor="end"),
        label(286, 218, BACKWARD[1][2], size=17, anchor="start"),
        label(144, 255, BACKWARD[2][2], size=17, anchor="end"),
        label(138, 196, "sum: ∂L/∂h_t", size=17, anchor="end"),
        label(138, 316, "δ_t = ∂L/∂z_t", size=17, anchor="end"),
    ]
    body.append(f'<g class="back">{"".join(back)}</g>')
    body += [
        label(170, 26, "from L_t: ∂L_t/∂o_t = ŷ_t − y_t", size=16),
        label(400, 362, "from L_{t+1}, …, L_T", size=16),
    ]
    body += [
        p.svg(size=20, cls="node rnn-hidden" if p.text == "h_t" else "node") for p in n.values()
    ]
    body.append(legend(HEIGHT - 20, 16, "backward (gradient)", size=16, gap=200))
    return svg_root(
        WIDTH,
        HEIGHT,
        "".join(body),
        cls="rnn-figure rnn-diagram",
        title=TITLE,
        desc=DESC,
        ident="two-roads",
    )
