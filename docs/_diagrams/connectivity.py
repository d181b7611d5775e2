"""The connectivity view of "BPTT on real text": how strongly each input moves each later loss.

For the passage ``passage()`` (the first ``LENGTH + 1`` characters of the validation text,
read from the zero state, as validation stream 0 starts) and each stored model
(``benchmarks/char_model/<cell>.npz``), ``rnn_derivatives.input_influence`` gives
‖∂L_t/∂x_k‖ for every predicted character (position t of the passage, L_t its loss) and every
earlier input x_k (position k − 1), k ≤ t. ``html()`` puts the passage, a legend and the
norms of every cell, as one JSON blob (the attribute ``data-connectivity``), on the page;
``docs/javascripts/connectivity.js`` builds the three shaded copies of the passage from it.
``tests/test_connectivity.py`` checks the blob against the package,
``tests/browser/test_connectivity_view.py`` what the page shows.

Blob: ``{"text", "floor", "cells": [{"cell", "name", "rows"}]}``; ``rows[t - 1][d]`` is
‖∂L_t/∂x_{t−d}‖ (d = 0 the newest input) to 3 significant digits, each row cut after its
last norm ≥ ``FLOOR`` (every earlier input is below the legend's last shade).
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from pathlib import Path

import numpy as np

from rnn_derivatives import Vocabulary, input_influence, read_char_params, split_text

ROOT = Path(__file__).resolve().parents[2]
TEXT = ROOT / "data" / "tinyshakespeare.txt"
PARAMS = ROOT / "benchmarks" / "char_model"
PACKAGE = ROOT / "src" / "rnn_derivatives"
#: Where ``cached_blob`` keeps the blob, under a hash of everything that computes it.
CACHE = ROOT / ".cache" / "connectivity"
CELLS = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}
#: T, the predicted characters of the passage (it shows T + 1 characters).
LENGTH = 150
#: The legend's shades: one per decade of ‖∂L_t/∂x_k‖ from FLOOR up; below FLOOR, no shade.
FLOOR = 1e-3
SHADES = 5  # [1e-3, 1e-2), …, [1e1, ∞)


def passage() -> str:
    """The first LENGTH + 1 characters of the validation text (char-rnn's last 10 %)."""
    return split_text(TEXT.read_text(encoding="utf-8"))[1][: LENGTH + 1]


def data() -> dict[str, object]:
    """``text`` (the passage) and ``norms`` {cell: (T, T)}: row t − 1, column k − 1 holds
    ‖∂L_t/∂x_k‖ (zero for k > t), from the zero state."""
    text = passage()
    vocab = Vocabulary.from_text(TEXT.read_text(encoding="utf-8"))
    ids = vocab.encode(text)
    norms = {
        cell: input_influence(read_char_params(PARAMS / f"{cell}.npz"), ids[:-1], ids[1:])
        for cell in CELLS
    }
    return {"text": text, "norms": norms}


def rounded(x: float) -> float:
    """``x`` to 3 significant digits."""
    return float(f"{x:.3g}")


def rows(norms: np.ndarray) -> list[list[float]]:
    """Row t − 1: ‖∂L_t/∂x_{t−d}‖ for d = 0, 1, …, up to its last norm ≥ FLOOR."""
    out = []
    for t in range(1, len(norms) + 1):
        newest_first = norms[t - 1, :t][::-1]
        kept = np.flatnonzero(newest_first >= FLOOR)
        out.append([rounded(v) for v in newest_first[: kept[-1] + 1 if kept.size else 1]])
    return out


def blob(d: dict[str, object]) -> dict[str, object]:
    """What the page's JSON holds (see the module's docstring)."""
    return {
        "text": d["text"],
        "floor": FLOOR,
        "cells": [
            {"cell": cell, "name": name, "rows": rows(d["norms"][cell])}
            for cell, name in CELLS.items()
        ],
    }


def sources() -> list[Path]:
    """Every file the blob is computed from: the text, the models, the package, this module."""
    package = sorted(PACKAGE.rglob("*.py"))
    return [TEXT, *sorted(PARAMS.glob("*.npz")), *package, Path(__file__).resolve()]


def cached_blob() -> dict[str, object]:
    """``blob(data())``, kept in ``CACHE`` under the sha256 of ``sources()`` (a few seconds
    of build time saved on every build after the first)."""
    digest = hashlib.sha256()
    for path in sources():
        digest.update(path.read_bytes())
    entry = CACHE / f"{digest.hexdigest()}.json"
    if entry.is_file():
        return json.loads(entry.read_text(encoding="utf-8"))
    result = blob(data())
    CACHE.mkdir(parents=True, exist_ok=True)
    entry.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


def say(char: str) -> str:
    """A character in words: "the newline", "the space", or the character in quotes."""
    return {"\n": "the newline", " ": "the space"}.get(char, f"“{char}”")


def summary(b: dict[str, object], t: int) -> str:
    """In words, for predicted character t of blob ``b``: the input that moves L_t most, for
    every cell (the first of equal rounded norms, the newest). ``connectivity.js`` writes the
    same sentence for the character a reader picks."""
    text, parts = b["text"], []
    for cell in b["cells"]:
        row = cell["rows"][t - 1]
        back = row.index(max(row)) + 1  # d = 0 is x_t, 1 character before position t
        plural = "s" if back != 1 else ""
        parts.append(
            f"for the {cell['name']} {say(text[t - back])}, {back} character{plural} before it"
        )
    return (
        f"Predicting {say(text[t])} (character {t + 1} of {len(text)}). The input with the "
        f"largest influence: {'; '.join(parts)}."
    )


def legend() -> str:
    """The shades, darkest first, with the range of ‖∂L_t/∂x_k‖ each stands for."""
    items = []
    for level in range(SHADES, 0, -1):
        low = FLOOR * 10 ** (level - 1)
        span = f"{low:g} or more" if level == SHADES else f"{low:g} to {low * 10:g}"
        items.append(f'<li><span class="cv-swatch cv-{level}"></span>{span}</li>')
    items.append(f'<li><span class="cv-swatch"></span>below {FLOOR:g}</li>')
    items.append('<li><span class="cv-swatch cv-target">x</span>the predicted character</li>')
    return (
        '<ul class="cv-legend" aria-label="Legend: the norm of the gradient">'
        + "".join(items)
        + "</ul>"
    )


def shown(text: str) -> str:
    """``text`` as HTML on one line: a newline as "↵" and a line break (as connectivity.js)."""
    return escape(text).replace("\n", "↵<br>")


def html() -> str:
    b = cached_blob()
    text = b["text"]
    payload = json.dumps(b, separators=(",", ":"), ensure_ascii=False)
    panels = "".join(
        f'<figure class="cv-panel" data-cell="{cell["cell"]}"><figcaption>{cell["name"]}'
        f'</figcaption><div class="cv-text" role="group" aria-label="The passage, shaded for '
        f'the {cell["name"]}">{shown(text)}</div></figure>'
        for cell in b["cells"]
    )
    # One attribute, not a <script type="application/json">: Material's instant navigation
    # re-inserts every script of a page as JavaScript, which would run the JSON.
    return (
        f'<div class="connectivity" data-connectivity="{escape(payload)}">'
        f'<div class="cv-panels">{panels}</div>{legend()}'
        f'<p class="cv-status" aria-live="polite">{escape(summary(b, len(text) - 1))}</p>'
        "</div>"
    )
