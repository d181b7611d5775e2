"""MkDocs hook: the package version and the build date, for the footer.

Sets ``config.extra.build`` to ``{"version": ..., "date": ...}``; the footer
(``docs/_overrides/partials/copyright.html``) shows both with the licences of text and code.

* ``version`` is the installed package's, from its metadata (``importlib.metadata``), which
  ``make install`` writes from ``rnn_derivatives.__version__``.
* ``date`` is the day (UTC, ``YYYY-MM-DD``) of ``SOURCE_DATE_EPOCH`` when it is set, else of the
  last commit: never the clock, so building the same commit twice gives the same pages. Without
  either (a copy of the sources outside git) the footer shows no date.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "rnn-derivatives"


def build_epoch() -> int | None:
    """Seconds since the epoch of the build: ``SOURCE_DATE_EPOCH``, else the last commit's."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(done.stdout) if done.stdout.strip() else None


def build_info() -> dict[str, str | None]:
    epoch = build_epoch()
    date = None if epoch is None else datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")
    return {"version": importlib.metadata.version(DISTRIBUTION), "date": date}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.extra["build"] = build_info()
    return config
