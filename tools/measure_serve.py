"""Time `mkdocs serve`: start-up to the first page, and a page edit to the changed page served.

Run from the project folder after `make install`:  .venv/bin/python tools/measure_serve.py
(options after ``--`` go to mkdocs serve, e.g. ``-- --dirty``).
It starts the server on a free port, waits for the home page, then appends a marker paragraph
to docs/forward.md (restored afterwards, whatever happens), polls the page until the marker is
served, and repeats the edit ``--edits`` times. Times are wall-clock seconds, and the CPU
seconds the server used meanwhile (on a busy machine the wall clock mostly measures the wait).

``--without-serve-cache`` serves a copy of mkdocs.yml without the hook
docs/_hooks/serve_cache.py; ``--compare`` measures with and without it in one run, in turns
(``--rounds`` of each), since a noisy machine makes runs minutes apart hard to compare.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "forward.md"
CONFIG = ROOT / "mkdocs.yml"
#: mkdocs.yml without the serve cache; next to it, so that its relative paths hold.
WITHOUT_CACHE = ROOT / ".mkdocs-without-serve-cache.yml"
CACHE_HOOK = "  - docs/_hooks/serve_cache.py\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(url: str, text: str | None, timeout: float = 120.0) -> float:
    """Seconds until ``url`` answers 200 (and contains ``text``, if given)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text is None or text in response.read().decode("utf-8"):
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not serve {text!r} within {timeout} s")


def measure(edits: int, serve_options: list[str], config: Path) -> list[float]:
    """Serve ``config``, edit the page ``edits`` times; the seconds until each edit is served."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "--livereload"]
    command += ["-f", str(config), "-a", f"127.0.0.1:{port}", *serve_options]
    original = PAGE.read_text(encoding="utf-8")
    start = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_for(url, None)
        print(
            f"{config.name}: fresh `mkdocs serve` answers after "
            f"{time.perf_counter() - start:.1f} s (server CPU {cpu_seconds(server.pid):.1f} s; "
            f"load average {os.getloadavg()[0]:.1f})"
        )
        times = []
        for i in range(edits):
            marker = f"Edit marker {time.time_ns()}"
            time.sleep(1.0)  # let the watcher settle after the last build
            cpu = cpu_seconds(server.pid)
            PAGE.write_text(f"{original}\n{marker}\n", encoding="utf-8")
            edited = time.perf_counter()
            wait_for(url + "forward/", marker)
            times.append(time.perf_counter() - edited)
            print(
                f"edit {i + 1}: the changed page is served {times[-1]:.1f} s after saving "
                f"(server CPU {cpu_seconds(server.pid) - cpu:.1f} s)"
            )
        print(f"median {statistics.median(times):.1f} s over {len(times)} edits")
        return times
    finally:
        PAGE.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--without-serve-cache", action="store_true")
    parser.add_argument("--compare", action="store_true", help="with and without, in turns")
    parser.add_argument("--rounds", type=int, default=2, help="turns of each, with --compare")
    parser.add_argument("serve_options", nargs="*", help="more options for mkdocs serve")
    args = parser.parse_args()
    text = CONFIG.read_text(encoding="utf-8")
    if CACHE_HOOK not in text:
        sys.exit(f"{CONFIG.name} does not list {CACHE_HOOK.strip()[2:]}")
    WITHOUT_CACHE.write_text(text.replace(CACHE_HOOK, ""), encoding="utf-8")
    try:
        if not args.compare:
            config = WITHOUT_CACHE if args.without_serve_cache else CONFIG
            measure(args.edits, args.serve_options, config)
            return
        times: dict[Path, list[float]] = {CONFIG: [], WITHOUT_CACHE: []}
        for _ in range(args.rounds):
            for config, measured in times.items():
                measured += measure(args.edits, args.serve_options, config)
        for config, measured in times.items():
            print(
                f"{'with' if config == CONFIG else 'without'} the serve cache: median "
                f"{statistics.median(measured):.1f} s, range {min(measured):.1f}-"
                f"{max(measured):.1f} s over {len(measured)} edits"
            )
    finally:
        WITHOUT_CACHE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
