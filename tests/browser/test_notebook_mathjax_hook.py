"""docs/_hooks/notebook_mathjax.py removes nbconvert's MathJax 2 block from notebook pages.

Left in, the block throws ``Cannot read properties of undefined (reading 'Config')`` when
instant navigation brings a notebook page in (the browser tests catch that too, but only on
the path they happen to walk).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType, SimpleNamespace

import jinja2
from jupyter_core.paths import jupyter_path
from load_module import load_module
from siteserver import Site

ROOT = Path(__file__).resolve().parents[2]


def load_hook() -> ModuleType:
    return load_module(ROOT / "docs" / "_hooks" / "notebook_mathjax.py", "notebook_mathjax_hook")


def mathjax2_block() -> str:
    """What nbconvert's ``mathjax()`` macro writes with mkdocs-jupyter's default URL ("")."""
    loader = jinja2.FileSystemLoader(jupyter_path("nbconvert", "templates"))
    macro = '{% from "base/mathjax.html.j2" import mathjax %}{{ mathjax("") }}'
    return jinja2.Environment(loader=loader).from_string(macro).render()


def page(src_uri: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def test_the_hook_removes_the_block_from_notebook_pages_only() -> None:
    hook = load_hook()
    block = mathjax2_block()
    assert "MathJax.Hub.Config" in block
    html = f"<p>before</p>{block}<p>after</p>"

    cleaned = hook.on_page_content(html, page=page("notebooks/walkthrough.ipynb"))

    assert "MathJax" not in cleaned and "<script" not in cleaned
    assert cleaned.replace("\n", "").replace(" ", "") == "<p>before</p><p>after</p>"
    assert hook.on_page_content(html, page=page("forward.md")) == html


def test_no_built_page_configures_mathjax_2(site: Site) -> None:
    pages = [rel for rel in site.pages if "MathJax.Hub" in site.html(rel)]
    assert not pages
