"""MkDocs hook: serve MathJax 3 from our own build instead of a CDN.

The files come from the installed ``mathjax`` package (PyPI: django-static-mathjax) and are
added to the site under ``assets/mathjax/`` in the layout MathJax expects, so the fonts and
the TeX extensions it autoloads (``\\boldsymbol``, ``\\cancel``, …) resolve next to
``tex-chtml.js``. Works for ``mkdocs build`` and ``mkdocs serve`` alike.
``javascripts/mathjax-config.js`` loads ``tex-chtml.js`` on the first page shown that has math.
"""

from __future__ import annotations

from pathlib import Path

import mathjax
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ES5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
TARGET = "assets/mathjax"
#: The entry script, the CommonHTML fonts and the TeX extensions MathJax autoloads.
PARTS = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions")


def mathjax_sources() -> list[Path]:
    """Every file of MathJax the site needs, as paths in the installed package."""
    files: list[Path] = []
    for part in PARTS:
        path = ES5 / part
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for source in mathjax_sources():
        uri = f"{TARGET}/{source.relative_to(ES5).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    return files
