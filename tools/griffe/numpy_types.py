"""Griffe extension: show a NumPy docstring's type text as written.

Griffe reads the type after ``name :`` as a Python expression when it can, so
``array_like, shape (H,)`` becomes the tuple ``(array_like, shape(H))``: brackets the
reader never wrote, the space lost, and ``(H,)`` turned into ``(H)``. The API reference
(``docs/reference.md``) wants the words of the docstring. This extension parses each
docstring a second time without its parent object, where griffe keeps every type as the
written string, and keeps a type's expression only where it prints as written (with a
tuple's brackets left off: ``RNNParams, LSTMParams or GRUParams``), since its names link to
their entries; any other type becomes the written string. Defaults and types taken from the
signature are untouched.

Loaded by ``mkdocs.yml`` (``plugins.mkdocstrings.handlers.python.options.extensions``).
"""

from __future__ import annotations

from typing import Any

import griffe


class NumpyTypesAsWritten(griffe.Extension):
    """Show docstring types as written, not as re-printed Python expressions."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is None:
            return
        as_written = griffe.Docstring(
            docstring.value,
            lineno=docstring.lineno,
            parser=docstring.parser,
            parser_options={**docstring.parser_options, "warnings": False},
        ).parse()
        for section, written in zip(docstring.parsed, as_written, strict=True):
            if not isinstance(section.value, list):
                continue
            for item, text in zip(section.value, written.value, strict=True):
                annotation = getattr(item, "annotation", None)
                if isinstance(annotation, griffe.Expr) and isinstance(text.annotation, str):
                    item.annotation = _as_written(annotation, text.annotation)


def _as_written(annotation: griffe.Expr, text: str) -> griffe.Expr | str:
    """``annotation`` if it prints as ``text`` (a tuple without its brackets), else ``text``."""
    if isinstance(annotation, griffe.ExprTuple):
        annotation = griffe.ExprTuple(annotation.elements, implicit=True)
    return annotation if str(annotation) == text else text
