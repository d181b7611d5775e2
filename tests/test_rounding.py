"""Every number on the site holds under another floating-point rounding, not only this machine's.

A page's numbers come from NumPy, whose results depend in their last digits on the machine:
OpenBLAS picks a matrix kernel for the CPU (which sets the order in which a product adds), and
NumPy picks SIMD loops for ``tanh`` and ``exp`` (AVX-512 machines run other code than AVX2
ones). A stable computation does not notice; a chaotic one, such as gradient descent taking
unclipped steps, turns those digits into a different run. A page that prints such a result
passes here and fails on the next machine, so the pages run again under two other roundings:

* OpenBLAS's Sandybridge kernel (AVX without FMA);
* OpenBLAS's Nehalem kernel (SSE) with NumPy's X86_V3 (AVX2) and X86_V4 (AVX-512) loops
  switched off, so that its ``tanh`` and ``exp`` run the baseline code on any x86-64 CPU.

Both are chosen by environment variables that OpenBLAS (``OPENBLAS_CORETYPE``) and NumPy
(``NPY_DISABLE_CPU_FEATURES``) read at import, and each is confirmed in the child process before
the pages run: OpenBLAS names the kernel it loaded, and ``numpy.lib.introspect.opt_func_info``
names the loop ``tanh`` runs.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What pytest collects pages from: the site and the Markdown files at the top.
PAGES = ["docs", "README.md", "CONTRIBUTING.md"]
#: Each rounding: the environment that selects it, the kernel OpenBLAS must report, and the
#: loop NumPy's float64 ``tanh`` must run (None: whatever this CPU's best is).
ROUNDINGS = {
    "sandybridge": ({"OPENBLAS_CORETYPE": "Sandybridge"}, "Sandybridge", None),
    "nehalem-baseline-loops": (
        {"OPENBLAS_CORETYPE": "Nehalem", "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4"},
        "Nehalem",
        "baseline(X86_V2)",
    ),
}
PROBE = (
    "from numpy.lib.introspect import opt_func_info\n"
    "print(opt_func_info(func_name='tanh', signature='float64')['tanh']['dd']['current'])\n"
)

pytestmark = pytest.mark.skipif(
    platform.machine() not in {"x86_64", "AMD64"},
    reason="the roundings are OpenBLAS's and NumPy's x86-64 kernels",
)


def child_env(selection: dict[str, str]) -> dict[str, str]:
    """This process's environment with a rounding selected and OpenBLAS naming its kernel."""
    return {**os.environ, **selection, "OPENBLAS_VERBOSE": "2", "NO_MKDOCS_2_WARNING": "1"}


@pytest.mark.parametrize("rounding", ROUNDINGS)
def test_every_page_holds_under_another_rounding(rounding: str) -> None:
    selection, kernel, tanh_loop = ROUNDINGS[rounding]
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=child_env(selection),
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert f"Core: {kernel}" in probe.stderr, f"OpenBLAS did not load {kernel}: {probe.stderr}"
    if tanh_loop is not None:
        assert probe.stdout.strip() == tanh_loop, f"NumPy's tanh runs {probe.stdout.strip()}"

    pages = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *PAGES],
        cwd=ROOT,
        env=child_env(selection),
        capture_output=True,
        text=True,
        check=False,
    )
    assert pages.returncode == 0, f"under {rounding}:\n{pages.stdout[-6000:]}"
    assert " passed" in pages.stdout.splitlines()[-1]
