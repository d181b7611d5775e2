"""The toy network's gradients equal PyTorch autograd's, stored in tests/data/toy_autograd.json.

tests/data/toy_autograd.py wrote the JSON with torch==2.13.0; the first test only reads it, so
it needs no torch. The others re-run the script's computation when torch is installed, and
check that the code docs/autograd.md shows is the script's.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from load_module import load_module
from numcheck import split_page

from rnn_derivatives import loss_and_grads, numerical_grads, relative_error, toy_network

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "data" / "toy_autograd.py"
DATA = json.loads((ROOT / "tests" / "data" / "toy_autograd.json").read_text())


def test_package_gradients_equal_the_stored_autograd_gradients():
    params, xs, y = toy_network()
    loss, grads = loss_and_grads(params, xs, y, loss="squared_last")
    assert loss == pytest.approx(DATA["loss"], rel=1e-14)
    assert set(DATA["grads"]) == {name for name, _ in grads.items()}
    for name, value in grads.items():
        stored = np.array(DATA["grads"][name])
        assert stored.shape == value.shape, name  # autograd's .grad has the parameter's shape
        np.testing.assert_allclose(value, stored, rtol=1e-12, atol=1e-15, err_msg=name)
    numeric = numerical_grads(params, xs, y, loss="squared_last")
    for name, value in numeric.items():  # the stored numbers are right, not only equal
        assert relative_error(value, np.array(DATA["grads"][name])) < 1e-6, name


def test_autograd_recomputed_equals_the_stored_json():
    pytest.importorskip("torch")
    script = load_module(SCRIPT, "toy_autograd")
    loss, grads = script.toy_gradients()
    assert loss == pytest.approx(DATA["loss"], rel=1e-15)
    assert grads.keys() == DATA["grads"].keys()
    for name, value in grads.items():
        np.testing.assert_allclose(value, DATA["grads"][name], rtol=1e-14, atol=1e-17)


def _shown_code() -> list[str]:
    page = (ROOT / "docs" / "autograd.md").read_text(encoding="utf-8")
    torch_blocks = [b for b in split_page(page) if b.kind == "code" and "import torch" in b.text]
    assert len(torch_blocks) == 1
    return torch_blocks[0].text.splitlines()


def test_the_page_shows_the_scripts_code():
    """Every line the reader is shown, but the import and the print, is the script's code."""
    shown = _shown_code()
    assert shown[0] == "import torch" and shown[-1].startswith("print(")
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))  # read, not run: torch may be absent
    function = next(n for n in tree.body if getattr(n, "name", "") == "toy_gradients")
    source = ast.get_source_segment(SCRIPT.read_text(encoding="utf-8"), function)
    body = [line.removeprefix("    ") for line in source.splitlines()]
    start, end = body.index(shown[2]), body.index(shown[-2])
    assert shown[2:-1] == body[start : end + 1]
