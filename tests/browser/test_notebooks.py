"""Every lesson's code as a notebook (docs/_hooks/notebooks.py), checked in the built site.

No browser needed. The notebooks' code cells run top to bottom in this process, one namespace
per notebook, from the root of the repository (the pages that read ``benchmarks/*.json`` or a
figure script say so in their first Markdown cell); the ``install`` cell is not run, only
checked to be valid IPython.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from load_module import load_module
from numcheck import DEFAULT_PRINT_OPTIONS, DOCS, ROOT, markdown_pages, split_page
from siteserver import Site

HOOK = load_module(DOCS / "_hooks" / "notebooks.py", "notebooks_hook")
KEPT = load_module(ROOT / "tools" / "notebooks.py", "kept_notebooks")
#: Every Markdown page with python or pycon code: each must have a notebook.
LESSONS = [
    page
    for page in markdown_pages()
    if any(block.kind in ("python", "pycon") for block in split_page(page.read_text("utf-8")))
]
COMMITTED = DOCS / "notebooks" / "toy_walkthrough.ipynb"
LINK = re.compile(r"\]\((?P<target>[^)\s]+)|\b(?:href|src)=\"(?P<html>[^\"]*)\"")


def _name(page: Path) -> str:
    return page.relative_to(DOCS).with_suffix("").as_posix()


def _notebook(site: Site, page: Path) -> nbformat.NotebookNode:
    path = site.root / "notebooks" / f"{_name(page)}.ipynb"
    assert path.is_file(), f"no notebook for {page.name} in the build"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return notebook


def _links(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        m["target"] or m["html"]
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for m in LINK.finditer(cell.source)
    ]


def _install_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cells = [c for c in notebook.cells if "install" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "one cell tagged install"
    return cells[0]


def test_the_lessons_with_code_are_many() -> None:
    assert len(LESSONS) >= 20, [p.name for p in LESSONS]


@pytest.mark.parametrize("page", LESSONS, ids=_name)
def test_the_notebook_of_a_lesson_runs_top_to_bottom(
    site: Site, page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = _notebook(site, page)
    install = notebook.cells[0]
    assert install is _install_cell(notebook), "the first cell installs the package"
    python = TransformerManager().transform_cell(install.source)
    compile(python, "install cell", "exec")  # valid IPython
    assert "import rnn_derivatives" in install.source and "%pip install" in install.source
    code = [c for c in notebook.cells[1:] if c.cell_type == "code"]
    assert code, "the notebook has the page's code"
    assert not any(c.get("outputs") for c in code), "no outputs are stored"
    monkeypatch.chdir(ROOT)
    namespace = {"__name__": "__notebook__"}
    with np.printoptions(), contextlib.redirect_stdout(io.StringIO()):
        np.set_printoptions(**DEFAULT_PRINT_OPTIONS)
        for index, cell in enumerate(code, start=1):
            try:
                exec(compile(cell.source, f"{page.name} code cell {index}", "exec"), namespace)
            except Exception as error:
                pytest.fail(f"code cell {index} raised {error!r}:\n{cell.source}")


@pytest.mark.parametrize("page", LESSONS, ids=_name)
def test_the_notebook_links_to_the_site_with_absolute_addresses(site: Site, page: Path) -> None:
    notebook = _notebook(site, page)
    links = _links(notebook)
    assert f"]({site.url}{_name(page)}/)" in notebook.cells[1].source, "names its page"
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme in ("http", "https", "mailto"), f"relative link {link!r}"
    for link in links:
        if link.startswith(site.url):
            local = site.root / urlsplit(link).path.removeprefix(urlsplit(site.url).path)
            assert local.exists() or (local / "index.html").exists(), f"{link} is not built"


def test_a_notebook_that_reads_repository_files_says_to_run_it_in_a_clone(site: Site) -> None:
    notebook = _notebook(site, DOCS / "performance.md")
    intro = notebook.cells[1].source
    assert "`benchmarks/results.json`" in intro and "clone" in intro
    assert "clone" not in _notebook(site, DOCS / "softmax.md").cells[1].source


@pytest.mark.parametrize("page", LESSONS, ids=_name)
def test_the_lesson_page_has_a_download_button_for_its_notebook(site: Site, page: Path) -> None:
    html = (site.root / _name(page) / "index.html").read_text("utf-8")
    button = re.search(
        r'<a href="(?P<href>[^"]*\.ipynb)" title="Download[^"]*"[^>]*download>', html
    )
    assert button, f"{page.name}: no download button"
    assert button["href"] == f"../notebooks/{_name(page)}.ipynb"


def test_pages_without_code_have_no_notebook(site: Site) -> None:
    assert not (site.root / "notebooks" / "references.ipynb").exists()
    assert "download>" not in (site.root / "references" / "index.html").read_text("utf-8")


def test_the_committed_notebook_installs_the_package_and_its_download_links_are_absolute(
    site: Site,
) -> None:
    committed = nbformat.read(COMMITTED, as_version=4)
    assert "import rnn_derivatives" in _install_cell(committed).source
    copy = nbformat.read(
        site.root / "notebooks" / "toy_walkthrough" / "toy_walkthrough.ipynb", as_version=4
    )
    links = _links(copy)
    assert f"{site.url}toy-network/" in links
    assert all(urlsplit(link).scheme in ("http", "https") for link in links), links
    page = (site.root / "notebooks" / "toy_walkthrough" / "index.html").read_text("utf-8")
    assert f'href="{site.url}toy-network/"' in page, "the page is rendered from the copy"


def test_colab_opens_a_committed_notebook_only_from_a_github_repository_it_installs_from() -> None:
    github = "https://github.com/someone/rnn-derivatives"
    notebook = nbformat.read(COMMITTED, as_version=4)
    ours = HOOK.committed_notebook(notebook, "https://x.example/n/", github)
    assert HOOK.installs_from(ours) == github
    colab = "https://colab.research.google.com/github/someone/rnn-derivatives/blob/main/a/b.ipynb"
    assert HOOK.colab_link(ours, github, "edit/main/docs/", "a/b.ipynb") == colab
    fork = HOOK.committed_notebook(notebook, "https://x.example/n/", "https://github.com/o/r")
    assert HOOK.colab_link(fork, github, "edit/main/docs/", "a/b.ipynb") is None
    elsewhere = "https://example.invalid/rnn-derivatives"
    mine = HOOK.committed_notebook(notebook, "https://x.example/n/", elsewhere)
    assert HOOK.colab_link(mine, elsewhere, "edit/main/docs/", "a/b.ipynb") is None


def test_the_notebooks_kept_for_colab_are_the_pages_notebooks() -> None:
    wanted = KEPT.lesson_notebooks()
    assert sorted(p.relative_to(KEPT.KEPT).with_suffix("").as_posix() for p in wanted) == sorted(
        _name(page) for page in LESSONS
    )
    stale = [p.relative_to(ROOT).as_posix() for p in KEPT.stale(wanted)]
    assert not stale, f"{stale} differ from their pages: run `make notebooks`"
    site_url, repo_url = KEPT.addresses()
    kept = nbformat.read(KEPT.KEPT / "softmax.ipynb", as_version=4)
    assert HOOK.installs_from(kept) == repo_url
    assert f"]({site_url}softmax/)" in kept.cells[1].source, "links to the published site"


def test_a_lesson_links_to_colab_when_its_kept_notebook_installs_from_the_github_repository(
    tmp_path: Path,
) -> None:
    github = "https://github.com/someone/rnn-derivatives"
    page = "# Page\n\n```python\nx = 1\n```\n"
    path = "notebooks/page.ipynb"
    assert HOOK.kept_colab_link(path, github, "edit/main/docs/", tmp_path) is None, "none kept"
    (tmp_path / "notebooks").mkdir()
    for repo_url, link in [
        (
            github,
            f"https://colab.research.google.com/github/someone/rnn-derivatives/blob/main/{path}",
        ),
        ("https://github.com/a/fork", None),  # installs from another repository
    ]:
        notebook = HOOK.page_notebook(page, "Page", "https://x.example/page/", repo_url, str)
        (tmp_path / path).write_text(nbformat.writes(notebook), encoding="utf-8")
        assert HOOK.kept_colab_link(path, github, "edit/main/docs/", tmp_path) == link
    elsewhere = "https://example.invalid/rnn-derivatives"
    notebook = HOOK.page_notebook(page, "Page", "https://x.example/page/", elsewhere, str)
    (tmp_path / path).write_text(nbformat.writes(notebook), encoding="utf-8")
    assert HOOK.kept_colab_link(path, elsewhere, "edit/main/docs/", tmp_path) is None, "not GitHub"


def test_the_same_page_gives_the_same_notebook() -> None:
    def notebook() -> str:
        text = "# Page\n\nProse.\n\n```python\nx = 1\n```\n\n```pycon\n>>> x\n1\n```\n"
        return nbformat.writes(HOOK.page_notebook(text, "Page", "u", "r", lambda t: t))

    assert notebook() == notebook()


def test_pycon_blocks_become_cells_without_prompts_one_per_shown_output() -> None:
    cells = HOOK.pycon_cells(
        ">>> a = 1\n>>> b = a + 1\n>>> b\n2\n>>> for i in range(2):\n...     print(i)\n0\n1\n"
        ">>> int('x')\nTraceback (most recent call last):\nValueError: invalid literal\n"
    )
    assert cells[:2] == ["a = 1\nb = a + 1\nb", "for i in range(2):\n    print(i)"]
    assert cells[2].startswith("try:\n    int('x')\nexcept Exception")
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        for cell in cells:
            exec(cell, namespace)
    assert "ValueError" in out.getvalue()


def test_admonitions_and_folds_read_as_plain_markdown() -> None:
    text = (
        '???+ question "How many?"\n    Count them.\n\n    ??? success "Answer"\n'
        "        ```python\n        n = 3\n        ```\n\n        Three.\n\nAfter.\n"
    )
    pieces = HOOK.split_markdown(text)
    assert pieces[1] == ("python", "n = 3")
    assert pieces[0][1].split("\n") == ["**How many?**", "", "Count them.", "", "**Answer**", ""]
    assert pieces[2][1].strip() == "Three.\n\nAfter."
    assert HOOK.plain_prose("<details markdown>\n<summary>Set-up</summary>\n\nText") == (
        "**Set-up**\n\nText"
    )
