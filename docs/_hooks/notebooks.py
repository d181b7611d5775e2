"""MkDocs hook: every lesson's code as a notebook, made from the page when the site is built.

For each Markdown page with ```` ```python ```` fences or ```` ```pycon ```` blocks, ``on_files``
writes ``notebooks/<page>.ipynb`` into the built site (``File.generated``, so ``mkdocs serve``
gets it too) with nbformat. Nothing is committed, so a notebook cannot drift from its page:

* a first Markdown cell saying which page the notebook comes from (an absolute link) and, when
  the page's code reads files of the repository (a string naming a file of the clone, such as
  ``"benchmarks/results.json"``), that it is to be run from the root of a clone;
* a code cell, tagged ``install``, that installs the package from the repository
  (``repo_url``) when it is missing;
* the page itself: its prose as Markdown cells (pins and front matter removed, admonitions
  turned into bold titles, every relative link made absolute to ``site_url`` so that it works
  in a downloaded copy), each python fence as a code cell, and each pycon block as code cells
  with the prompts stripped, one cell for each example that prints something (with the
  examples before it), so that every output the page shows is shown by a cell. An example that
  the page shows raising an exception is run inside ``try``, printing the exception, so that
  "Run all" goes on. Outputs are not stored.

A notebook page's description (its ``<meta name="description">``, see ``main.html``) is the
``description`` of the notebook's metadata, as a Markdown page's is in its front matter.

The page shows a download button for its notebook (``docs/_overrides/main.html`` reads
``config.extra.notebooks``).

The notebooks kept in the repository (``docs/notebooks/*.ipynb``, pages of their own through
mkdocs-jupyter) get the same treatment: this hook points the page's file at a copy in
``.cache/notebooks/`` with every relative link made absolute and the ``install`` cell pointed at
``repo_url``; mkdocs-jupyter renders the page from that copy and puts it beside the page for
download (``include_source``).

Colab opens notebooks from GitHub, not from a site, so the lessons' notebooks are also kept in
the repository under ``notebooks/`` (``make notebooks`` writes them, for the published site's
address and the repository named in ``pyproject.toml``; a test fails when one differs from its
page). A page links to Colab when ``repo_url`` is a GitHub repository and the notebook kept in
the repository (the committed notebook, or the lesson's copy) installs from that repository,
so that the copy Colab opens can install the package.
"""

from __future__ import annotations

import doctest
import hashlib
import importlib.util
import json
import posixpath
import re
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin, urlsplit

import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parents[2]
TARGET = "notebooks"
CACHE_DIR = ROOT / ".cache" / "notebooks"
PACKAGE = "rnn_derivatives"
INSTALL_TAG = "install"


def _sibling(name: str) -> ModuleType:
    """The module ``docs/_hooks/<name>.py``, loaded from its file (hooks are not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"notebooks_{name}", Path(__file__).with_name(f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PIN: re.Pattern[str] = _sibling("pins").PIN
#: Fences as the tests' numcheck reads them (one reader for both).
read_fence = _sibling("fences").read_fence

#: ``!!! note "Title"``, ``??? question``, ``???+ success "Answer"``, ``=== "Tab"``.
_BLOCK = re.compile(
    r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===)\s*(?P<kind>[\w-]*)\s*(?:"(?P<title>.*)")?\s*$'
)
#: A Markdown link or image target, ``](target)`` or ``](target "title")``.
_MD_LINK = re.compile(r"\]\((?P<target><[^>]*>|[^)\s]+)(?P<rest>\s+\"[^\"]*\")?\)")
#: An HTML ``href``/``src`` attribute.
_HTML_LINK = re.compile(r"(?P<attr>\b(?:href|src))=\"(?P<target>[^\"]*)\"")
#: A string literal that may name a file of the repository, ``"benchmarks/results.json"``.
_REPO_PATH = re.compile(r"[\"'](?P<path>[\w.-]+(?:/[\w.-]+)+)[\"']")


def split_markdown(text: str) -> list[tuple[str, str]]:
    """The page as ``(kind, text)`` pieces: ``prose``, ``python``, ``pycon`` or ``code``.

    Fences are found at any indentation (inside admonitions too) and their body dedented by the
    fence's indentation; admonition and tab headers become bold lines and their bodies are
    dedented, so that the prose reads as plain Markdown.
    """
    pieces: list[tuple[str, str]] = []
    prose: list[str] = []
    open_blocks: list[int] = []  # indentation of each enclosing admonition or tab
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip():
            indent = len(line) - len(line.lstrip())
            while open_blocks and indent < open_blocks[-1] + 4:
                open_blocks.pop()
        cut = open_blocks[-1] + 4 if open_blocks else 0
        block = _BLOCK.match(line)
        block = block if block and (block["kind"] or block["title"]) else None
        fence = read_fence(lines, i)
        if block:
            title = block["title"] or block["kind"].capitalize()
            prose += [f"**{title}**", ""]  # a paragraph of its own
            open_blocks.append(len(block["indent"]))
            i += 1
        elif fence:
            if prose:
                pieces.append(("prose", "\n".join(prose)))
                prose = []
            if fence.kind == "code":
                prose += [f"```{fence.lang}", *fence.body, "```"]
            else:
                pieces.append((fence.kind, "\n".join(fence.body)))
            i = fence.end
        else:
            prose.append(line[cut:] if line[:cut].strip() == "" else line.lstrip())
            i += 1
    if prose:
        pieces.append(("prose", "\n".join(prose)))
    return pieces


def pycon_cells(text: str) -> list[str]:
    """The code cells of one pycon block: prompts stripped, one cell per example that prints
    something (with the silent examples before it); an example that raises is wrapped in
    ``try`` and prints the exception."""
    cells: list[str] = []
    pending: list[str] = []
    for example in doctest.DocTestParser().get_examples(text):
        source = example.source.rstrip("\n")
        if example.exc_msg is not None:
            if pending:
                cells.append("\n".join(pending))
                pending = []
            body = "\n".join("    " + line for line in source.splitlines())
            cells.append(
                f"try:\n{body}\nexcept Exception as error:  # the page shows this error\n"
                '    print(f"{type(error).__name__}: {error}")'
            )
            continue
        pending.append(source)
        if example.want:
            cells.append("\n".join(pending))
            pending = []
    if pending:
        cells.append("\n".join(pending))
    return cells


#: ``<details …>`` and ``</details>``: a fold around code would be cut in two by the cells.
_DETAILS = re.compile(r"^[ \t]*</?details\b[^>]*>[ \t]*$", re.M)
_SUMMARY = re.compile(r"<summary>(?P<text>.*?)</summary>", re.S)


def plain_prose(text: str) -> str:
    """Prose without the ``<details>`` folds (their ``<summary>`` kept as a bold line)."""
    return _SUMMARY.sub(lambda m: f"**{m['text'].strip()}**", _DETAILS.sub("", text)).strip()


def absolute_links(markdown: str, resolve) -> str:
    """``markdown`` with every relative link target replaced by ``resolve(target)``."""

    def relative(target: str) -> bool:
        parts = urlsplit(target)
        return not (parts.scheme or parts.netloc or target.startswith("/"))

    def md(match: re.Match) -> str:
        target = match["target"].strip("<>")
        new = resolve(target) if relative(target) else target
        return f"]({new}{match['rest'] or ''})"

    def html(match: re.Match) -> str:
        target = match["target"]
        new = resolve(target) if relative(target) else target
        return f'{match["attr"]}="{new}"'

    return _HTML_LINK.sub(html, _MD_LINK.sub(md, markdown))


def page_resolver(src_uri: str, files: Files, site_url: str):
    """Resolve a link of the Markdown page ``src_uri`` to an absolute address on the site."""
    page = files.get_file_from_path(src_uri)

    def resolve(target: str) -> str:
        path, _, fragment = target.partition("#")
        if not path:
            url = page.url if page else ""
        else:
            name = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
            file = files.get_file_from_path(name)
            url = file.url if file is not None else name
        return urljoin(site_url, url) + (f"#{fragment}" if fragment else "")

    return resolve


def install_source(repo_url: str) -> str:
    return (
        "# Installs the package from its repository when it is missing (in Colab, say).\n"
        "try:\n"
        f"    import {PACKAGE}  # noqa: F401\n"
        "except ImportError:\n"
        f'    %pip install --quiet "git+{repo_url}"'
    )


def repository_files(code: list[str]) -> list[str]:
    """The files of the repository that ``code`` names with a relative path, in order."""
    found: list[str] = []
    for source in code:
        for match in _REPO_PATH.finditer(source):
            path = match["path"]
            if (ROOT / path).is_file() and path not in found:
                found.append(path)
    return found


def new_notebook(cells: list) -> nbformat.NotebookNode:
    """A notebook of ``cells`` whose cell ids come from their place and source (nbformat draws
    random ones), so the same page gives the same notebook, byte for byte."""
    for index, cell in enumerate(cells):
        cell.id = hashlib.sha256(f"{index}\0{cell.source}".encode()).hexdigest()[:8]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook


def page_notebook(
    markdown: str, title: str, page_url: str, repo_url: str, resolve
) -> nbformat.NotebookNode | None:
    """The notebook of a page's Markdown (front matter and pins removed), or None without code."""
    pieces = split_markdown(markdown)
    code: list[str] = []
    cells = []
    for kind, text in pieces:
        if kind == "prose":
            text = plain_prose(text)
            if text:
                cells.append(nbformat.v4.new_markdown_cell(absolute_links(text, resolve)))
        elif kind == "python":
            code.append(text)
            cells.append(nbformat.v4.new_code_cell(text))
        else:
            for source in pycon_cells(text):
                code.append(source)
                cells.append(nbformat.v4.new_code_cell(source))
    if not code:
        return None
    intro = (
        f"This notebook holds the code of the page [{title}]({page_url}), made from the page "
        "when the site was built. Run it top to bottom; the cell above installs the package "
        "if it is missing."
    )
    reads = repository_files(code)
    if reads:
        named = ", ".join(f"`{path}`" for path in reads)
        intro += (
            f"\n\nIts code reads files of the repository ({named}): run it from the root of a "
            f"clone of [the repository]({repo_url}), with the package installed."
        )
    install = nbformat.v4.new_code_cell(install_source(repo_url))
    install.metadata["tags"] = [INSTALL_TAG]
    return new_notebook([install, nbformat.v4.new_markdown_cell(intro), *cells])


def page_title(markdown: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*$", markdown, re.M)
    return match[1] if match else fallback


def notebook_path(src_uri: str) -> str:
    return f"{TARGET}/{src_uri.removesuffix('.md')}.ipynb"


def committed_notebook(notebook: nbformat.NotebookNode, page_url: str, repo_url: str):
    """A committed notebook's site copy: relative links absolute to ``page_url``, the
    ``install`` cell pointed at ``repo_url``."""
    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in copy.cells:
        if cell.cell_type == "markdown":
            cell.source = absolute_links(cell.source, lambda target: urljoin(page_url, target))
        elif INSTALL_TAG in cell.metadata.get("tags", []):
            cell.source = install_source(repo_url)
    return copy


def installs_from(notebook: nbformat.NotebookNode) -> str | None:
    """The repository the ``install`` cell of ``notebook`` installs from, if it has one."""
    for cell in notebook.cells:
        if INSTALL_TAG in cell.metadata.get("tags", []):
            match = re.search(r'git\+(?P<url>[^"\s]+)', cell.source)
            return match["url"] if match else None
    return None


def colab_url(repo_url: str, edit_uri: str, path: str) -> str | None:
    """Colab's address for the repository file ``path``, if ``repo_url`` is on GitHub."""
    parts = urlsplit(repo_url)
    owner_repo = parts.path.strip("/").removesuffix(".git")
    if parts.netloc != "github.com" or owner_repo.count("/") != 1:
        return None
    branch = (edit_uri or "").strip("/").split("/")
    branch = branch[1] if len(branch) > 1 and branch[0] in ("edit", "blob") else "main"
    return f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{path}"


def colab_link(notebook: nbformat.NotebookNode, repo_url: str, edit_uri: str, path: str):
    """Colab's address for the committed notebook at repository path ``path``, or None: only
    for a GitHub repository, and only when the notebook's ``install`` cell installs from it (the
    copy Colab opens is the committed file, so it must name the repository itself)."""
    url = colab_url(repo_url, edit_uri, path)
    return url if url and installs_from(notebook) == repo_url else None


def lesson_notebooks(files: Files, site_url: str, repo_url: str) -> dict[str, tuple[str, str]]:
    """Each Markdown page with code: ``src_uri -> (notebook path, notebook text)``, its links
    absolute to ``site_url`` and its ``install`` cell installing from ``repo_url``."""
    notebooks: dict[str, tuple[str, str]] = {}
    for file in files:
        if file.src_uri.endswith(".md") and file.abs_src_path:
            markdown, _ = get_data(file.content_string)
            markdown = PIN.sub("", markdown)
            title = page_title(markdown, file.name)
            resolve = page_resolver(file.src_uri, files, site_url)
            page_url = urljoin(site_url, file.url)
            notebook = page_notebook(markdown, title, page_url, repo_url, resolve)
            if notebook is not None:
                notebooks[file.src_uri] = (notebook_path(file.src_uri), nbformat.writes(notebook))
    return notebooks


def kept_colab_link(path: str, repo_url: str, edit_uri: str, root: Path = ROOT) -> str | None:
    """Colab's address for a lesson's notebook: the copy kept in the repository at ``path``
    (written by ``make notebooks``), when there is one and it installs from ``repo_url``."""
    if not (root / path).is_file():
        return None
    return colab_link(nbformat.read(root / path, as_version=4), repo_url, edit_uri, path)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site_url = config.site_url or "/"
    repo_url = (config.repo_url or "").rstrip("/")
    generated: dict[str, str] = {}
    colab: dict[str, str] = {}
    for src_uri, (path, text) in lesson_notebooks(files, site_url, repo_url).items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"{path}: a file of the site has the notebook's name")
        files.append(File.generated(config, path, content=text))
        generated[src_uri] = path
        url = kept_colab_link(path, repo_url, config.edit_uri)
        if url:
            colab[src_uri] = url
    for file in list(files):
        if file.src_uri.endswith(".ipynb") and file.abs_src_path and file.is_documentation_page():
            notebook = nbformat.read(file.abs_src_path, as_version=4)
            page_url = urljoin(site_url, file.url)
            copy = nbformat.writes(committed_notebook(notebook, page_url, repo_url))
            # mkdocs-jupyter renders the page from this copy and, with `include_source`, puts
            # it beside the page for download.
            cached = CACHE_DIR / file.src_uri
            cached.parent.mkdir(parents=True, exist_ok=True)
            if not cached.exists() or cached.read_text(encoding="utf-8") != copy:
                cached.write_text(copy, encoding="utf-8")
            file.abs_src_path = str(cached)
            docs = Path(config.docs_dir).resolve().relative_to(ROOT).as_posix()
            url = colab_link(notebook, repo_url, config.edit_uri, f"{docs}/{file.src_uri}")
            if url:
                colab[file.src_uri] = url
    config.extra["notebooks"] = generated
    config.extra["colab"] = colab
    return files


def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri.endswith(".ipynb") and page.file.abs_src_path:
        description = nbformat.read(page.file.abs_src_path, as_version=4).metadata.get(
            "description"
        )
        if description:
            page.meta["description"] = description
    return markdown
