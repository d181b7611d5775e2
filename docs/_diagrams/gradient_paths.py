"""The four-steps page's picture: every path term of ∂L/∂W_xh for T = 4, one button each.

The double sum ∂L/∂W_xh = Σ_{t=1}^{T} Σ_{k=1}^{t} (∂L_t/∂h_t)ᵀ J_t ⋯ J_{k+1} P_k has one term
per path: W_xh enters at x_k → h_k, the state is carried by W_hh from h_k to h_t, and
h_t → o_t → L_t scores it. `terms` lists the (t, k) of the double sum, `path_edges` the edges
one term multiplies; both the large figure (whose edges carry ``data-edge``) and the buttons
(``data-edges``, plus a small static picture of the path, shown also without JavaScript) are
drawn from them. ``docs/javascripts/path-highlight.js`` lights the selected term's path.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise

from .svg import Node, arrow, draw_nodes, label, svg_root

T = 4
WIDTH, HEIGHT = 530, 322
LABEL = 22  # the weights' labels: at least 10 px with subscripts at 390 px
ROWS = {"L": 40, "o": 120, "h": 200, "x": 280}
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def terms(n_steps: int = T) -> list[tuple[int, int]]:
    """(t, k) of every term of the double sum, k ≤ t, in the page's order: by loss L_t, then
    from the shortest path (k = t) to the longest (k = 1)."""
    return [(t, k) for t in range(1, n_steps + 1) for k in range(t, 0, -1)]


def path_nodes(t: int, k: int) -> list[str]:
    """The nodes of term (t, k)'s path, in the forward direction."""
    if not 1 <= k <= t:
        raise ValueError(f"a path needs 1 <= k <= t, got t={t}, k={k}")
    return [f"x_{k}"] + [f"h_{j}" for j in range(k, t + 1)] + [f"o_{t}", f"L_{t}"]


def path_edges(t: int, k: int) -> list[str]:
    """The edges term (t, k) multiplies, as ``"from>to"``: x_k>h_k (∂⁺h_k/∂W_xh), then
    h_j>h_{j+1} for j = k … t−1 (one J_{j+1} each), h_t>o_t and o_t>L_t ((∂L_t/∂h_t)ᵀ)."""
    nodes = path_nodes(t, k)
    return [f"{a}>{b}" for a, b in pairwise(nodes)]


def formula(t: int, k: int) -> str:
    """The term's TeX, in the four-steps page's layout: (∂L_t/∂h_t)ᵀ J_t ⋯ J_{k+1} P_k, the
    transposed gradient (a row) times the chain of Jacobians."""
    jacobians = " ".join(f"J_{j}" for j in range(t, k, -1))
    gradient = rf"\Bigl(\frac{{\partial L_{t}}}{{\partial h_{t}}}\Bigr)^{{\!\top}}"
    return f"{gradient} {jacobians} P_{k}".replace("  ", " ")


def words(t: int, k: int) -> str:
    """The path in plain text, with subscript digits: ``x₁ → h₁ → h₂ → o₂ → L₂``."""
    return " → ".join(node.replace("_", "").translate(SUBSCRIPT) for node in path_nodes(t, k))


def nodes() -> dict[str, Node]:
    out = {}
    for t in range(1, T + 1):
        for name, y in ROWS.items():
            out[f"{name}_{t}"] = Node(70 + 130 * (t - 1), y, f"{name}_{t}")
    return out


def edges() -> list[tuple[str, str]]:
    """Every edge of the graph the paths run on."""
    out = []
    for t in range(1, T + 1):
        out += [(f"x_{t}", f"h_{t}"), (f"h_{t}", f"o_{t}"), (f"o_{t}", f"L_{t}")]
        if t < T:
            out.append((f"h_{t}", f"h_{t + 1}"))
    return out


def graph(lit: set[str], *, thumbnail: bool) -> str:
    """The unrolled graph; edges in ``lit`` get the class ``is-lit``."""
    n = nodes()
    body = []
    for a, b in edges():
        name = f"{a}>{b}"
        cls = "edge is-lit" if name in lit else "edge"
        width = (14 if name in lit else 5) if thumbnail else 1.8
        head = 18 if thumbnail else 9
        body.append(arrow(n[a], n[b], cls=cls, data={"edge": name}, width=width, head=head))
    if thumbnail:
        body += [
            Node(p.x, p.y, "", r=17).svg(show_label=False, cls="node", stroke=5) for p in n.values()
        ]
        return svg_root(WIDTH, HEIGHT, "".join(body), cls="paths-thumb rnn-diagram")
    body += [
        label(78, 247, "W_{xh}", size=LABEL, anchor="start"),
        label(135, 188, "W_{hh}", size=LABEL),
        label(78, 167, "W_{hy}", size=LABEL, anchor="start"),
    ]
    body += draw_nodes(n.values(), size=20)
    title = "The network unrolled over four steps: inputs x_1 to x_4, states h_1 to h_4, "
    title += "outputs o_1 to o_4 and losses L_1 to L_4; the selected term's path is highlighted"
    return svg_root(
        WIDTH, HEIGHT, "".join(body), cls="paths-main rnn-diagram", title=title, ident="paths-main"
    )


def button(t: int, k: int) -> str:
    path = words(t, k)
    describe = f"Lit: {path}. Wₓₕ enters at step {k}; the loss is L{str(t).translate(SUBSCRIPT)}."
    return (
        f'<button type="button" class="paths-term" data-term="{t},{k}" '
        f'data-edges="{escape(" ".join(path_edges(t, k)))}" '
        f'data-describe="{escape(describe)}" aria-pressed="false">'
        f'<span class="arithmatex">\\({formula(t, k)}\\)</span>'
        f"{graph(set(path_edges(t, k)), thumbnail=True)}"
        f'<span class="paths-words">{escape(path)}</span></button>'
    )


def html() -> str:
    rows = []
    for t in range(1, T + 1):
        count = "The one path" if t == 1 else f"The {t} paths"
        buttons = "".join(button(t, k) for tt, k in terms() if tt == t)
        rows.append(
            f'<div class="paths-row" role="group" aria-labelledby="paths-row-{t}">'
            f'<p class="paths-row-label" id="paths-row-{t}">{count} into '
            f'<span class="arithmatex">\\(L_{t}\\)</span>:</p>'
            f"{buttons}</div>"
        )
    return (
        '<div class="gradient-paths" data-gradient-paths>'
        '<figure class="paths-figure">'
        f"{graph(set(), thumbnail=False)}"
        '<figcaption class="paths-status" aria-live="polite">'
        "Each term below shows its path in its own small picture.</figcaption></figure>"
        f'<div class="paths-terms">{"".join(rows)}</div></div>'
    )
