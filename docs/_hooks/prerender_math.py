"""MkDocs hook: typeset every formula when the site is built, so readers run no MathJax at all.

Pages leave the Markdown stage with raw TeX: ``pymdownx.arithmatex`` (``generic: true``) wraps
it in ``<span class="arithmatex">\\(…\\)</span>`` and ``<div class="arithmatex">\\[…\\]</div>``,
and mkdocs-jupyter leaves ``$…$`` and ``$$…$$`` in the notebooks' ``.jp-RenderedMarkdown``
cells. In ``on_post_page`` this hook replaces each formula with MathJax 4's CommonHTML output,
typeset by ``tools/mathjax/render.mjs`` (one long-lived Node process, started on the first
formula not in the cache). A screen reader reads each formula by its spoken form (the
container's ``aria-label``, role ``math``; the glyphs are hidden from it): MathJax's hidden
assistive MathML would put every formula in the page twice, and the browser styles and lays
out that copy too (a quarter of the DOM of the pages with the most math).

* **Stylesheet.** Every page links ``assets/mathjax/mathjax.css``: the rules every formula
  needs plus those of each formula on the site (MathJax's CSS depends on the characters used).
  It is on every page, so instant navigation to a page with math finds it already loaded.
* **Fonts.** Each MathJax woff2 font the stylesheet names is written to
  ``assets/mathjax/fonts/`` holding only the characters the site's formulas draw (fontTools'
  subsetter): about a fifth of its size, and a page's first requests carry less. A page
  preloads the ones the formulas of its first blocks use (those the stylesheet lays out from
  the start), so the glyphs of the first screen arrive with the first requests, and the fonts
  of formulas far below do not compete with them for the phone's network.
* **Search.** The search index is built from the page before this hook runs, so its excerpts
  hold TeX. ``assets/mathjax/search-math.json`` maps each formula (whitespace collapsed) to its
  HTML; ``javascripts/search-math.js`` fetches it the first time a search result shows TeX and
  swaps the TeX for the typeset formula.
* **Cache.** Typeset formulas are kept in ``.cache/mathjax/`` keyed by the TeX and whether it is
  displayed, in a file named after a hash of ``render.mjs`` and ``package-lock.json`` (a new
  MathJax starts a new cache). A rebuild under ``mkdocs serve`` typesets only new formulas,
  and the Node process outlives the rebuild.
* **Errors.** A formula MathJax cannot typeset (an undefined macro, unbalanced braces) is a
  warning, so ``mkdocs build --strict`` fails and names the page and the TeX.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import html
import io
import json
import logging
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from fontTools import subset
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.prerender_math")

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "mathjax"
RENDERER = TOOL / "render.mjs"
FONTS = TOOL / "node_modules" / "@mathjax" / "mathjax-newcm-font" / "chtml" / "woff2"
CACHE_DIR = ROOT / ".cache" / "mathjax"
TARGET = "assets/mathjax"
STYLESHEET = f"{TARGET}/mathjax.css"
SEARCH_MAP = f"{TARGET}/search-math.json"

#: Math that arithmatex (generic mode) wraps: inline \(…\), display \[…\] or an environment.
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
#: A notebook's rendered Markdown cell (nbconvert writes no <div> inside one).
NOTEBOOK_CELL = re.compile(
    r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL
)
#: Inside a notebook cell: code (left alone) or a tag; the text between is searched for math.
CODE_OR_TAG = re.compile(r"<(pre|code)\b.*?</\1>|<[^>]+>", re.DOTALL)
#: Notebook math, display first: $$…$$, \[…\], $…$, \(…\) (a backslash-escaped $ is not one).
NOTEBOOK_MATH = re.compile(
    r"(?<!\\)\$\$(?P<d1>.+?)(?<!\\)\$\$|\\\[(?P<d2>.+?)\\\]"
    r"|(?<![\\$])\$(?P<i1>[^$]+?)(?<!\\)\$|\\\((?P<i2>.+?)\\\)",
    re.DOTALL,
)
#: A woff2 file named in an @font-face rule of the stylesheet, with its font family.
FONT_FACE = re.compile(r"font-family:\s*(MJX-[\w-]+);\s*src:\s*url\(\"fonts/([\w.-]+)\"\)")
#: Where a formula's HTML names a font: an NCM-* class or an explicit MJX-* family.
FONT_NAMES = re.compile(r"\b(?:MJX-)?(NCM-[A-Z0-9]+|BRK|NCM-ZERO)\b")
#: The blocks of the article laid out from the start: docs/stylesheets/extra.css lets the browser
#: skip the 21st block on (``:nth-child(n + 21)``) while it is off screen.
FIRST_BLOCKS = 20
#: A tag of a formula's HTML: what is left without them is the text its glyphs draw.
TAG = re.compile(r"<[^>]+>")
#: Elements whose font the stylesheet sets to MJX-BRK: break points and breakable line stacks.
BREAKS = re.compile(r"<mjx-break\b|<mjx-linestack[^>]*\bbreakable\b")

# MkDocs 1.6.1 executes each hook file once per process: `Hooks._load_hook` is cached
# (functools.lru_cache) on the config option that every MkDocsConfig shares, so a rebuild of
# `mkdocs serve`, which loads mkdocs.yml again, gets this same module. The Node process and the
# formulas in memory therefore survive a rebuild as module globals, as serve_cache.py's do
# (tests/test_docs_tooling.py checks the fact).
STATE = SimpleNamespace()


def key(tex: str, display: bool) -> str:
    """Cache and search-map key of a formula: D or I, then the TeX with whitespace collapsed."""
    return ("D" if display else "I") + " ".join(tex.split())


def cache_file() -> Path:
    digest = hashlib.sha256()
    for path in (RENDERER, TOOL / "package-lock.json"):
        digest.update(path.read_bytes())
    return CACHE_DIR / f"formulas-{digest.hexdigest()[:16]}.json"


class Renderer:
    """The Node process of ``render.mjs``: TeX in, CommonHTML and its CSS out, in batches."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None or not (TOOL / "node_modules").is_dir():
            raise PluginError(
                "MathJax is not installed: run `make install` (needs Node.js; it runs npm ci "
                "in tools/mathjax)"
            )
        self.process = subprocess.Popen(
            [node, str(RENDERER), "fonts"],
            cwd=TOOL,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        atexit.register(self.close)
        self.base_css: list[str] = self._read()["css"]

    def _read(self) -> dict | list:
        line = self.process.stdout.readline()
        if not line:
            raise PluginError(f"{RENDERER.name} stopped (exit code {self.process.poll()})")
        return json.loads(line)

    def render(self, formulas: list[tuple[str, bool]]) -> list[dict]:
        batch = [{"tex": tex, "display": display} for tex, display in formulas]
        self.process.stdin.write(json.dumps(batch) + "\n")
        self.process.stdin.flush()
        return self._read()

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if self.alive():
            self.process.stdin.close()
            self.process.wait(timeout=10)


def renderer() -> Renderer:
    current = getattr(STATE, "renderer", None)
    if current is None or not current.alive():
        current = STATE.renderer = Renderer()
    return current


class MathCache:
    """Typeset formulas by :func:`key`, loaded from and saved to :func:`cache_file`."""

    def __init__(self) -> None:
        self.path = cache_file()
        if getattr(STATE, "cache_path", None) != self.path:
            STATE.cache_path = self.path
            STATE.formulas = self._load()
            STATE.base_css = STATE.formulas.pop("", {}).get("css")
        self.formulas: dict[str, dict] = STATE.formulas
        self.used: dict[str, None] = {}  # keys typeset in this build, in order
        self.changed = False

    def _load(self) -> dict[str, dict]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def typeset(self, formulas: list[tuple[str, bool]], where: str) -> list[str]:
        """The HTML of each ``(tex, display)``, typesetting those not cached yet."""
        missing = list({key(*f): f for f in formulas if key(*f) not in self.formulas}.items())
        if missing:
            results = renderer().render([formula for _, formula in missing])
            for (k, (tex, _)), result in zip(missing, results, strict=True):
                if "error" in result:
                    log.warning("%s: MathJax cannot typeset %r: %s", where, tex, result["error"])
                    continue  # not cached: the next build reports it again
                self.formulas[k] = {"html": result["html"], "css": result["css"]}
                self.changed = True
        out = []
        for f in formulas:
            k = key(*f)
            self.used[k] = None
            out.append(self.formulas[k]["html"] if k in self.formulas else html.escape(f[0]))
        return out

    def base_css(self) -> list[str]:
        if STATE.base_css is None:
            STATE.base_css = renderer().base_css
            self.changed = True
        return STATE.base_css

    def stylesheet(self) -> str:
        rules = dict.fromkeys(self.base_css())
        for k in self.used:
            if k in self.formulas:
                rules.update(dict.fromkeys(self.formulas[k]["css"]))
        return "\n\n".join(rules) + "\n"

    def save(self) -> None:
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        kept = {k: self.formulas[k] for k in self.used if k in self.formulas}
        kept[""] = {"css": self.base_css()}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)


def arithmatex_formulas(page_html: str) -> list[tuple[str, bool]]:
    formulas = []
    for match in ARITHMATEX.finditer(page_html):
        tex = html.unescape(match.group(2)).strip()
        if tex.startswith("\\(") and tex.endswith("\\)"):
            formulas.append((tex[2:-2], False))
        elif tex.startswith("\\[") and tex.endswith("\\]"):
            formulas.append((tex[2:-2], True))
        else:  # an environment such as \begin{align}…\end{align}
            formulas.append((tex, True))
    return formulas


def notebook_math(cell_html: str) -> list[tuple[int, int, str, bool]]:
    """``(start, end, tex, display)`` of every formula in a notebook cell's HTML."""
    found, position = [], 0
    for piece in [*CODE_OR_TAG.finditer(cell_html), None]:
        end = piece.start() if piece else len(cell_html)
        text = cell_html[position:end]
        for math in NOTEBOOK_MATH.finditer(text):
            display = math.group("d1") is not None or math.group("d2") is not None
            tex = next(g for g in math.group("d1", "d2", "i1", "i2") if g is not None)
            found.append(
                (position + math.start(), position + math.end(), html.unescape(tex), display)
            )
        position = piece.end() if piece else end
    return found


def typeset_page(page_html: str, cache: MathCache, where: str) -> str:
    formulas = arithmatex_formulas(page_html)
    typeset = iter(cache.typeset(formulas, where))
    page_html = ARITHMATEX.sub(
        lambda m: f'<{m.group(1)} class="arithmatex">{next(typeset)}</{m.group(1)}>', page_html
    )

    def typeset_cell(match: re.Match[str]) -> str:
        cell = match.group(2)
        spans = notebook_math(cell)
        rendered = cache.typeset([(tex, display) for _, _, tex, display in spans], where)
        for (start, end, _, _), formula in reversed(list(zip(spans, rendered, strict=True))):
            cell = cell[:start] + formula + cell[end:]
        return match.group(1) + cell + match.group(3)

    return NOTEBOOK_CELL.sub(typeset_cell, page_html)


def drawn_characters(formulas: list[str]) -> frozenset[str]:
    """Every character the HTML ``formulas`` draw: MathJax 4 writes each glyph as the text of an
    element (``<mjx-c>``, the pieces of a stretched delimiter), in the font its classes name."""
    return frozenset("".join(html.unescape(TAG.sub("", formula)) for formula in formulas))


@functools.cache
def subset_font(file: str, characters: frozenset[str]) -> bytes:
    """MathJax's woff2 font ``file`` holding only ``characters`` (and the glyphs its layout
    features reach from them). Cached, so a rebuild of ``mkdocs serve`` redoes none."""
    options = subset.Options(flavor="woff2", layout_features=["*"], notdef_outline=True)
    options.drop_tables.append("ltag")  # language tags, which the subsetter cannot cut
    font = subset.load_font(str(FONTS / file), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(map(ord, characters)))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def font_files(stylesheet: str) -> dict[str, str]:
    """Font family (``MJX-NCM-N``) to woff2 file name, from the stylesheet's @font-face rules."""
    return {family: file for family, file in FONT_FACE.findall(stylesheet)}


# ---- MkDocs events ----------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    STATE.cache = MathCache()
    STATE.families = font_files("\n".join(STATE.cache.base_css()))
    config.extra_css.append(STYLESHEET)
    return config


def fonts_used(output: str) -> set[str]:
    """The MathJax font families a typeset page draws with, so that it can preload them all:
    a font that arrives after the first paint re-lays out the lines it is in and moves
    everything below them (a layout shift)."""
    used = {f"MJX-{name}" for name in FONT_NAMES.findall(output)} | {"MJX-NCM-ZERO"}
    if BREAKS.search(output):  # the stylesheet draws inline math's break points in MJX-BRK
        used.add("MJX-BRK")
    return used


VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _FirstBlocks(HTMLParser):
    """Where the article's block number ``FIRST_BLOCKS + 1`` starts, as ``(line, column)``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0  # 1 inside the article, at its blocks' level; 0 before it
        self.blocks = 0
        self.end: tuple[int, int] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if self.depth == 0:
            self.depth = int(
                tag == "article" and "md-content__inner" in (dict(attrs).get("class") or "")
            )
            return
        if self.depth == 1:
            self.blocks += 1
            if self.blocks > FIRST_BLOCKS:
                self.end, self.done = self.getpos(), True
                return
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.done or self.depth == 0 or tag in VOID_ELEMENTS:
            return
        self.depth -= 1
        self.done = self.depth == 0  # the article's end: it has no more blocks


def first_blocks(output: str) -> str:
    """The page up to the article's first ``FIRST_BLOCKS`` blocks' end (all of it if shorter)."""
    parser = _FirstBlocks()
    parser.feed(output)
    parser.close()
    if parser.end is None:
        return output
    line, column = parser.end
    lines = output.splitlines(keepends=True)
    return "".join(lines[: line - 1]) + lines[line - 1][:column]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if 'class="arithmatex"' not in output and "jp-RenderedMarkdown" not in output:
        return output
    output = typeset_page(output, STATE.cache, page.file.src_uri)
    used = fonts_used(first_blocks(output))
    preloads = "".join(
        f'<link rel="preload" href="{get_relative_url(f"{TARGET}/fonts/{file}", page.url)}" '
        'as="font" type="font/woff2" crossorigin>'
        for family, file in sorted(STATE.families.items())
        if family in used
    )
    return output.replace("</head>", preloads + "</head>", 1)


def on_post_build(config: MkDocsConfig) -> None:
    cache: MathCache = STATE.cache
    site = Path(config.site_dir)
    stylesheet = cache.stylesheet()
    (site / TARGET / "fonts").mkdir(parents=True, exist_ok=True)
    (site / STYLESHEET).write_text(stylesheet, encoding="utf-8")
    search = {k: cache.formulas[k]["html"] for k in cache.used if k in cache.formulas}
    characters = drawn_characters(list(search.values()))
    for file in sorted(set(font_files(stylesheet).values())):
        (site / TARGET / "fonts" / file).write_bytes(subset_font(file, characters))
    (site / SEARCH_MAP).write_text(json.dumps(search, ensure_ascii=False), encoding="utf-8")
    cache.save()
