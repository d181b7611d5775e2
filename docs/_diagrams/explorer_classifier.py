"""The classifier explorer's live graph (docs/explorer.md): every step scored by softmax."""

from __future__ import annotations

from .explorer_graph import html_graph


def html() -> str:
    return html_graph("cx-graph", outputs=2, scored=(1, 2, 3), output_name="softmax")
