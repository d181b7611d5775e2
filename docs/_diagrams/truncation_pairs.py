"""The truncated-BPTT page's picture: the pairs (t, k) of the double sum each truncation keeps.

Row t is the loss L_t, column k the step whose weights the term differentiates (k ≤ t). Full
BPTT keeps every pair below the diagonal; per-output truncation keeps t − k < K; chunked
truncation keeps the pairs whose t and k lie in the same chunk of K steps. Drawn for the
page's example, T = 10 and K = 3. ``tests/test_figures.py`` compares the drawn cells with the
steps the package's backward pass runs for each output.
"""

from __future__ import annotations

from .svg import fmt, label, svg_root

T, K = 10, 3
KINDS = {"truncate": "per output: t − k < 3", "chunk": "chunked: K = 3 steps"}
CELL, FONT = 23, 22  # cell side; labels at least 12 px, scripts 9.5 px at a 390 px phone
LEFT, TOP, GAP = 64, 96, 44
PANEL = LEFT + T * CELL
WIDTH, HEIGHT = 2 * PANEL + GAP + 10, TOP + T * CELL + 70
TITLE = "Which pairs (t, k) of the double sum each truncation keeps, for T = 10 and K = 3"
DESC = (
    "Two grids of 10 by 10 cells; row t is the loss L_t, column k the step k, and only cells "
    "with k at most t are drawn. Filled cells are the terms that are kept, outlined ones those "
    "that are dropped. Left, per-output truncation: each row keeps its last 3 steps, a band "
    "of width 3 along the diagonal, 27 of the 55 pairs. Right, chunks of 3 steps (1–3, 4–6, "
    "7–9, 10): each row keeps the steps of its own chunk from the chunk's start, triangles on "
    "the diagonal, 19 of the 55 pairs."
)


def kept(kind: str, t: int, k: int, window: int = K) -> bool:
    """Whether truncation ``kind`` keeps the term (t, k), 1 ≤ k ≤ t."""
    if kind == "truncate":
        return t - k < window
    return (t - 1) // window == (k - 1) // window


def kept_pairs(kind: str, n_steps: int = T, window: int = K) -> set[tuple[int, int]]:
    return {
        (t, k) for t in range(1, n_steps + 1) for k in range(1, t + 1) if kept(kind, t, k, window)
    }


def panel(kind: str, x0: float) -> str:
    keep, drop = [], []
    for t in range(1, T + 1):
        for k in range(1, t + 1):
            x, y = x0 + LEFT + (k - 1) * CELL, TOP + (t - 1) * CELL
            cell = (
                f'<rect data-pair="{t},{k}" x="{fmt(x + 1.5)}" y="{fmt(y + 1.5)}" '
                f'width="{fmt(CELL - 3)}" height="{fmt(CELL - 3)}"'
            )
            if kept(kind, t, k):
                keep.append(f'{cell} class="kept" fill="currentColor"/>')
            else:
                drop.append(f'{cell} class="dropped" fill="none" stroke="currentColor"/>')
    numbers = [
        label(x0 + LEFT - 8, TOP + (t - 0.5) * CELL + 7, str(t), size=FONT, anchor="end")
        for t in range(1, T + 1)
        if t % K == 1  # 1, 4, 7, 10: where the chunks start
    ]
    numbers += [
        label(x0 + LEFT + (k - 0.5) * CELL, TOP - 8, str(k), size=FONT)
        for k in range(1, T + 1)
        if k % K == 1
    ]
    row_axis = TOP + T * CELL / 2  # the rows' name, turned, left of their numbers
    return (
        label(x0 + PANEL / 2 + LEFT / 2, 28, KINDS[kind], size=FONT)
        + label(x0 + LEFT + T * CELL / 2, TOP - 36, "step k", size=FONT)
        + f'<g transform="rotate(-90 {fmt(x0 + 20)} {fmt(row_axis)})">'
        + label(x0 + 20, row_axis, "row t: loss L_t", size=FONT)
        + "</g>"
        + "".join(numbers)
        + f'<g class="back">{"".join(keep)}</g>'
        + "".join(drop)
    )


def html() -> str:
    y = TOP + T * CELL + 40
    key = (
        f'<g class="back"><rect x="10" y="{fmt(y - 16)}" width="20" height="20" '
        f'fill="currentColor"/></g>'
        + label(38, y, "kept", size=FONT, anchor="start")
        + f'<rect x="110" y="{fmt(y - 16)}" width="20" height="20" fill="none" '
        f'stroke="currentColor"/>' + label(138, y, "dropped", size=FONT, anchor="start")
    )
    body = panel("truncate", 0) + panel("chunk", PANEL + GAP) + key
    return svg_root(
        WIDTH,
        HEIGHT,
        body,
        cls="rnn-figure rnn-diagram",
        title=TITLE,
        desc=DESC,
        ident="truncation-pairs",
    )
