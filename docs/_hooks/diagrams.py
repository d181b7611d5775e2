"""MkDocs hook: draw the site's diagrams (inline SVG and HTML) from code at every build.

A page asks for a diagram with a line holding only an HTML comment, ``<!-- diagram: name -->``;
this hook replaces it, before the Markdown is converted, with ``html()`` of the module
``docs/_diagrams/<name>.py``. The output is raw HTML, so Python-Markdown leaves it alone
(math inside it is already wrapped the way ``pymdownx.arithmatex`` wraps it). An unknown name
fails the build. ``tests/test_figures.py`` checks what each diagram draws.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from types import ModuleType

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

PACKAGE = "_diagrams"
MARKER = re.compile(r"^<!-- diagram: (?P<name>[a-z_]+) -->$", re.M)


def diagram_module(docs_dir: str | Path, name: str) -> ModuleType:
    """``docs/_diagrams/<name>.py`` imported as ``_diagrams.<name>``."""
    folder = str(Path(docs_dir).resolve())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    if not (Path(folder) / PACKAGE / f"{name}.py").is_file():
        raise PluginError(f"diagram {name!r}: docs/{PACKAGE}/{name}.py does not exist")
    return importlib.import_module(f"{PACKAGE}.{name}")


def render(markdown: str, docs_dir: str | Path) -> str:
    """``markdown`` with every diagram marker replaced by the diagram's HTML."""
    return MARKER.sub(lambda m: diagram_module(docs_dir, m["name"]).html(), markdown)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return render(markdown, config["docs_dir"])
