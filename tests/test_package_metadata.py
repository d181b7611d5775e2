"""The package as someone who installs it meets it: its metadata, console script and CLI.

``--save`` writes what ``train`` returns, ``--version`` says the version the metadata carries,
the installed metadata names the console script, the project URLs and the classifiers, and
the package says it is typed (``py.typed``, PEP 561).
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import rnn_derivatives
from rnn_derivatives import GRUParams, LSTMParams, RecallTask, RNNParams, initial_params, train
from rnn_derivatives.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
DIST = "rnn-derivatives"
CLASSES = {"rnn": RNNParams, "lstm": LSTMParams, "gru": GRUParams}


def load_params(path: Path):
    """The parameters a ``--save`` file holds, as their class (README shows the same)."""
    with np.load(path) as data:
        cell = str(data["cell"])
        arrays = {name: data[name] for name in data.files if name != "cell"}
    return cell, CLASSES[cell](**arrays)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_save_writes_the_parameters_train_returns(cell, tmp_path, capsys):
    argv = ["--cell", cell, "--delay", "3", "--hidden", "6", "--steps", "5", "--seed", "2"]
    assert main([*argv, "--quiet", "--save", str(tmp_path / "trained")]) == 0
    out = capsys.readouterr().out.splitlines()
    written = tmp_path / "trained.npz"  # numpy.savez adds .npz, and the program says so
    assert out[-1] == f"saved the trained {cell} parameters to {written}"
    saved_cell, saved = load_params(written)
    task = RecallTask(delay=3)
    expected = train(task, initial_params(task, 6, seed=2, cell=cell), steps=5, seed=2).params
    assert saved_cell == cell and type(saved) is type(expected)
    names = [name for name, _ in expected.items()]
    assert [name for name, _ in saved.items()] == names
    for (name, got), (_, want) in zip(saved.items(), expected.items(), strict=True):
        np.testing.assert_array_equal(got, want, err_msg=name)


def test_save_refuses_a_folder_that_does_not_exist_before_training(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--steps", "1", "--save", str(tmp_path / "missing" / "p.npz")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --save: no such directory: '{tmp_path / 'missing'}'" in err


def test_version_is_the_version_of_the_installed_metadata(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    version = importlib.metadata.version(DIST)
    assert version == rnn_derivatives.__version__
    assert capsys.readouterr().out == f"rnn-derivatives {version}\n"


def test_the_console_script_is_in_the_installed_metadata_and_runs():
    scripts = importlib.metadata.entry_points(group="console_scripts", name=DIST)
    assert [entry.value for entry in scripts] == ["rnn_derivatives.__main__:main"]
    assert scripts[DIST].load() is main
    script = Path(sys.executable).with_name(DIST)
    done = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: rnn-derivatives [-h]")


def test_the_metadata_names_urls_classifiers_authors_and_the_licence():
    meta = importlib.metadata.metadata(DIST)
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL"))
    # the same repository address as the site's "repository" link (mkdocs.yml, REPO_URL)
    default = re.search(r'REPO_URL, "([^"]+)"', (ROOT / "mkdocs.yml").read_text()).group(1)
    assert urls == {
        "Documentation": "https://example.invalid/rnn-derivatives-site/",
        "Source": default,
        "Issues": f"{default}/issues",
    }
    classifiers = meta.get_all("Classifier")
    for classifier in (
        "Programming Language :: Python :: 3.11",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
        "Typing :: Typed",
        "Intended Audience :: Education",
        "Intended Audience :: Science/Research",
    ):
        assert classifier in classifiers
    assert meta["License-Expression"] == "MIT"
    assert not [c for c in classifiers if c.startswith("License ::")]  # superseded (PEP 639)
    assert meta["Author"] == "The rnn-derivatives authors"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["Version"] == rnn_derivatives.__version__
    assert meta["Summary"] == pyproject["project"]["description"]


def test_the_package_is_marked_typed():
    marker = importlib.resources.files("rnn_derivatives") / "py.typed"
    assert marker.is_file()
