"""The site's tooling never serves a stale number: what MkDocs, its hooks and pytest run is the
code on disk, however they are started.

* Diagrams (docs/_hooks/diagrams.py) and figures (docs/_hooks/figures.py) are loaded afresh at
  each build: an edit shows on the next rebuild of ``mkdocs serve``, and a figure is cached
  under the hash of the code that drew it.
* ``pytest docs`` collects and runs the same way as ``python -m pytest docs``.
* The hooks agree on how MkDocs loads them, and the pin grammar is defined once.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numcheck
import pytest
from load_module import load_module
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PYTEST = Path(sys.executable).with_name("pytest")
diagrams_hook = load_module(DOCS / "_hooks" / "diagrams.py", "diagrams_hook")
pins_hook = load_module(DOCS / "_hooks" / "pins.py", "pins_hook")

#: A diagram of the copy whose words live in a sibling module, as svg.py's helpers do.
PROBE_DIAGRAM = (
    'from .probe_text import TEXT\n\n\ndef html() -> str:\n    return f"<p>{TEXT}</p>"\n'
)
#: A figure of the copy that shows the package's version (as an SVG element id).
PROBE_FIGURE = """from matplotlib.figure import Figure

import rnn_derivatives


def figure() -> Figure:
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().set_gid(f"version-{rnn_derivatives.__version__}")
    return fig
"""
PROBE_PAGE = "# Probe\n\n![The probe figure](figures/probe.svg)\n\n<!-- diagram: probe -->\n"


# --- diagrams: loaded afresh from their files, sys.path untouched ---------------------------------


@pytest.fixture
def diagram_docs(tmp_path: Path) -> Path:
    """A ``docs/`` folder holding a copy of ``docs/_diagrams`` and a probe diagram."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS / "_diagrams", docs / "_diagrams")
    (docs / "_diagrams" / "probe.py").write_text(PROBE_DIAGRAM, encoding="utf-8")
    (docs / "_diagrams" / "probe_text.py").write_text('TEXT = "first"\n', encoding="utf-8")
    return docs


def test_a_diagram_edit_shows_the_next_time_a_page_is_rendered(diagram_docs: Path) -> None:
    path = list(sys.path)
    page = "<!-- diagram: probe -->\n\n<!-- diagram: unrolled -->\n"
    first = diagrams_hook.render(page, diagram_docs)
    assert "<p>first</p>" in first and "An RNN unrolled over three steps" in first
    (diagram_docs / "_diagrams" / "probe_text.py").write_text('TEXT = "second"\n')
    unrolled = diagram_docs / "_diagrams" / "unrolled.py"
    unrolled.write_text(unrolled.read_text().replace("An RNN unrolled", "A network unrolled"))
    second = diagrams_hook.render(page, diagram_docs)
    assert "<p>second</p>" in second and "A network unrolled over three steps" in second
    assert sys.path == path


def test_the_site_diagrams_load_from_the_real_folder_too() -> None:
    """The shared helpers are found relatively, whatever folder the package is loaded from."""
    html = diagrams_hook.render("<!-- diagram: two_roads -->", DOCS)
    assert html.startswith("<") and "<svg" in html
    module = diagrams_hook.diagram_module(DOCS, "unrolled")
    assert Path(module.__file__).resolve() == DOCS / "_diagrams" / "unrolled.py"


# --- pytest, however it is started ----------------------------------------------------------------


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "docs"],
        [str(PYTEST), "--collect-only", "-q", "docs/"],
        [sys.executable, "-m", "pytest", "-q", "docs/_diagrams", "docs/index.md"],
        [str(PYTEST), "-q", "docs/_diagrams/unrolled.py", "docs/index.md"],
    ],
    ids=["python -m pytest docs", "pytest docs/", "python -m pytest page", "pytest page"],
)
def test_pytest_collects_and_runs_the_docs_however_it_is_started(command: list[str]) -> None:
    result = run(command)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "error" not in result.stdout.lower().splitlines()[-1], result.stdout[-3000:]


# --- the hooks agree about how MkDocs loads them --------------------------------------------------


def test_mkdocs_loads_each_hook_once_per_process_and_no_hook_keeps_state_elsewhere() -> None:
    """MkDocs 1.6.1 caches each hook module: the config ``mkdocs serve`` loads for a rebuild
    holds the same modules as the first one, so module globals outlive a rebuild (what
    serve_cache.py and prerender_math.py both say they rely on)."""
    first = load_config(str(ROOT / "mkdocs.yml"))
    again = load_config(str(ROOT / "mkdocs.yml"))
    assert first.hooks and all(again.hooks[name] is hook for name, hook in first.hooks.items())
    assert not [name for name in sys.modules if name.startswith("_rnn_derivatives")]
    for name in ("docs/_hooks/serve_cache.py", "docs/_hooks/prerender_math.py"):
        source = (ROOT / name).read_text(encoding="utf-8")
        assert "executes each hook file once per process" in source, name
    serve_cache = first.hooks["docs/_hooks/serve_cache.py"]
    assert "register_anchor" not in Path(serve_cache.__file__).read_text(encoding="utf-8")


# --- one pin grammar ------------------------------------------------------------------------------


def test_numcheck_reads_the_pins_the_hook_strips() -> None:
    assert numcheck.PIN.pattern == pins_hook.PIN.pattern
    text = "a $5.9972{=y_hat}$ and 2.8{= err * 1e10 } and {=x}{=y} but not {x} or {=a{b}}"
    found = [m["expr"] for m in numcheck.PIN.finditer(text)]
    assert found == ["y_hat", " err * 1e10 ", "x", "y"]
    stripped = pins_hook.on_page_markdown(text)
    assert stripped == numcheck.PIN.sub("", text)
    assert stripped == "a $5.9972$ and 2.8 and  but not {x} or {=a{b}}"


# --- mkdocs serve: package and diagram edits show, the cache keeps what the new code drew ---------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, contains: str, timeout: float = 120.0) -> str:
    """The text at ``url`` once it contains ``contains``; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode("utf-8")
            if contains in text:
                return text
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {contains!r} in {timeout} s; last:\n{text[:2000]}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small copy of the project: its own package (``src``), the figure and diagram hooks,
    ``docs/_diagrams``, and one page showing a probe figure and a probe diagram."""
    project = tmp_path / "project"
    shutil.copytree(
        ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    docs = project / "docs"
    for hook in ("figures.py", "diagrams.py"):
        (docs / "_hooks").mkdir(parents=True, exist_ok=True)
        shutil.copy2(DOCS / "_hooks" / hook, docs / "_hooks" / hook)
    shutil.copytree(DOCS / "_diagrams", docs / "_diagrams")
    (docs / "_diagrams" / "probe.py").write_text(PROBE_DIAGRAM, encoding="utf-8")
    (docs / "_diagrams" / "probe_text.py").write_text('TEXT = "first"\n', encoding="utf-8")
    (docs / "_figures").mkdir()
    (docs / "_figures" / "probe.py").write_text(PROBE_FIGURE, encoding="utf-8")
    (docs / "index.md").write_text(PROBE_PAGE, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: probe\n"
        "theme: mkdocs\n"
        "exclude_docs: |\n  _hooks/\n  _figures/\n  _diagrams/\n"
        "hooks:\n  - docs/_hooks/figures.py\n  - docs/_hooks/diagrams.py\n",
        encoding="utf-8",
    )
    return project


def project_env(project: Path) -> dict[str, str]:
    """The copy imports its own package: its ``src`` comes first on the path."""
    path = [str(project / "src"), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path), "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture
def served(project: Path) -> Iterator[str]:
    """``mkdocs serve`` of the copy; yields its URL."""
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command,
        cwd=project,
        env=project_env(project),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def set_version(project: Path, version: str) -> None:
    init = project / "src" / "rnn_derivatives" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    init.write_text(re.sub(r'__version__ = "[^"]*"', f'__version__ = "{version}"', text))


def test_mkdocs_serve_shows_edits_of_the_package_and_of_a_diagram(
    project: Path, served: str
) -> None:
    old = re.search(
        r'__version__ = "([^"]*)"', (project / "src/rnn_derivatives/__init__.py").read_text()
    )[1]
    fetch(served + "figures/probe.svg", f'id="version-{old}"')
    fetch(served, "<p>first</p>")

    # The package changes while the server runs; then a page is saved, which rebuilds.
    set_version(project, "9.9.9-edited")
    page = project / "docs" / "index.md"
    page.write_text(PROBE_PAGE + "\nSaved once.\n", encoding="utf-8")
    fetch(served, "Saved once.")
    fetch(served + "figures/probe.svg", 'id="version-9.9.9-edited"', timeout=5)

    # A diagram's helper module changes: the rebuild it starts shows it.
    (project / "docs" / "_diagrams" / "probe_text.py").write_text('TEXT = "second"\n')
    fetch(served, "<p>second</p>")

    # A fresh build afterwards takes the figure from the cache, drawn by the edited package.
    site = project / "built"
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    result = subprocess.run(
        build, cwd=project, env=project_env(project), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert 'id="version-9.9.9-edited"' in (site / "figures" / "probe.svg").read_text()
    assert "<p>second</p>" in (site / "index.html").read_text()
