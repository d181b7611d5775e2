"""Small SVG drawing helpers shared by the diagrams: nodes, arrows and math-like labels.

Everything is drawn in ``currentColor``, so a diagram inlined in a page takes the text colour
of the theme; the stylesheet ``docs/stylesheets/paths.css`` colours classes such as
``edge-back`` (the backward pass) and ``is-lit`` (a highlighted path).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

#: A label is plain text with TeX-like ``_{…}`` and ``^{…}`` (or ``_x``, ``^x``) for indices.
_SCRIPT = re.compile(r"([_^])(\{[^}]*\}|.)")
#: Runs of letters (any alphabet: δ, ŷ, ñ) and runs of everything else.
_TOKEN = re.compile(r"[^\W\d_]+|[\W\d_]+")
#: Sub- and superscripts are set at this fraction of their label's size.
SCRIPT = 0.8


def fmt(value: float) -> str:
    """A coordinate as short text: ``12``, ``12.5``."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _runs(text: str, *, script: bool = False) -> str:
    """tspans for ``text`` at one level, as TeX sets math: a single letter (a variable: h, δ,
    ñ) in italic, a word (tanh, diag, of) upright; in a script, two letters are two variables
    (the hy of W_{hy}) and italic too."""
    out = []
    for token in _TOKEN.findall(text):
        italic = token.isalpha() and len(token) <= (2 if script else 1)
        style = ' font-style="italic"' if italic else ""
        out.append(f"<tspan{style}>{escape(token)}</tspan>")
    return "".join(out)


def label(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 20,
    anchor: str = "middle",
    cls: str = "",
) -> str:
    """``text`` at (x, y) with sub- and superscripts, e.g. ``W_{hy}^{⊤}(ŷ_2 − y_2)``."""
    runs, last = [], 0  # (text, level): 0 baseline, -1 subscript, +1 superscript
    for match in _SCRIPT.finditer(text):
        if match.start() > last:
            runs.append((text[last : match.start()], 0))
        runs.append((match.group(2).strip("{}"), -1 if match.group(1) == "_" else 1))
        last = match.end()
    if last < len(text):
        runs.append((text[last:], 0))
    parts, shift, dx, previous = [], 0.0, 0.0, (0, "")
    for body, level in runs:
        target = {0: 0.0, -1: 0.3 * size, 1: -0.4 * size}[level]
        width = 0.42 * SCRIPT * size * len(body)  # a script's width, roughly
        if level == 1 and previous[0] == -1:  # W_{hy}^{⊤}: the ⊤ above the hy, as in TeX
            sub_width = 0.42 * SCRIPT * size * len(previous[1])
            dx, after = -sub_width, max(sub_width - width, 0.0)
        else:
            after = 0.0
        attrs = f' dy="{fmt(target - shift)}"' if target != shift else ""
        attrs += f' dx="{fmt(dx)}"' if dx else ""
        if level:
            attrs += f' font-size="{fmt(SCRIPT * size)}"'
        parts.append(f"<tspan{attrs}>{_runs(body, script=bool(level))}</tspan>")
        shift, dx, previous = target, after, (level, body)
    attrs = f'x="{fmt(x)}" y="{fmt(y)}" font-size="{fmt(size)}" text-anchor="{anchor}"'
    css = f' class="{cls}"' if cls else ""
    return f'<text {attrs}{css} fill="currentColor">{"".join(parts)}</text>'


@dataclass(frozen=True)
class Node:
    """A circle with a label such as ``h_2``, centred at (x, y)."""

    x: float
    y: float
    text: str
    r: float = 21

    def svg(
        self, *, size: float = 20, show_label: bool = True, cls: str = "node", stroke: float = 1.6
    ) -> str:
        circle = (
            f'<circle class="{cls}" cx="{fmt(self.x)}" cy="{fmt(self.y)}" r="{fmt(self.r)}" '
            f'fill="none" stroke="currentColor" stroke-width="{fmt(stroke)}"/>'
        )
        if not show_label:
            return circle
        return circle + label(self.x, self.y + 0.33 * size, self.text, size=size)


def arrow(
    start: Node,
    end: Node,
    *,
    cls: str = "edge",
    offset: float = 0.0,
    data: dict[str, str] | None = None,
    width: float = 1.6,
    head: float = 9.0,
    dash: str | None = None,
) -> str:
    """An arrow from ``start`` to ``end``, both ends on the circles, as ``<g>`` of a line and
    a filled head (no SVG markers, so the head takes the colour of its group). ``offset``
    shifts it sideways (to the left of its direction, in SVG's y-down frame), to draw a
    backward arrow beside a forward one."""
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    nx, ny = uy * offset, -ux * offset
    x1, y1 = start.x + ux * start.r + nx, start.y + uy * start.r + ny
    x2, y2 = end.x - ux * (end.r + 1) + nx, end.y - uy * (end.r + 1) + ny
    base_x, base_y = x2 - ux * head * 1.4, y2 - uy * head * 1.4
    left = (base_x + uy * head * 0.6, base_y - ux * head * 0.6)
    right = (base_x - uy * head * 0.6, base_y + ux * head * 0.6)
    attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in (data or {}).items())
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<g class="{cls}"{attrs}>'
        f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(base_x)}" y2="{fmt(base_y)}" '
        f'stroke="currentColor" stroke-width="{fmt(width)}"{dashes}/>'
        f'<path d="M{fmt(x2)},{fmt(y2)} L{fmt(left[0])},{fmt(left[1])} '
        f'L{fmt(right[0])},{fmt(right[1])} z" fill="currentColor"/></g>'
    )


def svg_root(
    width: float,
    height: float,
    body: str,
    *,
    cls: str,
    title: str | None = None,
    desc: str | None = None,
    ident: str | None = None,
) -> str:
    """An ``<svg>`` element; with ``title`` an image with a name (and ``desc``), else hidden
    from assistive technology (a decoration whose meaning is given in text beside it)."""
    box = f'viewBox="0 0 {fmt(width)} {fmt(height)}"'
    head = f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" {box} font-family="serif"'
    if title is None:
        return f'{head} aria-hidden="true" focusable="false">{body}</svg>'
    labelled = f"{ident}-title" + (f" {ident}-desc" if desc else "")
    text = f'<title id="{ident}-title">{escape(title)}</title>'
    if desc:
        text += f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    return f'{head} role="img" aria-labelledby="{labelled}">{text}{body}</svg>'


def figure(
    width: float, height: float, body: list[str], *, title: str, desc: str, ident: str
) -> str:
    """A page's figure (class ``rnn-figure``): an image named by ``title`` and ``desc``."""
    return svg_root(
        width,
        height,
        "".join(body),
        cls="rnn-figure rnn-diagram",
        title=title,
        desc=desc,
        ident=ident,
    )


def draw_nodes(nodes: Iterable[Node], *, size: float) -> list[str]:
    """Every node with its label; hidden states (``h_…``) get the stylesheet's ``rnn-hidden``."""
    return [
        p.svg(size=size, cls="node rnn-hidden" if p.text.startswith("h") else "node") for p in nodes
    ]


def back_arrow(start: Node, end: Node, *, offset: float = -14, data: dict | None = None) -> str:
    """A backward-pass arrow: thicker, dashed, beside the forward one (``offset``); put it in
    a ``<g class="back">`` so the stylesheet gives it the backward colour."""
    return arrow(
        start, end, cls="edge-back", offset=offset, width=2.8, dash="8 4", head=11, data=data
    )


def legend(y: float, x: float, back_text: str, *, size: float, gap: float) -> str:
    """One row: a solid arrow "forward pass", then a dashed one with ``back_text``."""
    start, end = Node(x + gap, y, "", r=0), Node(x + gap + 48, y, "", r=0)
    return (
        arrow(Node(x, y, "", r=0), Node(x + 48, y, "", r=0), cls="edge")
        + label(x + 56, y + 0.3 * size, "forward pass", size=size, anchor="start")
        + f'<g class="back">{back_arrow(start, end, offset=0)}'
        + label(x + gap + 56, y + 0.3 * size, back_text, size=size, anchor="start")
        + "</g>"
    )


def offset_points(points: list[tuple[float, float]], offset: float) -> list[tuple[float, float]]:
    """``points`` shifted sideways by ``offset`` (to the left of the direction of travel, in
    SVG's y-down frame, as :func:`arrow` does), corners mitred so the segments stay parallel."""
    from itertools import pairwise

    normals = []
    for (x1, y1), (x2, y2) in pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        normals.append(((y2 - y1) / length, -(x2 - x1) / length))
    out = []
    for i, (x, y) in enumerate(points):
        a, b = normals[max(i - 1, 0)], normals[min(i, len(normals) - 1)]
        scale = offset / (1 + a[0] * b[0] + a[1] * b[1])
        out.append((x + (a[0] + b[0]) * scale, y + (a[1] + b[1]) * scale))
    return out


def route(
    points: list[tuple[float, float]],
    *,
    cls: str = "edge",
    data: dict[str, str] | None = None,
    width: float = 1.6,
    head: float = 9.0,
    dash: str | None = None,
) -> str:
    """An arrow along a polyline through ``points`` (already clear of the nodes it joins), as
    ``<g>`` of a path and a filled head at the last point, like :func:`arrow`."""
    (xa, ya), (x2, y2) = points[-2], points[-1]
    length = math.hypot(x2 - xa, y2 - ya)
    ux, uy = (x2 - xa) / length, (y2 - ya) / length
    base_x, base_y = x2 - ux * head * 1.4, y2 - uy * head * 1.4
    left = (base_x + uy * head * 0.6, base_y - ux * head * 0.6)
    right = (base_x - uy * head * 0.6, base_y + ux * head * 0.6)
    line = [*points[:-1], (base_x, base_y)]
    d = "M" + " L".join(f"{fmt(x)},{fmt(y)}" for x, y in line)
    attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in (data or {}).items())
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<g class="{cls}"{attrs}>'
        f'<path d="{d}" fill="none" stroke="currentColor" stroke-width="{fmt(width)}"{dashes}/>'
        f'<path d="M{fmt(x2)},{fmt(y2)} L{fmt(left[0])},{fmt(left[1])} '
        f'L{fmt(right[0])},{fmt(right[1])} z" fill="currentColor"/></g>'
    )


def box(x: float, y: float, width: float, height: float, text: str, *, size: float) -> str:
    """A rectangle centred at (x, y) with ``text`` (e.g. a weight block ``W_{h,i}``) inside."""
    rect = (
        f'<rect x="{fmt(x - width / 2)}" y="{fmt(y - height / 2)}" width="{fmt(width)}" '
        f'height="{fmt(height)}" rx="3" fill="none" stroke="currentColor" stroke-width="1.6"/>'
    )
    return rect + label(x, y + 0.33 * size, text, size=size)
