"""The toy explorer's live graph (docs/explorer.md): one output, ŷ = o_3, scored at step 3."""

from __future__ import annotations

from .explorer_graph import html_graph


def html() -> str:
    return html_graph("tx-graph", outputs=1, scored=(3,), output_name="")
