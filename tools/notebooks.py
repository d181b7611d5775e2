"""Write the lessons' notebooks that Colab opens: ``make notebooks`` (``--check``: only compare).

Colab opens a notebook from a GitHub repository, so each lesson's notebook (made from its page
by ``docs/_hooks/notebooks.py``, the same function the build uses) is kept under ``notebooks/``:
its links point at the published site and its first cell installs the package from the
repository, both read from ``[project.urls]`` in ``pyproject.toml`` (``Documentation``,
``Source``). Run it after changing a page; the tests fail while a kept notebook differs.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tomllib
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files

ROOT = Path(__file__).resolve().parents[1]
KEPT = ROOT / "notebooks"


def addresses() -> tuple[str, str]:
    """The published site's address and the repository's, from ``pyproject.toml``."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["urls"]
    return urls["Documentation"], urls["Source"]


def lesson_notebooks() -> dict[Path, str]:
    """Every lesson notebook as the repository keeps it: ``path -> text``."""
    spec = importlib.util.spec_from_file_location(
        "kept_notebooks_hook", ROOT / "docs" / "_hooks" / "notebooks.py"
    )
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    site_url, repo_url = addresses()
    config = load_config(str(ROOT / "mkdocs.yml"), site_url=site_url, repo_url=repo_url)
    made = hook.lesson_notebooks(get_files(config), site_url, repo_url)
    return {ROOT / path: text for path, text in made.values()}


def stale(wanted: dict[Path, str]) -> list[Path]:
    """The kept notebooks that differ from ``wanted``, are missing, or have no page."""
    kept = set(KEPT.glob("**/*.ipynb"))
    wrong = [p for p, t in wanted.items() if not p.is_file() or p.read_text("utf-8") != t]
    return sorted(wrong + [p for p in kept if p not in wanted])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say which notebooks differ")
    args = parser.parse_args(argv)
    wanted = lesson_notebooks()
    wrong = stale(wanted)
    if args.check:
        for path in wrong:
            print(f"{path.relative_to(ROOT)} differs from its page: run `make notebooks`")
        return 1 if wrong else 0
    for path in wrong:
        if path in wanted:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wanted[path], encoding="utf-8")
        else:
            path.unlink()
    print(f"{len(wanted)} notebooks in {KEPT.relative_to(ROOT)}/, {len(wrong)} written or removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
