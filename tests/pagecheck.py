"""pytest plugin: ``pytest docs/<page>.md`` checks the whole page, not only that its code runs.

pytest-markdown-docs makes one test of each python fence. Next to those, this plugin adds one
``numcheck`` test per file, which runs the file once as one Python session (:mod:`numcheck`,
cached for the whole test session) and fails on

* a pycon output that is not what the code prints,
* a pin that disagrees with its expression, or a decimal number without a pin,
* a python fence that raises, or that pytest-markdown-docs does not collect,
* in a notebook, a stored output that a fresh run does not print.

Which files: Markdown pages and notebooks under a ``docs`` folder (not in ``_*`` folders), and
other Markdown files pytest is given (README.md, CONTRIBUTING.md) that hold python or pycon
code; those are not site pages, so no hook strips pins from them and only their code is judged.

pyproject.toml loads it for every run (``-p pagecheck``), so ``pytest docs/x.md``,
``pytest docs/x.md::numcheck``, ``pytest docs/`` and plain ``pytest`` all check pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from numcheck import (
    cached_notebook_run,
    cached_run,
    check_notebook,
    check_page,
    site_file,
    split_page,
)
from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

ITEM_NAME = "numcheck"


class PageCheckError(Exception):
    """What numcheck found wrong with a file: one problem per paragraph, each naming its line."""


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".ipynb" and site_file(file_path):
        return NotebookFile.from_parent(parent, path=file_path)
    if file_path.suffix != ".md":
        return None
    if site_file(file_path):
        return PageFile.from_parent(parent, path=file_path)
    text = file_path.read_text(encoding="utf-8")
    if any(block.kind in ("python", "pycon") for block in split_page(text)):
        return SnippetFile.from_parent(parent, path=file_path)
    return None


class NumcheckItem(pytest.Item):
    """The numcheck test of one file; :meth:`problems` says what is wrong with it."""

    def problems(self) -> list[str]:
        raise NotImplementedError

    @property
    def where(self) -> str:
        """The file's path as the person running pytest would type it."""
        return os.path.relpath(self.path, self.config.invocation_params.dir)

    def runtest(self) -> None:
        problems = self.problems()
        if problems:
            raise PageCheckError("\n\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, PageCheckError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)  # a bug in the checker: show everything

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, f"{self.where}::{ITEM_NAME}"


class PageItem(NumcheckItem):
    """Run a Markdown file once and judge its text: outputs, and pins when ``pins`` is true."""

    def __init__(self, *, pins: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pins = pins

    def problems(self) -> list[str]:
        text = self.path.read_text(encoding="utf-8")
        found = check_page(text, cached_run(self.path), self.where, pins=self.pins)
        return self._uncollected_fences(text) + found

    def _uncollected_fences(self, text: str) -> list[str]:
        """Python fences that pytest-markdown-docs would not run (indented ones, for example)."""
        if not self.config.getoption("markdowndocs", False):
            return []
        collected = {
            fence.start_line + 1  # pytest-markdown-docs counts from the opening ``` line
            for fence in extract_fence_tests(
                self.config.hook.pytest_markdown_docs_markdown_it(),
                text,
                start_line_offset=0,
                source_path=self.path,
                fence_syntax=FenceSyntax(self.config.option.markdowndocs_syntax),
            )
        }
        return [
            f"{self.where}:{block.line}: pytest-markdown-docs does not run this python fence; "
            "start it in column 0 with blank lines around it (outside admonitions and tabs; "
            "a <details markdown> block is fine, see CONTRIBUTING.md)"
            for block in split_page(text)
            if block.kind == "python" and block.line not in collected
        ]


class PageFile(pytest.File):
    """A page of the site: its code, its outputs and every number in its text."""

    def collect(self):
        yield PageItem.from_parent(self, name=ITEM_NAME, pins=True)


class SnippetFile(pytest.File):
    """A Markdown file outside the site (README.md): its code and outputs, not its prose."""

    def collect(self):
        yield PageItem.from_parent(self, name=ITEM_NAME, pins=False)


class NotebookItem(NumcheckItem):
    """Re-run a notebook from a clean kernel and compare every stored text output."""

    def problems(self) -> list[str]:
        text = self.path.read_text(encoding="utf-8")
        stored = nbformat.reads(text, as_version=4)
        return check_notebook(stored, cached_notebook_run(self.path), self.where, text)


class NotebookFile(pytest.File):
    """A notebook page of the site."""

    def collect(self):
        yield NotebookItem.from_parent(self, name=ITEM_NAME)
