"""The matrix-form page's merging picture: the ten paths of the four-steps page, grouped by
the z_k they pass through on their way to W_xh, merging backwards into δ_4, δ_3, δ_2, δ_1.

Path (t, k) of the double sum (`gradient_paths.terms`) runs back from L_t to z_k and leaves
there for x_k. δ_k collects the paths of group k, (k, k), (k+1, k), …, (T, k): the one that
starts at L_k (∂L_k/∂z_k) and, by the arrow from δ_{k+1}, the paths of group k + 1, each one
step longer. The sum of group k's terms is δ_k x_kᵀ.
"""

from __future__ import annotations

from html import escape

from .gradient_paths import T, terms
from .svg import Node, arrow, figure, label

WIDTH, HEIGHT = 540, 390
X0, STEP = 72, 132  # the centre of step 1's column, and the distance between columns
ROW_L, ROW_DELTA, ROW_LIST, LINE = 44, 176, 250, 26
LABEL, SMALL = 22, 19
TITLE = "The ten paths of the double sum merge backwards into delta_4, delta_3, delta_2, delta_1"
DESC = (
    "Four columns, one per step k. Dashed arrows run backwards: from each loss L_k down to "
    "delta_k, one path; and from delta_(k+1) left to delta_k, carrying every path that "
    "passed through z_(k+1) one step further back: 1 path into delta_3, 2 into delta_2, 3 into "
    "delta_1. Under each delta_k the paths it collects are listed, from L_k to L_4: four under "
    "delta_1, three under delta_2, two under delta_3, one under delta_4, ten in all. Their sum "
    "is delta_k times x_k transposed."
)


def group(k: int, n_steps: int = T) -> list[tuple[int, int]]:
    """The terms (t, k) whose path passes through z_k and leaves there for x_k, by t."""
    return sorted((t, kk) for t, kk in terms(n_steps) if kk == k)


def carried(k: int, n_steps: int = T) -> list[tuple[int, int]]:
    """The terms of group k that reach δ_k from δ_{k+1}: all but (k, k), one per path of
    group k + 1, each one step longer."""
    return [(t, kk) for t, kk in group(k, n_steps) if t > k]


def spelled(items: list[tuple[int, int]]) -> str:
    return " ".join(f"{t},{k}" for t, k in items)


def node(k: int, row: str) -> Node:
    y = ROW_L if row == "L" else ROW_DELTA
    return Node(X0 + STEP * (k - 1), y, f"L_{k}" if row == "L" else f"δ_{k}", r=24)


def back(start: Node, end: Node, paths: list[tuple[int, int]], name: str) -> str:
    """A backward arrow, thicker the more paths it carries."""
    data = {"edge": name, "terms": spelled(paths)}
    width = 1.6 + 1.4 * len(paths)
    return arrow(start, end, cls="edge-back", width=width, dash="8 4", head=12, data=data)


def column(k: int) -> list[str]:
    """Step k: the arrow from L_k, the arrow from δ_{k+1}, and the list of group k."""
    x = X0 + STEP * (k - 1)
    out = [back(node(k, "L"), node(k, "delta"), [(k, k)], f"L_{k}>δ_{k}")]
    out.append(label(x + 8, (ROW_L + ROW_DELTA) / 2 + 6, "1 path", size=SMALL, anchor="start"))
    if k < T:
        paths = carried(k)
        out.append(back(node(k + 1, "delta"), node(k, "delta"), paths, f"δ_{k + 1}>δ_{k}"))
        count = f"{len(paths)} path" + ("s" if len(paths) > 1 else "")
        out.append(label(x + STEP / 2, ROW_DELTA - 16, count, size=SMALL))
    lines = [
        label(x, ROW_LIST + LINE * i, f"L_{t} → z_{kk}", size=SMALL)
        for i, (t, kk) in enumerate(group(k))
    ]
    lines.append(label(x, ROW_LIST + LINE * T + 14, f"δ_{k} x_{k}^{{⊤}}", size=LABEL))
    out.append(
        f'<g class="merge-group" data-delta="{k}" data-terms="{escape(spelled(group(k)))}">'
        f"{''.join(lines)}</g>"
    )
    return out


def html() -> str:
    body = []
    for k in range(1, T + 1):
        body += column(k)
    body = [f'<g class="back">{"".join(body)}</g>']
    body += [node(k, row).svg(size=LABEL) for k in range(1, T + 1) for row in ("L", "delta")]
    return figure(WIDTH, HEIGHT, body, title=TITLE, desc=DESC, ident="delta-merge")
