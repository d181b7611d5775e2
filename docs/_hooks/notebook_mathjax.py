"""MkDocs hook: drop the MathJax 2 block that mkdocs-jupyter puts into every notebook page.

mkdocs-jupyter 0.26.3 renders notebooks with nbconvert's ``mathjax()`` macro, which emits a
``<script src="…">`` for MathJax 2 (empty here, ``custom_mathjax_url`` defaults to ``""``) and a
``text/x-mathjax-config`` script calling ``MathJax.Hub.Config``. The site runs no MathJax in the
browser (``prerender_math.py`` typesets the notebook's ``.jp-RenderedMarkdown`` cells at build
time), so there is no ``MathJax.Hub``: under instant navigation Material re-runs the block and it
throws ``Cannot read properties of undefined (reading 'Config')``. The plugin has no option to
leave the block out, so this hook removes it from the page content, between the two HTML
comments the macro writes around it.
"""

from __future__ import annotations

import re

from mkdocs.structure.pages import Page

MATHJAX2_BLOCK = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", flags=re.DOTALL
)


def on_page_content(html: str, page: Page, **kwargs: object) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    return MATHJAX2_BLOCK.sub("", html)
