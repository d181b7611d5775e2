"""numcheck on the real site: every snippet runs, every shown number is what the code computes."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from numcheck import (
    ROOT,
    cached_notebook_run,
    cached_run,
    check_notebook,
    check_page,
    markdown_pages,
    notebooks,
    split_page,
)

PAGES = markdown_pages()
SNIPPET_FILES = [*PAGES, ROOT / "README.md", ROOT / "CONTRIBUTING.md"]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_number_on_the_page_is_what_the_code_computes(page: Path) -> None:
    problems = check_page(page.read_text(encoding="utf-8"), cached_run(page), _name(page))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("notebook", notebooks(), ids=_name)
def test_notebook_outputs_are_what_a_fresh_run_prints(notebook: Path) -> None:
    stored = nbformat.read(notebook, as_version=4)
    problems = check_notebook(stored, cached_notebook_run(notebook), _name(notebook))
    assert problems == [], "\n".join(problems)


def test_every_python_fence_is_collected_by_pytest_markdown_docs() -> None:
    """The plugin silently skips fences inside admonitions or tabs; count them ourselves."""
    files = [p for p in SNIPPET_FILES if p.exists()]
    expected = Counter()
    for path in files:
        for block in split_page(path.read_text(encoding="utf-8")):
            if block.kind == "python":
                expected[_name(path)] += 1
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = Counter(
        m[1] for m in re.finditer(r"^(\S+?)::\[CodeFence#\d+\]", result.stdout, re.M)
    )
    assert collected == expected, result.stdout[-2000:] + result.stderr[-2000:]
