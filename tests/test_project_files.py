"""The files a user of the project looks for: CITATION.cff, CHANGELOG.md, the licence notes."""

from __future__ import annotations

import re

import yaml
from numcheck import ROOT

import rnn_derivatives


def test_citation_cff_is_valid_cff_1_2_0() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):  # required by the CFF 1.2.0 schema
        assert citation.get(key), key
    for author in citation["authors"]:
        assert author.get("name") or author.get("family-names"), author
    assert str(citation["version"]) == rnn_derivatives.__version__
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}


def test_the_changelog_follows_keep_a_changelog_with_the_one_engine_change() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/en/1.1.0/" in text
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections[0] == "[Unreleased]"
    unreleased = text.split("## [Unreleased]", 1)[1].split("\n## ", 1)[0]
    kinds = re.findall(r"^### (.+)$", unreleased, re.M)
    assert set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    for words in (
        "cells/rnn.py",
        "params.py",
        "sequence.py",
        "derivation.py",
        "python -m rnn_derivatives --cell rnn|lstm|gru",
        "`python -m rnn_derivatives` replaces `python -m rnn_derivatives.train`",
        "`gradient_flow`",
    ):
        assert words in unreleased, words


def test_the_readme_states_both_licences() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    licence = readme.split("## Licence", 1)[1]
    assert "MIT licence" in licence and "CC BY" in licence
    assert "https://creativecommons.org/licenses/by/4.0/" in licence
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
