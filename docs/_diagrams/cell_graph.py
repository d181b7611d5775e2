"""What the gated-cell diagrams share: a cell drawn as named spots joined by named routes.

A spot is a node (a circle with a name, such as ``c_t``), an operation (a small circle with
``⊙`` or ``+``), a weight block (a box such as ``W_{h,i}``) or a bare point (where a line
enters or leaves the picture). A route is a forward edge ``"a>b"`` along a polyline from spot
``a`` to spot ``b``; its ends are cut back to the spots' outlines. The backward copy of a
diagram draws chosen routes again, reversed, dashed and beside the forward ones, in the
backward colour (``<g class="back">``, see ``docs/stylesheets/paths.css``). The tests read
the graph (``routes``) to check which weight blocks each backward path passes through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .svg import box, label, offset_points, route

#: How far a backward route runs beside its forward one.
BACK_OFFSET = 9


@dataclass(frozen=True)
class Spot:
    """A place in a cell diagram: ``kind`` is "node", "op", "box" or "point"."""

    x: float
    y: float
    text: str = ""
    kind: str = "node"
    r: float = 24
    width: float = 44
    height: float = 36

    def svg(self, size: float) -> str:
        if self.kind == "box":
            return box(self.x, self.y, self.width, self.height, self.text, size=size)
        if self.kind == "point":
            return ""
        circle = (
            f'<circle cx="{self.x:g}" cy="{self.y:g}" r="{self.r:g}" fill="none" '
            f'stroke="currentColor" stroke-width="1.6"/>'
        )
        return circle + label(self.x, self.y + 0.33 * size, self.text, size=size)

    def clip(self, toward: tuple[float, float]) -> tuple[float, float]:
        """Where a line from the spot's centre toward ``toward`` leaves its outline."""
        dx, dy = toward[0] - self.x, toward[1] - self.y
        length = math.hypot(dx, dy)
        if self.kind == "point" or length == 0:
            return (self.x, self.y)
        if self.kind == "box":
            scale = min(
                self.width / 2 / abs(dx) if dx else math.inf,
                self.height / 2 / abs(dy) if dy else math.inf,
            )
            return (self.x + dx * scale, self.y + dy * scale)
        return (self.x + dx / length * self.r, self.y + dy / length * self.r)


def points(spots: dict[str, Spot], name: str, via: list[tuple[float, float]]) -> list:
    """The polyline of route ``name`` ("a>b"), cut back to the outlines of a and b."""
    a, b = (spots[s] for s in name.split(">"))
    inner = [(a.x, a.y), *via, (b.x, b.y)]
    return [a.clip(inner[1]), *via, b.clip(inner[-2])]


def forward_routes(spots: dict[str, Spot], routes: dict[str, list]) -> list[str]:
    """Every forward route as an arrow with ``data-edge="a>b"``."""
    return [
        route(points(spots, name, via), cls="edge", data={"edge": name})
        for name, via in routes.items()
    ]


def backward_routes(spots: dict[str, Spot], routes: dict[str, list], names: list[str]) -> str:
    """The routes ``names`` reversed (``data-edge="b>a"``), dashed, beside the forward ones."""
    out = []
    for name in names:
        line = offset_points(points(spots, name, routes[name])[::-1], BACK_OFFSET)
        a, b = name.split(">")
        out.append(
            route(line, cls="edge-back", data={"edge": f"{b}>{a}"}, width=2.6, head=10, dash="7 4")
        )
    return "".join(out)


def backward_paths(names: list[str], start: str, end: str) -> list[list[str]]:
    """Every path of backward edges (forward routes ``names`` reversed) from ``start`` to
    ``end``, each as the list of spots it visits."""
    back: dict[str, list[str]] = {}
    for name in names:
        a, b = name.split(">")
        back.setdefault(b, []).append(a)
    paths, stack = [], [[start]]
    while stack:
        path = stack.pop()
        if path[-1] == end:
            paths.append(path)
            continue
        stack += [[*path, nxt] for nxt in back.get(path[-1], []) if nxt not in path]
    return sorted(paths)
