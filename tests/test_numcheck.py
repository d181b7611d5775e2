"""Tests of numcheck itself: it accepts what is right and rejects any changed digit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from numcheck import (
    DOCS,
    ROOT,
    Block,
    PageRun,
    cached_notebook_run,
    cached_run,
    check_notebook,
    check_page,
    check_prose,
    markdown_pages,
    notebook_mutations,
    notebooks,
    number_matches,
    outputs_match,
    page_mutations,
    prose_numbers,
    run_page,
    split_page,
)

SAMPLE = """# A page

The output is 5.9972{=y_hat} and the error $2.5 \\times 10^{-3}{=err}$; `0.25` is code.

```python
import math
```

!!! note
    ```pycon
    >>> y_hat = 5.99720442
    >>> err = 0.0025
    >>> print(f"{y_hat:.4f}", round(math.pi, 2), (3, 1))
    5.9972 3.14 (3, 1)
    ```
"""


def _run_sample(tmp_path: Path, text: str = SAMPLE) -> PageRun:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return run_page(page)


@pytest.mark.parametrize(
    ("written", "value", "ok"),
    [
        ("5.9972", 5.99720442, True),
        ("5.9973", 5.99720442, False),
        ("5.9971", 5.99720442, False),
        ("-1.0014", -1.00139759, True),
        ("1.0014", -1.00139759, False),
        ("2.8e-10", 2.804e-10, True),
        ("2.8e-11", 2.804e-10, False),
        ("2.8 \\times 10^{-10}", 2.804e-10, True),
        ("3", 3.4, False),
        ("3", 3.0, True),
    ],
)
def test_number_matches_at_the_written_precision(written: str, value: float, ok: bool) -> None:
    assert number_matches(written, value) is ok


def test_outputs_match_compares_text_and_numbers() -> None:
    assert outputs_match("[0.3799 0.1974]\n", "[0.37994896 0.19737532]\n")
    assert outputs_match("a   =  1.50\n", "a = 1.5")
    assert not outputs_match("[0.3799 0.1975]", "[0.37994896 0.19737532]")
    assert not outputs_match("b = 1.5", "a = 1.5")
    assert not outputs_match("[1. 2.]", "[1. 2. 3.]")


def test_split_page_finds_indented_fences() -> None:
    kinds = [(b.kind, b.indented) for b in split_page(SAMPLE)]
    assert ("python", False) in kinds
    assert ("pycon", True) in kinds


def test_prose_numbers_skip_inline_code_and_links() -> None:
    text = "See `1.25` and [v](https://x.org/1.5) but 0.75{=a}."
    assert [m["num"] for m in prose_numbers(text)] == ["0.75"]


def test_front_matter_is_not_prose() -> None:
    blocks = split_page("---\nsearch:\n  boost: 0.5\n---\n\n# A page\n\nText 0.25{=a}.\n")
    assert [(b.kind, b.line) for b in blocks] == [("code", 2), ("prose", 5)]
    assert "0.5" not in blocks[1].text


def test_prose_numbers_take_pinned_integers_but_not_structure() -> None:
    text = r"With $T = 4$ steps, 15{=a} times; $3.1 \times 10^{-9}{=b}$ and 31{=c}%."
    assert [m["num"] for m in prose_numbers(text)] == ["15", r"3.1 \times 10^{-9}", "31"]


def test_a_pinned_integer_is_checked_rounded_to_a_whole_number() -> None:
    block = Block("prose", "grows 15{=ratio} times", 1)
    assert check_prose(block, {"ratio": 15.2}, "page") == []
    assert check_prose(block, {"ratio": 14.4}, "page") != []
    assert "the page shows 15" in check_prose(block, {"ratio": 16.0}, "page")[0]


def test_a_pinned_power_of_ten_is_checked_at_its_decade() -> None:
    text = r"agree to about $10^{-11}{=gap}$, start at $z_1 = -10^{-5}{=z}$, below $10^{-3}$"
    assert [m["num"] for m in prose_numbers(text)] == ["10^{-11}", "-10^{-5}"]
    assert check_prose(Block("prose", text, 1), {"gap": 1.4e-11, "z": -1e-5}, "page") == []
    problems = check_prose(Block("prose", text, 1), {"gap": 1.6e-11, "z": -1e-4}, "page")
    assert [p.split("\n")[0] for p in problems] == [
        "page:1: the page shows 10^{-11}",
        "page:1: the page shows -10^{-5}",
    ]


def test_a_correct_page_passes(tmp_path: Path) -> None:
    assert check_page(SAMPLE, _run_sample(tmp_path)) == []


def test_an_unpinned_number_fails(tmp_path: Path) -> None:
    text = SAMPLE.replace("5.9972{=y_hat}", "5.9972")
    problems = check_page(text, _run_sample(tmp_path, text))
    assert len(problems) == 1 and "has no pin" in problems[0]


def test_a_raising_snippet_fails(tmp_path: Path) -> None:
    text = SAMPLE.replace("import math", "import math\n1 / 0")
    problems = check_page(text, _run_sample(tmp_path, text))
    assert any("ZeroDivisionError" in p for p in problems)


def _names_the_line(where: str, problems: list[str]) -> bool:
    """Whether a problem starts at the line of mutation ``where`` (``line N: token``)."""
    line = where.split(":", 1)[0].removeprefix("line ")
    return any(problem.startswith(f"page:{line}: ") for problem in problems)


def test_every_mutation_of_the_sample_fails_naming_its_line(tmp_path: Path) -> None:
    run = _run_sample(tmp_path)
    mutations = list(page_mutations(SAMPLE))
    assert len(mutations) >= 8  # 5.9972, 2.5e-3, 5.9972, 3.14, 3, 1 and their digits
    for where, mutated in mutations:
        assert _names_the_line(where, check_page(mutated, run)), where


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_changing_any_checked_digit_of_a_page_fails_naming_its_line(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    run = cached_run(page)
    missed = [
        where
        for where, mutated in page_mutations(text)
        if not _names_the_line(where, check_page(mutated, run))
    ]
    assert missed == []


@pytest.mark.parametrize("notebook", notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_changing_any_digit_of_a_notebook_output_fails_naming_its_cell(notebook: Path) -> None:
    stored = nbformat.read(notebook, as_version=4)
    fresh = cached_notebook_run(notebook)
    mutations = list(notebook_mutations(stored))
    assert mutations, "a notebook page should show computed numbers"
    missed = [
        where
        for where, mutated in mutations
        if not any(
            f" {where.split(' output')[0]}, output line" in problem
            for problem in check_notebook(mutated, fresh)
        )
    ]
    assert missed == []


# --- the same through pytest, as an author runs it: `pytest docs/<page>.md` -----------------

#: Added to a copy of the toy page, so that it has a number in plain prose and in a table.
EXTRA = r"""
## Numbers the checker's test adds

The prediction is 5.99720{=y_hat}.

$$
\hat{y} = w h_3 = 5.99720{=y_hat}
$$

| Quantity | Value |
| --- | --- |
| prediction | 5.99720{=y_hat} |
"""

#: Set-up code folded into a collapsed block: both pytest-markdown-docs and numcheck run it.
FOLDED = """# Folded set-up

<details markdown>
<summary>Set-up code</summary>

```python
import math

half_turn = math.pi
```

</details>

Half a turn is 3.1416{=half_turn} radians.
"""

#: Python fences pytest-markdown-docs silently skips: in an admonition, and in a <details>
#: block with no blank line after the summary (it is still HTML there).
SKIPPED = """# Skipped fences

!!! note
    ```python
    x = 1
    ```

<details markdown>
<summary>Set-up code</summary>
```python
y = 2
```

</details>
"""


#: pytest with the project's configuration, run in a folder of copies (no cache written there).
PYTEST_HERE = ("-c", str(ROOT / "pyproject.toml"), "--rootdir", ".", "-p", "no:cacheprovider")


def _mutation_on(text: str, line: int) -> str:
    """A copy of ``text`` with one digit of a checked number on line ``line`` changed."""
    return next(m for where, m in page_mutations(text) if where.startswith(f"line {line}:"))


def test_pytest_on_a_page_fails_on_a_changed_digit_and_names_the_line(tmp_path: Path) -> None:
    """One pytest run, as an author types it, on copies of a page and of a notebook.

    The copy left alone passes; a digit changed in prose, a formula, a table or a pycon output,
    or in a notebook's output, fails naming the file and the line. Folded set-up code runs in
    both plugins; a fence pytest-markdown-docs would skip fails the page, naming its line.
    """
    page = (DOCS / "toy-network.md").read_text(encoding="utf-8") + EXTRA
    lines = page.splitlines()
    pycon = next(b for b in split_page(page) if b.kind == "pycon")
    output_line = pycon.line + next(
        i for i, raw in enumerate(pycon.text.splitlines()) if not raw.startswith((">>>", "..."))
    )
    mutated_lines = {
        "prose": lines.index("The prediction is 5.99720{=y_hat}.") + 1,
        "formula": lines.index(r"\hat{y} = w h_3 = 5.99720{=y_hat}") + 1,
        "table": lines.index("| prediction | 5.99720{=y_hat} |") + 1,
        "pycon": output_line,
    }
    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    (docs / "page.md").write_text(page, encoding="utf-8")
    (docs / "folded.md").write_text(FOLDED, encoding="utf-8")
    (docs / "skipped.md").write_text(SKIPPED, encoding="utf-8")
    for name, line in mutated_lines.items():
        (docs / f"{name}.md").write_text(_mutation_on(page, line), encoding="utf-8")
    notebook = notebooks()[0]
    _, mutated = next(notebook_mutations(nbformat.read(notebook, as_version=4)))
    nbformat.write(mutated, docs / "notebooks" / notebook.name)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", *PYTEST_HERE, "-rA", "docs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    out = result.stdout
    outcome = {
        path: status for status, path in re.findall(r"^(PASSED|FAILED) (\S+?)::numcheck", out, re.M)
    }
    assert outcome["docs/page.md"] == "PASSED" and "FAILED docs/page.md" not in out, out
    assert outcome["docs/folded.md"] == "PASSED", out
    assert "PASSED docs/folded.md::[CodeFence#1]" in out, out
    for fence in (b for b in split_page(SKIPPED) if b.kind == "python"):
        assert f"docs/skipped.md:{fence.line}: pytest-markdown-docs does not run" in out, out
    for name, line in mutated_lines.items():
        assert outcome[f"docs/{name}.md"] == "FAILED", out
        assert f"docs/{name}.md:{line}: " in out, out
    assert out.count("the page shows") >= len(mutated_lines), out
    notebook_line = re.search(rf"docs/notebooks/{notebook.name}:(\d+): cell \d+", out)
    assert notebook_line is not None, out
    stored = (docs / "notebooks" / notebook.name).read_text(encoding="utf-8").splitlines()
    shown = re.search(r"the notebook shows: (.*)", out)[1]
    assert shown in stored[int(notebook_line[1]) - 1], out
    assert "Traceback" not in out and "numcheck.py" not in out, out
