"""Fenced code blocks as the site reads them: one reader for the build and for the tests.

Not a hook of its own: ``notebooks.py`` (which turns each page's code into a notebook) and the
tests' ``numcheck`` (which runs each page's code) load this file, so that both find the same
fences, at any indentation (inside admonitions and tabs too), with the same languages.
"""

from __future__ import annotations

import re
from typing import NamedTuple

PYTHON_LANGS = ("python", "py", "python3")
PYCON_LANGS = ("pycon",)

_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})\s*(?P<info>[^`]*)$")


class Fence(NamedTuple):
    """One fenced block: ``kind`` is ``python``, ``pycon`` or ``code`` (any other language)."""

    kind: str
    lang: str
    indent: str  # the opening fence's indentation, removed from every line of the body
    body: list[str]
    end: int  # index of the first line after the closing fence


def fence_lang(info: str) -> str:
    """The language of a fence info string: ``python`` for both ``python`` and ``{.python x}``."""
    words = info.strip().strip("{}").split()
    return words[0].lstrip(".").lower() if words else ""


def read_fence(lines: list[str], i: int) -> Fence | None:
    """The fence that opens at ``lines[i]``, or None when that line opens none.

    The fence closes at the first line of at least as many of the same marks (or at the end of
    the text); its body is dedented by the opening fence's indentation.
    """
    opening = _OPENING.match(lines[i])
    if not opening:
        return None
    indent, ticks = opening["indent"], opening["ticks"]
    closing = re.compile(rf"^[ \t]*{re.escape(ticks[0])}{{{len(ticks)},}}\s*$")
    body, j = [], i + 1
    while j < len(lines) and not closing.match(lines[j]):
        body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
        j += 1
    lang = fence_lang(opening["info"])
    kind = "python" if lang in PYTHON_LANGS else "pycon" if lang in PYCON_LANGS else "code"
    return Fence(kind, lang, indent, body, j + 1)
