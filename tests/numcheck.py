"""numcheck: every number a reader sees on the site is produced or checked by executed code.

A page (Markdown under ``docs/``) is run top to bottom as one Python session:

* ````` ```python ````` fences are executed (pytest-markdown-docs runs them on their own as well);
* ````` ```pycon ````` blocks hold ``>>>`` examples; each example is executed and what it
  prints is compared with the output written on the page (:func:`outputs_match`);
* every decimal number in prose or LaTeX carries a **pin**, ``5.9972{=y_hat}``: the Python
  expression after ``{=`` is evaluated in the page's namespace once the whole page has run,
  and must round to the number as written. The MkDocs hook ``docs/_hooks/pins.py`` removes the
  ``{=…}`` so readers see only ``5.9972``. An integer or a bare power of ten with a pin
  (``15{=ratio}`` times, ``$10^{-11}{=gap}$``) is a result too and is checked the same way;
  without one it is structure (``T = 4``, "below $10^{-3}$").

Numbers are compared at the precision written: ``5.9972`` stands for anything in
[5.99715, 5.99725], so changing any digit of it fails. Notebooks are re-executed and their
stored outputs compared the same way; their Markdown cells may not carry decimals at all.

Running a page (:func:`run_page`) is separate from judging its text (:func:`check_page`), so the
checker's own tests can mutate a digit of a page and judge the copy without running it again.
Every problem starts with ``page:line:``. pytest runs the check on each page and notebook
through the plugin ``tests/pagecheck.py``: ``pytest docs/<page>.md``.
"""

from __future__ import annotations

import contextlib
import doctest
import functools
import io
import json
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np
from load_module import load_module
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: What a fresh interpreter prints with: the options every page starts from.
DEFAULT_PRINT_OPTIONS = np.get_printoptions()

#: A decimal number as written in prose or LaTeX: ``0.37994896``, ``-1.0014``, ``2.8e-10``,
#: ``3.1 \times 10^{-9}``. Integers (``T = 4``, ``2 \times 2``) are structure, not results.
_MANTISSA = r"[-−]?\d+\.\d+"
PROSE_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>[-−]?\d+(?:\.\d+)?\s*\\times\s*10\^\{?[-−]?\d+\}?"
    rf"|{_MANTISSA}(?:[eE][-+−]?\d+)?"
    rf"|[-−]?\d+[eE][-+−]?\d+)(?![\w.]*\d)"
)
#: An integer written right before a pin (``15{=ratio}`` times, ``31{=share}%``): a result, shown
#: rounded to a whole number, so it is checked like any decimal.
PINNED_INTEGER = re.compile(r"(?<![\w.])(?P<num>[-−]?\d+)(?=\{=)")
#: A bare power of ten written right before a pin (``$10^{-11}{=gap}$``): a result rounded to
#: its decade, checked as ``1 \times 10^{-11}`` would be.
PINNED_POWER = re.compile(r"(?<![\w.])(?P<num>[-−]?10\^(?:\{[-−]?\d+\}|\d))(?=\{=)")
#: A pin, ``{=expr}``, as the hook that strips pins from the site reads it (one grammar for both).
PIN: re.Pattern[str] = load_module(DOCS / "_hooks" / "pins.py", "pins_hook").PIN
#: A number in program output: ``-1.5``, ``2.``, ``1e-07``, ``3``.
OUTPUT_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
#: The reader of fenced blocks the site's notebooks use too (``docs/_hooks/fences.py``).
FENCES = load_module(DOCS / "_hooks" / "fences.py", "fences_hook")


@dataclass(frozen=True)
class Block:
    """One piece of a page: a fenced code block or a run of prose lines."""

    kind: str  # "python", "pycon", "code" (any other fence) or "prose"
    text: str
    line: int  # 1-based line of the block's first content line
    indented: bool = False


def split_page(text: str) -> list[Block]:
    """Split Markdown into fenced blocks (at any indentation) and prose.

    YAML front matter (``---`` … ``---`` on the first lines) is a ``code`` block: settings such
    as ``search: boost: 0.5`` are not numbers the page shows.
    """
    blocks: list[Block] = []
    lines = text.splitlines()
    prose: list[str] = []
    prose_start = 1
    i = 0
    if lines and lines[0] == "---" and "---" in lines[1:]:
        end = lines.index("---", 1)
        blocks.append(Block("code", "\n".join(lines[1:end]), 2))
        i = end + 1
        prose_start = i + 1
    while i < len(lines):
        fence = FENCES.read_fence(lines, i)
        if fence is None:
            prose.append(lines[i])
            i += 1
            continue
        if prose:
            blocks.append(Block("prose", "\n".join(prose), prose_start))
        body = "\n".join(fence.body)
        blocks.append(Block(fence.kind, body, i + 2, indented=bool(fence.indent)))
        i = fence.end
        prose, prose_start = [], i + 1
    if prose:
        blocks.append(Block("prose", "\n".join(prose), prose_start))
    return blocks


# --- comparing numbers at the precision written ------------------------------------------


def _written_value(token: str) -> tuple[float, float]:
    """The value of a written number and half a unit of its last written digit (0 for ints)."""
    token = token.replace("−", "-").replace(" ", "")
    if "\\times" in token:
        mantissa, exponent = token.split("\\times")
        exp = int(exponent.split("^", 1)[1].strip("{}"))
    elif "^" in token:  # a bare power of ten, 10^{-11}: one unit of that decade
        base, exponent = token.split("^", 1)
        mantissa, exp = base.replace("10", "1"), int(exponent.strip("{}"))
    elif "e" in token.lower():
        mantissa, exponent = re.split("[eE]", token)
        exp = int(exponent)
    else:
        mantissa, exp = token, 0
    if "." not in mantissa and exp == 0 and "e" not in token.lower():
        return float(mantissa), 0.0  # a plain integer must match exactly
    decimals = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    return float(mantissa) * 10.0**exp, 0.5 * 10.0 ** (exp - decimals)


def number_matches(written: str, value: float, *, pinned: bool = False) -> bool:
    """Whether ``value`` rounds to ``written`` at the precision written.

    A plain integer must match exactly, unless ``pinned``: an integer in prose with a pin is a
    result rounded to a whole number.
    """
    target, half_unit = _written_value(written)
    if pinned and half_unit == 0.0:
        half_unit = 0.5
    return abs(target - value) <= half_unit * (1 + 1e-9) + 1e-300


def outputs_match(want: str, got: str) -> bool:
    """Compare printed output with the output written on the page.

    Text between numbers must agree up to white space; each number in ``got`` must round to the
    number in ``want`` at the precision written there (``5.9972`` accepts ``5.99720442``).
    """
    want_nums, got_nums = OUTPUT_NUMBER.findall(want), OUTPUT_NUMBER.findall(got)
    want_text = " ".join(OUTPUT_NUMBER.sub("#", want).split())
    got_text = " ".join(OUTPUT_NUMBER.sub("#", got).split())
    if want_text != got_text or len(want_nums) != len(got_nums):
        return False
    return all(number_matches(w, float(g)) for w, g in zip(want_nums, got_nums, strict=True))


# --- running a page ------------------------------------------------------------------------


@dataclass
class PageRun:
    """What executing a page produced: its namespace and each example's output."""

    namespace: dict
    outputs: list[tuple[str, str | None]] = field(default_factory=list)  # (stdout, exception)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, what went wrong)


def _examples(block: Block) -> list[doctest.Example]:
    return doctest.DocTestParser().get_examples(block.text)


def run_page(path: Path) -> PageRun:
    """Execute every python fence and pycon example of ``path`` in order, in one namespace.

    NumPy's print options start from the defaults and are restored afterwards, so a page that
    sets them affects only itself.
    """
    with np.printoptions():
        np.set_printoptions(**DEFAULT_PRINT_OPTIONS)
        return _run_blocks(path)


def _compile_at(source: str, path: Path, line: int, mode: str):
    """Compile ``source`` so that tracebacks name the page and the page's own line numbers."""
    return compile("\n" * (line - 1) + source, str(path), mode)


def _page_traceback(error: BaseException, path: Path) -> str:
    """The traceback of an error raised by a page's code, from the page's frame on."""
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, f in enumerate(frames) if f.filename == str(path)), 0)
    return "".join(traceback.format_list(frames[first:]))


def _run_blocks(path: Path) -> PageRun:
    text = path.read_text(encoding="utf-8")
    run = PageRun(namespace={"__name__": "__page__"})
    for block in split_page(text):
        if block.kind == "python":
            try:
                exec(_compile_at(block.text, path, block.line, "exec"), run.namespace)
            except Exception as error:
                problem = f"the python fence raised {type(error).__name__}: {error}"
                run.errors.append((block.line, f"{problem}\n{_page_traceback(error, path)}"))
        elif block.kind == "pycon":
            for example in _examples(block):
                buffer = io.StringIO()
                exc = None
                with contextlib.redirect_stdout(buffer):
                    try:
                        line = block.line + example.lineno
                        exec(_compile_at(example.source, path, line, "single"), run.namespace)
                    except Exception as error:
                        exc = traceback.format_exception_only(type(error), error)[-1]
                run.outputs.append((buffer.getvalue(), exc))
    return run


# --- judging a page's text against a run ---------------------------------------------------


def prose_numbers(text: str) -> list[re.Match]:
    """Every decimal number a reader sees in a prose block (inline code and URLs excluded)."""
    blanked = re.sub(r"<!--.*?-->", lambda m: " " * len(m[0]), text, flags=re.S)
    blanked = re.sub(r"`[^`\n]*`", lambda m: " " * len(m[0]), blanked)
    blanked = re.sub(r"\]\([^)\s]*\)", lambda m: " " * len(m[0]), blanked)
    blanked = re.sub(r"^--8<--.*$", lambda m: " " * len(m[0]), blanked, flags=re.M)
    decimals = list(PROSE_NUMBER.finditer(blanked))
    taken = [range(m.start(), m.end()) for m in decimals]
    pinned = [*PINNED_INTEGER.finditer(blanked), *PINNED_POWER.finditer(blanked)]
    pinned = [m for m in pinned if not any(m.start() in r for r in taken)]
    return sorted(decimals + pinned, key=lambda m: m.start())


def check_prose(block: Block, namespace: dict, where: str) -> list[str]:
    """Problems with the pins of one prose block."""
    problems = []
    for match in prose_numbers(block.text):
        line = block.line + block.text.count("\n", 0, match.start())
        pin = PIN.match(block.text, match.end())
        number = match["num"]
        if pin is None:
            problems.append(
                f"{where}:{line}: {number} has no pin; write {number}{{=expr}} with the "
                "expression that computes it"
            )
            continue
        try:
            value = float(eval(pin["expr"], namespace))  # the expression is our own page's
        except Exception as error:
            problems.append(f"{where}:{line}: the pin {{={pin['expr']}}} failed: {error!r}")
            continue
        if not number_matches(number, value, pinned=True):
            problems.append(
                f"{where}:{line}: the page shows {number}\n"
                f"  the code computes {pin['expr']} = {value!r}"
            )
    return problems


def _where_outputs_differ(want: str, got: str) -> tuple[int, str, str]:
    """Where printed output ``got`` first disagrees with ``want``, the output on the page.

    Returns the line of ``want`` (0-based), what the page shows there and what the code prints
    in its place: the differing lines when both have as many lines, else (output wrapped to
    another width, say) the first differing number, or all of both outputs.
    """
    want_lines, got_lines = want.splitlines(), got.splitlines()
    if len(want_lines) == len(got_lines):
        pairs = list(zip(want_lines, got_lines, strict=True))
        i = next((i for i, (w, g) in enumerate(pairs) if not outputs_match(w, g)), 0)
        return i, want_lines[i].strip(), got_lines[i].strip()
    wanted, printed = list(OUTPUT_NUMBER.finditer(want)), OUTPUT_NUMBER.findall(got)
    same_text = OUTPUT_NUMBER.sub("#", want).split() == OUTPUT_NUMBER.sub("#", got).split()
    if same_text and len(wanted) == len(printed):
        for w, g in zip(wanted, printed, strict=True):
            if not number_matches(w[0], float(g)):
                i = want.count("\n", 0, w.start())
                return i, want_lines[i].strip(), f"{g} in place of {w[0]}"
    return 0, "\n" + want.rstrip(), "\n" + got.rstrip()


def check_example(example: doctest.Example, got: str, exc: str | None, line: int) -> str | None:
    """What is wrong with one pycon example whose ``>>>`` is on page line ``line``, if anything.

    The message starts with the page line it is about: for a wrong output, the output line
    that differs, shown next to what the code prints in its place.
    """
    source = example.source.strip().replace("\n", "\n  ... ")
    first = line + example.source.count("\n")  # the first output line
    if example.exc_msg is not None:
        if exc is None or not outputs_match(example.exc_msg, exc):
            shows = example.exc_msg.strip()
            at = first + example.want[: example.want.rfind(shows)].count("\n")
            computed = f"raises: {exc.strip()}" if exc else f"prints: {got.strip()}"
            return f"{at}: >>> {source}\n  the page shows: {shows}\n  the code {computed}"
        return None
    if exc is not None:
        return f"{line}: >>> {source}\n  raised {exc.strip()}"
    if outputs_match(example.want, got):
        return None
    i, shows, prints = _where_outputs_differ(example.want, got)
    return (
        f"{first + i}: output of >>> {source}\n"
        f"  the page shows:  {shows}\n  the code prints: {prints}"
    )


def check_page(text: str, run: PageRun, where: str = "page", pins: bool = True) -> list[str]:
    """Every problem of a page's text against what running it produced (empty when all agree).

    Each problem starts with ``where:line:``, the page line it is about. With ``pins=False``
    only the code is judged (for README.md and the like, which no hook strips of pins).
    """
    problems = [f"{where}:{line}: {message.rstrip()}" for line, message in run.errors]
    outputs = iter(run.outputs)
    for block in split_page(text):
        if block.kind == "prose" and pins:
            problems += check_prose(block, run.namespace, where)
        elif block.kind == "pycon":
            for example in _examples(block):
                got, exc = next(outputs, ("", "the page was run before this example existed"))
                problem = check_example(example, got, exc, block.line + example.lineno)
                if problem is not None:
                    problems.append(f"{where}:{problem}")
    return problems


# --- notebooks -----------------------------------------------------------------------------


def text_outputs(cell: nbformat.NotebookNode) -> str:
    """The text a code cell shows: its streams and the text/plain of its results."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data"):
            parts.append(output.get("data", {}).get("text/plain", ""))
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join(parts)


def run_notebook(path: Path, timeout: int = 300) -> nbformat.NotebookNode:
    """Execute a copy of the notebook from a clean kernel in the notebook's folder."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def _cell_lines(notebook_json: str) -> list[tuple[int, list[str]]]:
    """For each cell of a notebook file's text: its first line number and its lines."""
    lines = notebook_json.splitlines()
    starts = [i for i, line in enumerate(lines) if line.lstrip().startswith('"cell_type":')]
    ends = [*starts[1:], len(lines)]
    return [(start + 1, lines[start:end]) for start, end in zip(starts, ends, strict=True)]


def _line_in_cell(cell: tuple[int, list[str]], text: str) -> int:
    """The file line of the cell that stores ``text`` (a line of its source or an output)."""
    first, lines = cell
    needle = json.dumps(text.rstrip("\n"))[:-1]  # the stored line may go on with "\n"
    return first + next((i for i, line in enumerate(lines) if needle in line), 0)


def check_notebook(
    stored: nbformat.NotebookNode,
    fresh: nbformat.NotebookNode,
    where: str = "notebook",
    notebook_json: str | None = None,
) -> list[str]:
    """Problems of a stored notebook against a fresh execution of it.

    Each problem starts with ``where:line:``, a line of the notebook's file (``notebook_json``,
    its text; by default ``stored`` as nbformat writes it), and names the cell.
    """
    cells = _cell_lines(notebook_json or nbformat.writes(stored))
    problems = []
    for index, (cell, new) in enumerate(zip(stored.cells, fresh.cells, strict=True)):
        if cell.cell_type == "markdown":
            for match in prose_numbers(cell.source):
                text = cell.source[: match.end()].rsplit("\n", 1)[-1]
                problems.append(
                    f"{where}:{_line_in_cell(cells[index], text)}: cell {index} shows the "
                    f"decimal {match['num']} in Markdown; show numbers as cell outputs"
                )
        elif cell.cell_type == "code":
            if any(o["output_type"] == "error" for o in cell.get("outputs", [])):
                problems.append(f"{where}:{cells[index][0]}: cell {index} stores an error")
            shows, prints = text_outputs(cell), text_outputs(new)
            if outputs_match(shows, prints):
                continue
            want, got = shows.splitlines(), prints.splitlines()
            pairs = list(zip(want, got, strict=False))
            k = next((k for k, (w, g) in enumerate(pairs) if not outputs_match(w, g)), len(pairs))
            shown = want[k] if k < len(want) else "(nothing)"
            printed = got[k] if k < len(got) else "(nothing)"
            problems.append(
                f"{where}:{_line_in_cell(cells[index], shown)}: cell {index}, output line {k + 1}\n"
                f"  the notebook shows: {shown.strip()}\n  a fresh run prints: {printed.strip()}"
            )
    return problems


# --- the site's pages, each run once per test session ---------------------------------------


def site_file(path: Path) -> bool:
    """Whether ``path`` is a page of a site: a file under a ``docs`` folder, but not in a folder
    whose name starts with ``_`` (hooks, figure scripts) or ``.`` (``.ipynb_checkpoints``)."""
    parts = path.parts
    if "docs" not in parts[:-1]:
        return False
    inside = parts[len(parts) - parts[::-1].index("docs") : -1]
    return not any(part.startswith(("_", ".")) for part in inside)


def markdown_pages() -> list[Path]:
    """Every Markdown page of the site."""
    return sorted(p for p in DOCS.rglob("*.md") if site_file(p))


def notebooks() -> list[Path]:
    """Every notebook page of the site."""
    return sorted(p for p in DOCS.rglob("*.ipynb") if site_file(p))


def cached_run(path: Path) -> PageRun:
    """:func:`run_page`, once per test session however many tests ask for it."""
    return _cached_run(path.resolve())


def cached_notebook_run(path: Path) -> nbformat.NotebookNode:
    """:func:`run_notebook`, once per test session however many tests ask for it."""
    return _cached_notebook_run(path.resolve())


_cached_run = functools.cache(run_page)
_cached_notebook_run = functools.cache(run_notebook)


# --- mutations: the checker's own proof that a changed digit is caught ---------------------


def _digit_positions(token: str) -> list[int]:
    """Positions worth changing: the first and last mantissa digit and the last exponent digit
    (only the exponent's of a bare power of ten, whose 10 is not a digit of the result)."""
    digits = [i for i, c in enumerate(token) if c.isdigit()]
    split = re.search(r"[eE]|\\times|\^", token)
    mantissa = [i for i in digits if split is None or i < split.start()]
    exponent = [i for i in digits if split is not None and i > split.start()]
    if split is not None and split[0] == "^":
        return exponent[-1:]
    return sorted({mantissa[0], mantissa[-1], *exponent[-1:]})


def _mutate(line: str, start: int, token: str) -> Iterator[str]:
    for pos in _digit_positions(token):
        digit = int(token[pos])
        new = str(digit + 1 if digit < 9 else digit - 1)
        yield line[: start + pos] + new + line[start + pos + 1 :]


def page_mutations(text: str) -> Iterator[tuple[str, str]]:
    """Copies of a page with one digit of one checked number changed, with a description.

    Covers every number in a pycon block's expected output and every pinned number in prose.
    """
    lines = text.splitlines()
    for block in split_page(text):
        if block.kind == "pycon":
            offset = block.line - 1
            for i, raw in enumerate(block.text.splitlines()):
                stripped = raw.strip()
                if stripped.startswith((">>>", "...")):
                    continue
                index = offset + i
                line = lines[index]
                shift = len(line) - len(raw)
                for match in OUTPUT_NUMBER.finditer(raw):
                    for mutated in _mutate(line, shift + match.start(), match[0]):
                        yield (
                            f"line {index + 1}: {match[0]}",
                            "\n".join([*lines[:index], mutated, *lines[index + 1 :]]),
                        )
        elif block.kind == "prose":
            for match in prose_numbers(block.text):
                before = block.text[: match.start()]
                index = block.line - 1 + before.count("\n")
                column = match.start() - (before.rfind("\n") + 1)
                for mutated in _mutate(lines[index], column, match["num"]):
                    yield (
                        f"line {index + 1}: {match['num']}",
                        "\n".join([*lines[:index], mutated, *lines[index + 1 :]]),
                    )


def notebook_mutations(
    stored: nbformat.NotebookNode,
) -> Iterator[tuple[str, nbformat.NotebookNode]]:
    """Copies of a notebook with one digit of one number in one stored text output changed."""
    for c, cell in enumerate(stored.cells):
        for o, output in enumerate(cell.get("outputs", [])):
            key = ("text",) if output["output_type"] == "stream" else ("data", "text/plain")
            container = output if key == ("text",) else output.get("data", {})
            text = container.get(key[-1])
            if not isinstance(text, str):
                continue
            for match in OUTPUT_NUMBER.finditer(text):
                for mutated in _mutate(text, match.start(), match[0]):
                    copy = nbformat.from_dict(stored)
                    target = copy.cells[c].outputs[o]
                    (target if key == ("text",) else target["data"])[key[-1]] = mutated
                    yield f"cell {c} output {o}: {match[0]}", copy
