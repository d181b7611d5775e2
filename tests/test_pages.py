"""What pytest collects from the site: every page is checked by numcheck, every fence is run.

The pages themselves are checked by the ``numcheck`` test that the plugin ``pagecheck`` adds to
each of them (``pytest docs/<page>.md``); this file only makes sure that nothing is left out.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from numcheck import ROOT, markdown_pages, notebooks, split_page

PAGES = markdown_pages()
SNIPPET_FILES = [*PAGES, ROOT / "README.md", ROOT / "CONTRIBUTING.md"]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_pytest_collects_numcheck_for_every_page_and_every_python_fence() -> None:
    """Plain ``pytest`` checks every page and notebook with numcheck, and pytest-markdown-docs
    runs every python fence (it silently skips indented ones, so we count them ourselves)."""
    files = [p for p in [*SNIPPET_FILES, *notebooks()] if p.exists()]
    fences = Counter()
    for path in files:
        if path.suffix == ".md":
            for block in split_page(path.read_text(encoding="utf-8")):
                if block.kind == "python":
                    fences[_name(path)] += 1
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout[-3000:] + result.stderr[-3000:]
    collected = Counter(
        m[1] for m in re.finditer(r"^(\S+?)::\[CodeFence#\d+\]", result.stdout, re.M)
    )
    checked = set(re.findall(r"^(\S+?)::numcheck$", result.stdout, re.M))
    assert collected == fences, output
    assert checked >= {_name(p) for p in [*PAGES, *notebooks()]}, output
    assert "README.md" in checked, output
