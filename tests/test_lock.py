"""requirements/lock.txt installs on Linux, macOS and Windows, every package from its hashes.

``make lock`` runs ``uv pip compile --universal``: one resolution for every platform, each
package that only some platforms need guarded by an environment marker (``appnope``, which
ipykernel needs on macOS, is the one the notebook kernel would miss). pip installs the entries
whose marker holds on the machine (``make install``: ``--require-hashes --no-deps``), so a
dependency missing from the lock would be missing from the install.

The check walks the dependency tree from pyproject.toml and requirements/tools.in for each
platform, reading each package's requirements from its installed metadata (this venv was
installed from the lock; a package that only another platform installs, such as appnope, is
checked to be pinned, but its own requirements cannot be read here).
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
TOOLS = ROOT / "requirements" / "tools.in"
#: The marker variables of CPython on each platform (PEP 508).
PLATFORMS = {
    "linux": {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux"},
    "macos": {"os_name": "posix", "sys_platform": "darwin", "platform_system": "Darwin"},
    "windows": {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows"},
}
MACHINES = {"linux": "x86_64", "macos": "arm64", "windows": "AMD64"}
PYTHONS = ["3.11.5", "3.13.0"]


@dataclass(frozen=True)
class Pin:
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]


def environment(platform: str, python: str) -> dict[str, str]:
    return {
        **PLATFORMS[platform],
        "platform_machine": MACHINES[platform],
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": ".".join(python.split(".")[:2]),
        "python_full_version": python,
        "platform_release": "",
        "platform_version": "",
        "implementation_version": python,
        "extra": "",
    }


def pins() -> dict[str, Pin]:
    """The lock's entries by normalised name: ``name==version [; marker]``, then its hashes."""
    found = {}
    for block in re.split(r"\n(?=\S)", LOCK.read_text(encoding="utf-8")):
        first = block.splitlines()[0]
        if first.startswith("#"):
            continue
        requirement = Requirement(first.removesuffix("\\").strip())
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", first
        hashes = tuple(re.findall(r"--hash=sha256:([0-9a-f]{64})\b", block))
        pin = Pin(Version(specifier.version), requirement.marker, hashes)
        found[canonicalize_name(requirement.name)] = pin
    return found


def roots() -> list[Requirement]:
    """What the lock is compiled from: the project with extras docs and test, and tools.in."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["docs"], *extras["test"]]
    for line in TOOLS.read_text(encoding="utf-8").splitlines():
        if line.split("#")[0].strip():
            wanted.append(line.split("#")[0].strip())
    return [Requirement(line) for line in wanted]


def applies(marker: Marker | None, env: dict[str, str], extras: frozenset[str]) -> bool:
    if marker is None:
        return True
    return any(marker.evaluate({**env, "extra": extra}) for extra in {"", *extras})


def walk(env: dict[str, str]) -> tuple[list[str], set[str]]:
    """Problems of the lock on ``env``, and the packages whose requirements were read."""
    locked = pins()
    todo = [(requirement, "the project") for requirement in roots()]
    seen: set[tuple[str, frozenset[str]]] = set()
    problems, read = [], set()
    while todo:
        requirement, wanted_by = todo.pop()
        name = canonicalize_name(requirement.name)
        pin = locked.get(name)
        if pin is None:
            problems.append(f"{wanted_by} needs {requirement}: not in the lock")
            continue
        if not applies(pin.marker, env, frozenset()):
            problems.append(f"{wanted_by} needs {requirement}: the lock says `{pin.marker}`")
            continue
        if not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{wanted_by} needs {requirement}: the lock pins {pin.version}")
        extras = frozenset(requirement.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            needs = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # installed on another platform only (see the module's doc)
        read.add(name)
        for line in needs:
            needed = Requirement(line)
            if applies(needed.marker, env, extras):
                todo.append((needed, name))
    return problems, read


def test_the_lock_was_compiled_for_every_platform_at_once() -> None:
    header = LOCK.read_text(encoding="utf-8").splitlines()[:2]
    assert header[0] == "# This file was autogenerated by uv via the following command:"
    command = header[1].removeprefix("#").split()
    assert command[:3] == ["uv", "pip", "compile"] and "--universal" in command, header
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nlock:")[1].split("\n\n")[0]
    assert "--universal" in recipe, "make lock would drop the other platforms"


def test_the_notebook_kernel_gets_appnope_on_macos_and_only_there() -> None:
    needs = [Requirement(line) for line in importlib.metadata.requires("ipykernel") or []]
    (appnope,) = [r for r in needs if r.name == "appnope"]
    assert appnope.marker is not None and appnope.marker.evaluate(environment("macos", "3.11.5"))
    pin = pins()["appnope"]
    assert pin.hashes, "appnope is pinned without a hash"
    for platform in PLATFORMS:
        expected = platform == "macos"
        assert applies(pin.marker, environment(platform, "3.11.5"), frozenset()) is expected


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_dependency_on_each_platform_is_in_the_lock(platform: str, python: str) -> None:
    problems, read = walk(environment(platform, python))
    assert not problems, "\n".join(sorted(set(problems)))
    assert {"ipykernel", "mkdocs-material", "pytest", "numpy"} <= read


def test_the_walk_reads_every_package_this_machine_installs() -> None:
    """On this machine (Linux) every locked package it installs has its metadata here."""
    env = environment("linux", "3.11.5")
    installed = {name for name, pin in pins().items() if applies(pin.marker, env, frozenset())}
    assert walk(env)[1] == installed


def test_every_pin_has_a_hash() -> None:
    unhashed = [name for name, pin in pins().items() if not pin.hashes]
    assert not unhashed
