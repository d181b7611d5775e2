"""The API reference page documents the public API (`rnn_derivatives.__all__`), nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import rnn_derivatives

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference.md"
#: Public names the page mentions in prose instead of documenting twice.
ALIASES = {"ForwardCache": "Trace"}


def test_the_reference_documents_every_public_name_once_and_no_other():
    text = REFERENCE.read_text(encoding="utf-8")
    blocks = re.findall(r"^::: (\S+)$", text, re.M)
    assert len(blocks) == len(set(blocks)), "a name is documented twice"
    assert all(b.startswith("rnn_derivatives.") and b.count(".") == 1 for b in blocks), blocks
    documented = {b.split(".")[1] for b in blocks}
    assert documented == set(rnn_derivatives.__all__) - set(ALIASES)
    for alias, target in ALIASES.items():
        assert getattr(rnn_derivatives, alias) is getattr(rnn_derivatives, target)
        assert f"`{alias}` is another name for `{target}`" in text
