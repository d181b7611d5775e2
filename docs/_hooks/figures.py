"""MkDocs hook: draw the site's plots from the package every time the site is built.

Every module ``docs/_figures/<name>.py`` whose name does not start with ``_`` defines

* ``data()`` → dict: the numbers the figure plots (``tests/test_figures.py`` checks them);
* ``figure()`` → ``matplotlib.figure.Figure``, drawn from ``data()``.

In ``on_files`` this hook imports each module afresh, calls ``figure()`` inside :data:`STYLE`,
renders it as SVG and adds it to the site as ``figures/<name>.svg`` with ``File.generated``,
so ``mkdocs build`` and ``mkdocs serve`` both get it and no image is ever saved by hand. A page
shows it with a path relative to the page, e.g. ``![…](figures/<name>.svg)`` from ``docs/``.

Drawing is slow (a figure may train a network), so each SVG is kept in ``.cache/figures/``
under a hash of everything it is drawn from (:func:`figure_key`): the figure module, the
``_*.py`` helpers next to it, any data file the module names with a module-level ``Path``, the
package's source, this hook and Matplotlib's version. A build redraws only figures whose
inputs changed. Under ``mkdocs serve`` the package is imported once: restart the server after
changing it (the changed hash then redraws the figures).

Light and dark themes: the background is transparent; text, axes, ticks and grid are mid grey
(#808080), readable on both Material's white and its slate background; lines use the
Okabe–Ito palette's mid-lightness colours, which also stay distinct for colour-blind readers.
Text is drawn as paths (no font needed in the browser), and the SVG has no date and fixed
element ids, so the same numbers give the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
from pathlib import Path
from types import ModuleType

import matplotlib

matplotlib.use("Agg")

from cycler import cycler
from matplotlib.figure import Figure
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

FOLDER = "_figures"
TARGET = "figures"
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "rnn_derivatives"
CACHE_DIR = ROOT / ".cache" / "figures"
GREY = "#808080"
#: Okabe–Ito colours of mid lightness: sky blue, orange, green, vermilion, purple.
PALETTE = ("#56B4E9", "#E69F00", "#009E73", "#D55E00", "#CC79A7")
STYLE = {
    "axes.prop_cycle": cycler(color=PALETTE),
    "axes.edgecolor": GREY,
    "axes.labelcolor": GREY,
    "axes.titlecolor": GREY,
    "axes.facecolor": "none",
    "axes.grid": True,
    "grid.color": GREY,
    "grid.alpha": 0.25,
    "figure.facecolor": "none",
    "legend.frameon": False,
    "legend.labelcolor": GREY,
    "lines.linewidth": 2.0,
    "savefig.transparent": True,
    "svg.fonttype": "path",
    "svg.hashsalt": "rnn-derivatives",
    "text.color": GREY,
    "xtick.color": GREY,
    "ytick.color": GREY,
}


def figure_modules(docs_dir: str | Path) -> dict[str, ModuleType]:
    """Import every ``<docs_dir>/_figures/<name>.py`` (skipping ``_*``), keyed by ``name``."""
    modules = {}
    for path in sorted((Path(docs_dir) / FOLDER).glob("*.py")):
        if path.stem.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"site_figures_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[path.stem] = module
    return modules


def render_svg(module: ModuleType) -> str:
    """Call ``module.figure()`` in :data:`STYLE` and return the figure as SVG text."""
    with matplotlib.rc_context(STYLE):
        fig = module.figure()
        if not isinstance(fig, Figure):
            raise TypeError(f"{module.__file__}: figure() must return a matplotlib Figure")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def figure_key(module: ModuleType) -> str:
    """A hash of every input of the figure: sources, data files, Matplotlib's version."""
    source = Path(module.__file__)
    data = sorted(v for v in vars(module).values() if isinstance(v, Path) and v.is_file())
    inputs = [
        Path(__file__),
        source,
        *sorted(source.parent.glob("_*.py")),
        *sorted(PACKAGE.rglob("*.py")),
        *data,
    ]
    digest = hashlib.sha256(matplotlib.__version__.encode())
    for path in inputs:
        digest.update(f"\0{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def cached_svg(name: str, module: ModuleType) -> str:
    """The figure's SVG from :data:`CACHE_DIR`, drawn (and stored) if its inputs changed."""
    path = CACHE_DIR / f"{name}-{figure_key(module)}.svg"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    svg = render_svg(module)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for stale in CACHE_DIR.glob(f"{name}-*.svg"):
        stale.unlink(missing_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(svg, encoding="utf-8")
    temporary.replace(path)
    return svg


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name, module in figure_modules(config["docs_dir"]).items():
        svg = cached_svg(name, module)
        files.append(File.generated(config, f"{TARGET}/{name}.svg", content=svg))
    return files
