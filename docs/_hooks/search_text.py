"""MkDocs hook: keep a page's set-up code out of Material's search index.

A Python block (or notebook cell) that starts by importing is a page's set-up
(``import numpy as np``, ``from rnn_derivatives import …``), as is a collapsed
``<details class="setup">`` helper. Both get Material's ``data-search-exclude`` attribute (the
search plugin skips such elements and then removes the attribute from the page), so a result's
excerpt starts at the lesson's text instead of its imports. Blocks with ``>>>`` prompts, the
worked examples, stay in the index.
"""

from __future__ import annotations

import ast
import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

#: A code block as Pygments renders it: in a page (python and pycon alike) and in a notebook's
#: code cell (mkdocs-jupyter's ``highlight-ipynb``).
CODE_BLOCK = re.compile(
    r'<div class="highlight(?:-ipynb hl-python)?">(?P<body>.*?)</div>', re.DOTALL
)
SETUP_DETAILS = '<details class="setup"'
EXCLUDE = ' data-search-exclude="setup"'


def starts_with_import(block_html: str) -> bool:
    """Whether a rendered code block is set-up: Python without ``>>>`` prompts whose first
    statement is an import (or a ``try`` that starts with one)."""
    if 'class="gp"' in block_html:  # Pygments' prompt token: a pycon example
        return False
    code = html.unescape(re.sub(r"<[^>]+>", "", block_html))
    code = re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.M)  # IPython's %pip, !ls
    try:
        first = next(iter(ast.parse(code).body), None)
    except SyntaxError:
        return False
    if isinstance(first, ast.Try):  # the notebooks' "import it, or install it" cell
        first = first.body[0]
    return isinstance(first, ast.Import | ast.ImportFrom)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def mark_setup(match: re.Match) -> str:
        if not starts_with_import(match["body"]):
            return match[0]
        return match[0].replace(">", f"{EXCLUDE}>", 1)

    html_text = html_text.replace(SETUP_DETAILS, SETUP_DETAILS + EXCLUDE)
    return CODE_BLOCK.sub(mark_setup, html_text)
