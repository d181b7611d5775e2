"""How fast is BPTT in NumPy? Forward + backward against PyTorch autograd, and O(T) against O(T²).

Run it with ``make bench``, which installs the ``bench`` extra (torch==2.13.0) first. In one
process, alternating the contenders round by round and taking the median of each one's times:

1. ``versus_torch``: at (B, T, H, D) in `SIZES`, in float64 and float32, one call of
   ``fast_loss_and_grads`` (the module ``fast.py``), ``loss_and_grads(method="recursive")``,
   ``nn.RNN`` + ``nn.Linear`` + ``backward()``, and a step-by-step torch loop + ``backward()``.
   Every contender's gradients are first compared with ``loss_and_grads`` in float64; a
   relative error above `TOLERANCE` stops the run.
2. ``scaling``: ``method="double_sum"`` (O(T²)) against ``method="recursive"`` (O(T)) for
   T = 1 … 200 on a small network, with the log-log slope of each (see `growth`).
3. ``gemm_gflops``: the rate of one large matrix product (n = `GEMM_N`), the practical limit.
   The table gives each size's GFLOP/s (`gemm_flops` / time) as a share of it, and the
   "floor": the fast/nn.RNN ratio NumPy would reach if all its matrix products ran at that
   rate and everything else took no time.

Both NumPy's BLAS (OpenBLAS) and torch use ``BENCH_THREADS`` threads (default 1): on a
2-core machine the per-step products are too small to split well, and two thread pools
(OpenBLAS's and torch's OpenMP one) spinning in one process would disturb each other. With
one thread, times are the process's CPU time (`CLOCK`). A table is printed and the results
go to ``benchmarks/latest.json`` (not committed). ``benchmarks/results.json`` is the stored
measurement the site's page "How fast is it?" shows: write it with
``--out benchmarks/results.json`` and update that page's outputs, which the tests compare
with it.
"""
# ruff: noqa: E402  (thread counts must be set before NumPy and torch are imported)

from __future__ import annotations

import os

THREADS = int(os.environ.get("BENCH_THREADS", "1"))
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)

import argparse
import datetime
import functools
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

try:
    import torch
except ImportError:  # pragma: no cover - a message instead of a traceback
    sys.exit("benchmarks need PyTorch: pip install -e '.[bench]' (or run `make bench`)")

from torch_models import TorchLoop, TorchRNN

from rnn_derivatives import (
    RNNParams,
    Workspace,
    fast_loss_and_grads,
    loss_and_grads,
    relative_error,
)

torch.set_num_threads(THREADS)
torch.set_num_interop_threads(THREADS)

#: (B, T, H, D): batch, steps, hidden units, inputs. O = D classes (2 when D = 1).
SIZES = [(1, 3, 2, 1), (32, 50, 64, 32), (32, 100, 128, 64), (64, 200, 256, 128)]
DTYPES = (np.float64, np.float32)
#: Largest relative error of any one gradient against float64 `loss_and_grads`.
TOLERANCE = {"float64": 1e-10, "float32": 1e-4}
#: The issue's goal: fast NumPy time / nn.RNN time at most this, at every size.
GOAL = {"float64": 0.5, "float32": 1.0}
SCALING_SIZE = {"B": 1, "H": 8, "D": 4, "O": 4}
SCALING_T = (1, 10, 20, 30, 50, 70, 100, 140, 200)
RECURSIVE_CALLS = 20
GEMM_N = 2048
#: With one thread all the work runs in this process's only thread, so its CPU time is the
#: wall time on an idle core, without the time spent waiting for a core on a shared machine.
CLOCK = time.process_time if THREADS == 1 else time.perf_counter
HERE = Path(__file__).resolve().parent


def n_classes(D: int) -> int:
    """O = D, except that cross-entropy over one class is identically zero."""
    return max(D, 2)


def problem(
    B: int, T: int, H: int, D: int, O: int, dtype: type, seed: int = 0
) -> tuple[RNNParams, np.ndarray, np.ndarray]:
    """Random weights (W ~ N(0, 1/fan_in), biases ~ N(0, 0.01)), inputs and class ids."""
    rng = np.random.default_rng(seed)
    params = RNNParams(
        W_xh=rng.normal(0.0, D**-0.5, (H, D)),
        W_hh=rng.normal(0.0, H**-0.5, (H, H)),
        W_hy=rng.normal(0.0, H**-0.5, (O, H)),
        b_h=rng.normal(0.0, 0.1, H),
        b_y=rng.normal(0.0, 0.1, O),
    ).astype(dtype)
    xs = rng.normal(0.0, 1.0, (T, B, D)).astype(dtype)
    return params, xs, rng.integers(0, O, size=(T, B))


def gemm_flops(B: int, T: int, H: int, D: int, O: int) -> float:
    """Floating-point operations in the matrix products of one forward + backward pass.

    Per step and sequence, in multiply-adds: forward D·H + H² + H·O; backward H·O (∂L/∂h_t
    from o_t), H² (δ_{t+1} W_hh), H·D, H² and H·O (the three weight gradients). Two flops
    each; the O(T·B·H) elementwise work is not counted.
    """
    return 2.0 * T * B * (2 * D * H + 3 * H * H + 3 * H * O)


def timings(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Seconds of each call of each contender, the contenders taking turns within each round.

    The order rotates from round to round so that no contender always runs first, and the
    garbage collector is paused while timing.
    """
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    gc.collect()
    gc.disable()
    try:
        for r in range(rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                start = CLOCK()
                contenders[name]()
                times[name].append(CLOCK() - start)
    finally:
        gc.enable()
    return times


def median_times(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call of each contender over ``rounds`` rounds of `timings`."""
    return {name: statistics.median(t) for name, t in timings(contenders, rounds).items()}


def rounds_for(contenders: dict[str, Callable[[], object]], budget: float, low: int) -> int:
    """Rounds that fit in ``budget`` seconds (at least ``low``), from one warm-up round."""
    per_round = sum(median_times(contenders, 1).values())
    return int(np.clip(budget / per_round, low, 501))


def max_rel_error(got: RNNParams, reference: RNNParams) -> float:
    """The largest relative error of any one of the five gradients."""
    return max(relative_error(value, getattr(reference, name)) for name, value in got.items())


def versus_torch(B: int, T: int, H: int, D: int, dtype: type, budget: float) -> dict:
    """Time the four contenders at one size and check their gradients first."""
    O = n_classes(D)
    params, xs, ids = problem(B, T, H, D, O, dtype)
    ref_loss, ref = loss_and_grads(params.astype(np.float64), xs.astype(np.float64), ids)
    torch_rnn, torch_loop = TorchRNN(params, xs, ids), TorchLoop(params, xs, ids)
    contenders = {
        "fast": functools.partial(fast_loss_and_grads, params, xs, ids, workspace=Workspace()),
        "readable": lambda: loss_and_grads(params, xs, ids),
        "torch_rnn": torch_rnn,
        "torch_loop": torch_loop,
    }
    results = {"fast": contenders["fast"](), "readable": contenders["readable"]()}
    results |= {
        name: (model(), model.grads())
        for name, model in (("torch_rnn", torch_rnn), ("torch_loop", torch_loop))
    }
    errors = {name: max_rel_error(grads, ref) for name, (_, grads) in results.items()}
    loss_errors = {
        name: abs(loss - ref_loss) / abs(ref_loss) for name, (loss, _) in results.items()
    }
    rounds = rounds_for(contenders, budget, low=5)
    return {
        "dtype": np.dtype(dtype).name,
        "B": B,
        "T": T,
        "H": H,
        "D": D,
        "O": O,
        "gflop": gemm_flops(B, T, H, D, O) / 1e9,
        "rounds": rounds,
        "seconds": median_times(contenders, rounds),
        "max_rel_error": errors,
        "loss_rel_error": loss_errors,
    }


def scaling(rounds: int, Ts: tuple[int, ...]) -> dict:
    """Median time of ``method="double_sum"`` and ``"recursive"`` for each T, and the slopes.

    Every (method, T) takes its turn in each of ``rounds`` rounds, so a slow spell of the
    machine touches every T alike; the fast recursion is called `RECURSIVE_CALLS` times per
    turn, the slow double sum once.
    """
    size = SCALING_SIZE
    calls = {}
    for T in Ts:
        params, xs, ids = problem(size["B"], T, size["H"], size["D"], size["O"], np.float64)
        for method in ("recursive", "double_sum"):
            calls[method, T] = functools.partial(loss_and_grads, params, xs, ids, method=method)
    samples: dict[tuple[str, int], list[float]] = {key: [] for key in calls}
    for _ in range(rounds):
        for (method, T), call in calls.items():
            repeats = RECURSIVE_CALLS if method == "recursive" else 1
            samples[method, T] += timings({method: call}, repeats)[method]
    seconds = {
        method: [statistics.median(samples[method, T]) for T in Ts]
        for method in ("recursive", "double_sum")
    }
    return {**size, "T": list(Ts), "seconds": seconds, **growth(Ts, seconds)}


def growth(Ts: tuple[int, ...], seconds: dict[str, list[float]]) -> dict:
    """How each method's time grows with T.

    ``loglog_slope``: the least-squares slope of log t(T) on log T for T ≥ 10. Part of each
    call does not grow with T (checking the inputs, building the result), which flattens that
    slope. ``fit``: t(T) ≈ a + b·T^p fitted to every T (relative residuals, p on a grid of
    0.01), so that p is the growth of the part that does depend on T.
    """
    T = np.array(Ts, dtype=float)
    out: dict[str, dict] = {"loglog_slope": {}, "fit": {}}
    for method, values in seconds.items():
        t = np.array(values)
        out["loglog_slope"][method] = float(
            np.polyfit(np.log(T[T >= 10]), np.log(t[T >= 10]), 1)[0]
        )
        out["fit"][method] = power_fit(T, t)
    return out


def power_fit(T: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """a, b ≥ 0 and p minimizing Σ ((a + b·T^p) / t − 1)², p from 0.5 to 3 in steps of 0.01."""
    best: tuple[float, dict[str, float]] | None = None
    for p in np.arange(50, 301) / 100:
        A = np.stack([np.ones_like(T), T**p], axis=1) / t[:, None]
        (a, b), *_ = np.linalg.lstsq(A, np.ones_like(t), rcond=None)
        residual = float(np.sum((A @ (a, b) - 1.0) ** 2))
        if a >= 0 and b > 0 and (best is None or residual < best[0]):
            best = (
                residual,
                {"fixed_seconds": float(a), "coefficient": float(b), "exponent": float(p)},
            )
    return best[1]


def gemm_gflops(dtype: type, n: int) -> dict[str, float]:
    """GFLOP/s of one n × n by n × n product with NumPy and with torch (best of 7 rounds:
    the rate the machine can reach)."""
    rng = np.random.default_rng(0)
    a, b = (rng.normal(size=(n, n)).astype(dtype) for _ in range(2))
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    contenders = {"numpy": lambda: a @ b, "torch": lambda: ta @ tb}
    timings(contenders, 1)  # warm up
    return {name: 2.0 * n**3 / min(t) / 1e9 for name, t in timings(contenders, 7).items()}


def cpu_info() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo (empty where there is none)."""
    path = Path("/proc/cpuinfo")
    if not path.exists():
        return {}
    first = path.read_text().split("\n\n")[0]
    return {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in first.splitlines())}


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    info = cpu_info()
    meminfo = Path("/proc/meminfo")
    memory = None
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = round(kib / 2**20, 1)
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return {
        "cpu": info.get("model name", platform.processor() or platform.machine()),
        "cpu_family_model": f"{info.get('cpu family', '?')}/{info.get('model', '?')}",
        "cache_per_core": info.get("cache size"),
        "virtual_machine": "hypervisor" in info.get("flags", "").split(),
        "logical_cpus": os.cpu_count(),
        "memory_gib": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_blas": f"{blas['name']} {blas['version']}",
        "torch": torch.__version__,
        "torch_blas": "MKL" if torch.backends.mkl.is_available() else "other",
        "threads": {"blas": THREADS, "torch": torch.get_num_threads()},
    }


def table(results: dict) -> str:
    """The short table printed at the end of a run."""
    peak = results["gemm_gflops"]
    lines = [
        f"BPTT forward + backward, median ms ({results['machine']['cpu']}, "
        f"{THREADS} thread(s), {results['date'][:10]})",
        f"{'dtype':8}{'(B, T, H, D)':>19}{'fast':>9}{'readable':>10}{'nn.RNN':>9}"
        f"{'loop':>9}{'fast/RNN':>10}{'read/RNN':>10}{'floor':>7}{'max err':>9}"
        f"{'GFLOP/s':>9}{'%GEMM':>7}",
    ]
    for row in results["versus_torch"]:
        s = row["seconds"]
        size = f"({row['B']}, {row['T']}, {row['H']}, {row['D']})"
        rate, best = row["gflop"] / s["fast"], max(peak[row["dtype"]].values())
        lines.append(
            f"{row['dtype']:8}{size:>19}"
            + "".join(
                f"{s[k] * 1e3:{w}.3f}"
                for k, w in (("fast", 9), ("readable", 10), ("torch_rnn", 9), ("torch_loop", 9))
            )
            + f"{s['fast'] / s['torch_rnn']:10.2f}{s['readable'] / s['torch_rnn']:10.2f}"
            + f"{row['gflop'] / best / s['torch_rnn']:7.2f}"
            + f"{max(row['max_rel_error'].values()):9.0e}{rate:9.1f}{rate / best:7.0%}"
        )
    for dtype, goal in results["goal"].items():
        verdict = "met" if goal["met"] else "NOT met"
        lines.append(f"goal {dtype}: fast/nn.RNN <= {goal['max_ratio']} at every size: {verdict}")
    lines.append(
        "large-GEMM GFLOP/s: "
        + ", ".join(f"{d} numpy {r['numpy']:.1f} torch {r['torch']:.1f}" for d, r in peak.items())
    )
    sc = results["scaling"]
    lines.append(f"double sum vs recursion (B, H, D) = ({sc['B']}, {sc['H']}, {sc['D']}), ms:")
    lines.append(f"{'T':>6}{'recursive':>11}{'double_sum':>12}")
    for i, T in enumerate(sc["T"]):
        lines.append(
            f"{T:6d}{sc['seconds']['recursive'][i] * 1e3:11.3f}"
            f"{sc['seconds']['double_sum'][i] * 1e3:12.3f}"
        )
    lines.append(
        "log-log slope (T >= 10): "
        + ", ".join(f"{m} {v:.2f}" for m, v in sc["loglog_slope"].items())
    )
    lines.append(
        "fit a + b T^p: "
        + ", ".join(
            f"{m} p = {f['exponent']:.2f}, a = {f['fixed_seconds'] * 1e3:.3f} ms"
            for m, f in sc["fit"].items()
        )
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, short budgets")
    parser.add_argument(
        "--out",
        type=Path,
        help="results file (default benchmarks/latest.json;"
        " --quick writes none unless --out is given)",
    )
    args = parser.parse_args(argv)
    out = args.out or (None if args.quick else HERE / "latest.json")
    sizes = SIZES[:2] if args.quick else SIZES
    budget = 0.5 if args.quick else 8.0
    load_before = os.getloadavg()
    rows = []
    for dtype in DTYPES:
        for B, T, H, D in sizes:
            row = versus_torch(B, T, H, D, dtype, budget)
            rows.append(row)
            print(
                f"{row['dtype']} (B, T, H, D) = ({B}, {T}, {H}, {D}): {row['rounds']} rounds,"
                f" fast/nn.RNN {row['seconds']['fast'] / row['seconds']['torch_rnn']:.2f}",
                flush=True,
            )
    bad = [
        f"{r['dtype']} {(r['B'], r['T'], r['H'], r['D'])} {name}: {err:.1e}"
        for r in rows
        for name, err in r["max_rel_error"].items()
        if err > TOLERANCE[r["dtype"]]
    ]
    if bad:
        print("gradients disagree with loss_and_grads in float64:\n" + "\n".join(bad))
        return 1
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python benchmarks/bench_bptt.py", *(argv or sys.argv[1:])]),
        "clock": CLOCK.__name__,
        "machine": machine() | {"load_average_before": [round(x, 2) for x in load_before]},
        "gemm_gflops": {
            np.dtype(d).name: gemm_gflops(d, GEMM_N // (4 if args.quick else 1)) for d in DTYPES
        },
        "versus_torch": rows,
        "goal": {
            dtype: {
                "max_ratio": limit,
                "met": all(
                    r["seconds"]["fast"] <= limit * r["seconds"]["torch_rnn"]
                    for r in rows
                    if r["dtype"] == dtype
                ),
            }
            for dtype, limit in GOAL.items()
        },
        "scaling": scaling(2 if args.quick else 11, SCALING_T[:5] if args.quick else SCALING_T),
    }
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(table(results))
    if out is not None:
        out.write_text(json.dumps(results, indent=1) + "\n")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
