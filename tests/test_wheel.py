"""The wheel works where nothing but NumPy is installed: what a user of the package gets.

The wheel is built from this tree by the locked hatchling (``pip wheel --no-build-isolation``,
no index: offline), installed with NumPy alone (the version and hashes of
requirements/lock.txt) into a fresh virtual environment, and used there from a folder outside
the repository, so nothing can come from ``src/``. About half a minute.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import rnn_derivatives

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
#: Run inside the fresh environment: each cell's BPTT gradient against central differences.
USE = """
import importlib.metadata, pathlib, sys
import numpy as np
import rnn_derivatives as rd

assert pathlib.Path(rd.__file__).is_relative_to(sys.prefix), rd.__file__
rng = np.random.default_rng(0)
xs, targets = rng.normal(size=(5, 3)), rng.integers(0, 4, size=5)
for cell in (rd.RNNParams, rd.LSTMParams, rd.GRUParams):
    params = cell.random(3, 4, 4, seed=1, scale=0.5)
    loss, grads = rd.loss_and_grads(params, xs, targets)
    error = rd.relative_error(grads, rd.numerical_grads(params, xs, targets))
    assert type(grads) is cell and error < 1e-7, (cell.__name__, error)
    print(cell.__name__, "ok")
print(sorted(d.metadata["Name"] for d in importlib.metadata.distributions()))
"""


def run(*command: object, cwd: Path, **kwargs) -> str:
    """Run ``command``; its standard output, or a failure that shows what it printed."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, **kwargs
    )
    if done.returncode != 0:
        pytest.fail(f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def locked(name: str) -> str:
    """The pin of ``name`` in the lock, with its hashes (a requirements file of one line)."""
    match = re.search(rf"^{name}==\S+(?: \\\n\s+--hash=\S+)+", LOCK.read_text(), re.M)
    assert match, f"{name} is not pinned in {LOCK}"
    return match.group()


def test_the_wheel_installs_and_runs_with_numpy_alone(tmp_path: Path) -> None:
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    run(*build, ROOT, "-w", tmp_path / "dist", cwd=tmp_path, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("rnn_derivatives-*.whl")
    assert wheel.name == f"rnn_derivatives-{rnn_derivatives.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"rnn_derivatives-{rnn_derivatives.__version__}.dist-info"
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode()
    assert "rnn_derivatives/py.typed" in names
    assert "rnn_derivatives/cells/lstm.py" in names
    assert not [n for n in names if n.startswith(("tests/", "docs/", "data/"))]
    assert "rnn-derivatives = rnn_derivatives.__main__:main" in entry_points

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path, timeout=120)
    python = venv / "bin" / "python"
    numpy_pin = tmp_path / "numpy.txt"
    numpy_pin.write_text(locked("numpy") + "\n")
    into = [*pip, "--python", python, "install", "--no-deps"]
    run(*into, "--require-hashes", "-r", numpy_pin, cwd=tmp_path, timeout=300)
    run(*into, "--no-index", wheel, cwd=tmp_path, timeout=120)

    out = run(python, "-I", "-c", USE, cwd=tmp_path, timeout=120).splitlines()
    assert out == ["RNNParams ok", "LSTMParams ok", "GRUParams ok", "['numpy', 'rnn-derivatives']"]
    script = venv / "bin" / "rnn-derivatives"
    version = run(script, "--version", cwd=tmp_path, timeout=60)
    assert version == f"rnn-derivatives {rnn_derivatives.__version__}\n"
    trained = run(script, "--cell", "gru", "--steps", "2", "--quiet", cwd=tmp_path, timeout=120)
    assert re.fullmatch(r"loss \d+\.\d{3} -> \d+\.\d{3}, recall accuracy .*\n", trained)
