"""Load a Python file that is not part of a package (a MkDocs hook, a benchmark script, a
diagram) as a module, so that tests can call its functions."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_module(path: Path, name: str) -> ModuleType:
    """Execute the file at ``path`` as a fresh module called ``name`` and return it.

    The module is in ``sys.modules`` while it runs, as an import would put it (dataclasses
    look their module up there).
    """
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
