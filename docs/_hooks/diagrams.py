"""MkDocs hook: draw the site's diagrams (inline SVG and HTML) from code at every build.

A page asks for a diagram with a line holding only an HTML comment, ``<!-- diagram: name -->``;
this hook replaces it, before the Markdown is converted, with ``html()`` of the module
``docs/_diagrams/<name>.py``. The output is raw HTML, so Python-Markdown leaves it alone
(math inside it is already wrapped the way ``pymdownx.arithmatex`` wraps it). An unknown name
fails the build. ``tests/test_figures.py`` checks what each diagram draws.

The diagrams are loaded from their files afresh for every page that shows one, so an edit
shows on the next rebuild of ``mkdocs serve``: ``docs/_diagrams`` is executed as a new package
(:func:`diagram_package`) whose modules import each other relatively (``from .svg import …``),
without ``sys.path`` being changed; the package loaded before is dropped from ``sys.modules``.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

FOLDER = "_diagrams"
#: The name the package of diagrams is loaded under (never imported by that name from a path).
PACKAGE = "site_diagrams"
MARKER = re.compile(r"^<!-- diagram: (?P<name>[a-z_]+) -->$", re.M)


def diagram_package(docs_dir: str | Path) -> ModuleType:
    """``<docs_dir>/_diagrams`` executed afresh as the package :data:`PACKAGE`.

    Its submodules are imported from the folder by the package's ``__path__``; what an earlier
    call loaded (the package and every submodule) is removed from ``sys.modules`` first.
    """
    folder = Path(docs_dir).resolve() / FOLDER
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package  # where its submodules (and dataclasses) look it up
    spec.loader.exec_module(package)
    return package


def diagram_module(
    docs_dir: str | Path, name: str, package: ModuleType | None = None
) -> ModuleType:
    """``docs/_diagrams/<name>.py``, from ``package`` or else from a freshly loaded one."""
    if not (Path(docs_dir) / FOLDER / f"{name}.py").is_file():
        raise PluginError(f"diagram {name!r}: docs/{FOLDER}/{name}.py does not exist")
    package = package or diagram_package(docs_dir)
    return importlib.import_module(f"{package.__name__}.{name}")


def render(markdown: str, docs_dir: str | Path) -> str:
    """``markdown`` with every diagram marker replaced by the diagram's HTML.

    The diagrams come from one package loaded for this call (none if there is no marker).
    """
    if MARKER.search(markdown) is None:
        return markdown
    package = diagram_package(docs_dir)
    return MARKER.sub(lambda m: diagram_module(docs_dir, m["name"], package).html(), markdown)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return render(markdown, config["docs_dir"])
