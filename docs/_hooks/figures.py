"""MkDocs hook: draw the site's plots from the package every time the site is built.

Every module ``docs/_figures/<name>.py`` whose name does not start with ``_`` defines

* ``data()`` → dict: the numbers the figure plots (``tests/test_figures.py`` checks them);
* ``figure()`` → ``matplotlib.figure.Figure``, drawn from ``data()``.

In ``on_files`` this hook imports each module afresh, calls ``figure()`` inside :data:`STYLE`,
renders it as SVG and adds it to the site as ``figures/<name>.svg`` with ``File.generated``,
so ``mkdocs build`` and ``mkdocs serve`` both get it and no image is ever saved by hand. A page
shows it with a path relative to the page, e.g. ``![…](figures/<name>.svg)`` from ``docs/``.

Drawing is slow (a figure may train a network), so each SVG is kept in ``.cache/figures/``
under a hash of the code it is drawn by (:func:`source_key`): the figure module, the ``_*.py``
helpers next to it, the package's source (``src/rnn_derivatives``), this hook and Matplotlib's
version; with it are the hashes of the data files the module names with a module-level
``Path``, which must match too. A build redraws only figures whose inputs changed.

The code that draws is the code that was hashed: missing figures are drawn in a fresh Python
(``sys.executable`` running this file, :func:`draw`) that imports the package from this
project's ``src``. In the MkDocs process itself ``rnn_derivatives`` may have been imported
earlier (under ``mkdocs serve`` it stays in ``sys.modules`` from the first build on), so it may
be older than the source on disk. The sources are hashed again once the figures are drawn; if
they changed meanwhile, the SVG is shown but not kept, and a warning says so. A build whose
figures are all cached starts no process. Under ``mkdocs serve`` an edit of the package alone
starts no rebuild (only ``docs/`` and ``mkdocs.yml`` are watched); the next one redraws.

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
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import matplotlib

matplotlib.use("Agg")

from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.text import Text
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.figures")

FOLDER = "_figures"
TARGET = "figures"
ROOT = Path(__file__).resolve().parents[2]
#: Where the package is imported from when figures are drawn; its source is hashed.
SOURCE = ROOT / "src"
PACKAGE = "rnn_derivatives"
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

#: Legible on a phone: a page's column is 358 CSS px wide at a 390 px viewport, and an SVG of
#: PHONE_WIDTH inches (72 pt each, a little more where a label sticks out) shown that wide
#: draws text of MIN_FONT pt at 11 px or more. Every figure is drawn at that width (its
#: height scaled with it) and no text is smaller than MIN_FONT, whatever size a figure module
#: asked for (:func:`fit_phone`).
PHONE_WIDTH, MIN_FONT = 4.8, 11.5
PHONE_TEXT = {"font.size": MIN_FONT}


def fit_phone(fig: Figure) -> None:
    """Shrink ``fig`` to :data:`PHONE_WIDTH` inches (keeping its shape), raise every text below
    :data:`MIN_FONT` to it, and lay it out again so the larger text does not overlap."""
    width, height = fig.get_size_inches()
    if width > PHONE_WIDTH:
        fig.set_size_inches(PHONE_WIDTH, height * PHONE_WIDTH / width)
    fig.draw_without_rendering()  # creates every tick label, so each is raised below
    for text in fig.findobj(Text):
        if text.get_fontsize() < MIN_FONT:
            text.set_fontsize(MIN_FONT)
    if fig.get_layout_engine() is None:
        fig.tight_layout()


def figure_paths(docs_dir: str | Path) -> dict[str, Path]:
    """Every ``<docs_dir>/_figures/<name>.py`` (skipping ``_*``), keyed by ``name``."""
    paths = sorted((Path(docs_dir) / FOLDER).glob("*.py"))
    return {path.stem: path.resolve() for path in paths if not path.stem.startswith("_")}


def load_figure(path: Path) -> ModuleType:
    """The figure module at ``path``, executed afresh (it is not put in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location(f"site_figures_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def figure_modules(docs_dir: str | Path) -> dict[str, ModuleType]:
    """Every figure module, loaded afresh in this process (the tests check their ``data()``)."""
    return {name: load_figure(path) for name, path in figure_paths(docs_dir).items()}


def render_svg(module: ModuleType) -> str:
    """Call ``module.figure()`` in :data:`STYLE` and return the figure as SVG text."""
    with matplotlib.rc_context(STYLE | PHONE_TEXT):
        fig = module.figure()
        if not isinstance(fig, Figure):
            raise TypeError(f"{module.__file__}: figure() must return a matplotlib Figure")
        fit_phone(fig)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_files(module: ModuleType) -> dict[str, str]:
    """The digest of each data file the module names with a module-level ``Path``."""
    paths = sorted({v.resolve() for v in vars(module).values() if isinstance(v, Path)})
    return {str(path): file_digest(path) for path in paths if path.is_file()}


def source_keys(figures: dict[str, Path]) -> dict[str, str]:
    """A hash of the code that draws each figure: this hook, Matplotlib's version, the figure
    module, the ``_*.py`` helpers next to it and the package's source."""
    shared = hashlib.sha256(matplotlib.__version__.encode())
    shared.update(Path(__file__).read_bytes())
    for path in sorted((SOURCE / PACKAGE).rglob("*.py")):
        shared.update(f"\0{path.relative_to(SOURCE)}\0".encode())
        shared.update(path.read_bytes())
    keys = {}
    for name, source in figures.items():
        digest = shared.copy()
        for path in [source, *sorted(source.parent.glob("_*.py"))]:
            digest.update(f"\0{path.name}\0".encode())
            digest.update(path.read_bytes())
        keys[name] = digest.hexdigest()[:24]
    return keys


def cache_entry(name: str, key: str) -> Path:
    return CACHE_DIR / f"{name}-{key}.json"


def unchanged(data: dict[str, str]) -> bool:
    """Whether every data file still has the digest in ``data``."""
    try:
        return all(file_digest(Path(path)) == digest for path, digest in data.items())
    except OSError:
        return False


def cached_svg(name: str, key: str) -> str | None:
    """The figure's SVG from :data:`CACHE_DIR` if its code and its data files are unchanged."""
    try:
        entry = json.loads(cache_entry(name, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry["svg"] if unchanged(entry["data"]) else None


def store(name: str, key: str, drawn: dict) -> None:
    """Keep one drawing (``svg`` and the ``data`` digests it was drawn from) as the only entry."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for stale in CACHE_DIR.glob(f"{name}-*"):
        stale.unlink(missing_ok=True)
    path = cache_entry(name, key)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(drawn), encoding="utf-8")
    temporary.replace(path)


def draw(figures: dict[str, Path]) -> dict[str, dict]:
    """Draw figures in a fresh Python that imports the package from :data:`SOURCE`.

    Returns, by name, ``svg`` and the ``data`` digests read before drawing (:func:`data_files`).
    """
    python_path = [str(SOURCE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_path)}
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "figures.json"
        request = json.dumps({name: str(path) for name, path in figures.items()})
        # -P: the folder of this file is not put first on sys.path.
        command = [sys.executable, "-P", str(Path(__file__).resolve()), request, str(output)]
        command.append(str(SOURCE))
        if subprocess.run(command, env=env, cwd=ROOT, check=False).returncode != 0:
            raise PluginError(f"drawing {', '.join(figures)} failed: see the traceback above")
        return json.loads(output.read_text(encoding="utf-8"))


def figure_svgs(docs_dir: str | Path) -> dict[str, str]:
    """Every figure's SVG by name: from the cache, or drawn (all missing ones in one process)."""
    figures = figure_paths(docs_dir)
    keys = source_keys(figures)
    svgs = {name: cached_svg(name, keys[name]) for name in figures}
    missing = {name: figures[name] for name, svg in svgs.items() if svg is None}
    if not missing:
        return svgs
    drawn = draw(missing)
    after = source_keys(missing)
    for name, figure in drawn.items():
        svgs[name] = figure["svg"]
        if after[name] == keys[name] and unchanged(figure["data"]):
            store(name, keys[name], figure)
        else:
            log.warning(
                "figure %s: its sources changed while it was drawn; not cached, the next build "
                "draws it again",
                name,
            )
    return svgs


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name, svg in figure_svgs(config["docs_dir"]).items():
        files.append(File.generated(config, f"{TARGET}/{name}.svg", content=svg))
    return files


def main(request: str, output: str, source: str) -> None:
    """Draw ``request`` (JSON: name → path of a figure module) into ``output`` (JSON), checking
    that the package was imported from ``source``, the folder that was hashed."""
    drawn = {}
    for name, path in json.loads(request).items():
        module = load_figure(Path(path))
        data = data_files(module)
        drawn[name] = {"svg": render_svg(module), "data": data}
    package = sys.modules.get(PACKAGE)
    folder = Path(source).resolve() / PACKAGE
    if package is not None and not Path(package.__file__).resolve().is_relative_to(folder):
        sys.exit(f"{PACKAGE} was imported from {package.__file__}, not from {folder}")
    Path(output).write_text(json.dumps(drawn), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
