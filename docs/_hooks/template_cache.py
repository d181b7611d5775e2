"""MkDocs hook: keep compiled Jinja templates between builds, so `mkdocs serve` rebuilds fast.

Every build (every rebuild of ``mkdocs serve`` too) makes new Jinja environments for the theme
and for mkdocstrings' Python handler, and so compiles about 80 templates again: a quarter of a
rebuild's time. Jinja's ``FileSystemBytecodeCache`` keeps the compiled code in
``.cache/jinja/``; a template whose source changed (a new Material, an edited override) is
compiled afresh, since the cache is keyed by the template's name and checked against its
source.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

CACHE_DIR = Path(__file__).resolve().parents[2] / ".cache" / "jinja"


def cache() -> FileSystemBytecodeCache:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(CACHE_DIR))


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.bytecode_cache = cache()
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None:
        mkdocstrings.handlers.get_handler("python").env.bytecode_cache = cache()
    return env
