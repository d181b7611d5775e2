"""Load a Python file that is not installed (a MkDocs hook, a benchmark script, a diagram) as a
module, so that tests can call its functions."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_module(path: Path, name: str) -> ModuleType:
    """Execute the file at ``path`` as a fresh module called ``name`` and return it.

    The module is in ``sys.modules`` while it runs, as an import would put it (dataclasses
    look their module up there). A dotted ``name`` (``_diagrams.svg``) is a module of the
    package in ``path``'s folder: the package is loaded from that folder first, unless
    ``sys.modules`` already has it from there, so that the module's relative imports
    (``from .svg import …``) find their siblings. ``sys.path`` is left alone.
    """
    parent, _, _ = name.rpartition(".")
    folder = str(Path(path).resolve().parent)
    if parent and folder not in getattr(sys.modules.get(parent), "__path__", ()):
        load_package(Path(folder), parent)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_package(folder: Path, name: str) -> ModuleType:
    """Execute ``folder/__init__.py`` as a fresh package ``name``, its modules in ``folder``."""
    spec = importlib.util.spec_from_file_location(
        name, Path(folder) / "__init__.py", submodule_search_locations=[str(folder)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return package
