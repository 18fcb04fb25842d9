"""Benchmark: each notebook's fast-mode execution time and each widget's callback latency.

    make bench                       # all notebooks and widgets
    python scripts/bench.py --widgets-only

Not a test: it measures and prints a table (budgets from DESIGN.md: a notebook <= 120 s in
fast mode on a 2-core CPU, the whole book <= 600 s (issue 20), a widget callback <= 50 ms
at the 95th percentile). Widget modules
in helpers/widgets/ register themselves by defining benchmarks().
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_BUDGET_S = 120
# Lecture 09 trains four generative models and is the one exception (issue 17: 180 s).
NOTEBOOK_BUDGETS_S = {"09_generative.ipynb": 180}
BOOK_BUDGET_S = 600          # the whole book in fast mode (issue 20 §3)
CALLBACK_BUDGET_MS = 50


def widget_benchmarks() -> dict:
    """Every ``benchmarks()`` of the modules in helpers.widgets (new lectures add themselves)."""
    import importlib
    import pkgutil

    import helpers.widgets

    found = dict(helpers.widgets.benchmarks())
    for module_info in pkgutil.iter_modules(helpers.widgets.__path__):
        module = importlib.import_module(f"helpers.widgets.{module_info.name}")
        if hasattr(module, "benchmarks"):
            found.update(module.benchmarks())
    return found


def bench_widgets(repeats: int = 200) -> list[tuple[str, float, float]]:
    from helpers.widgets import time_callback

    rows = []
    for name, callback in widget_benchmarks().items():
        for _ in range(5):
            callback()                                # warm up
        median, p95 = time_callback(callback, repeats)
        rows.append((name, median, p95))
    return rows


def bench_notebooks(paths: list[Path]) -> list[tuple[str, float]]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=900, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        rows.append((path.name, time.perf_counter() - start))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--widgets-only", action="store_true")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("DLBOOK_MODE", "fast")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from helpers.config import quiet_tensorflow_import

    quiet_tensorflow_import()
    print(f"machine: {os.cpu_count()} CPUs, DLBOOK_MODE={os.environ['DLBOOK_MODE']}\n")
    over = 0
    if not args.widgets_only:
        paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
        rows = bench_notebooks(paths)
        print(f"{'notebook':<40} {'seconds':>9}  budget {NOTEBOOK_BUDGET_S} s")
        for name, seconds in rows:
            budget = NOTEBOOK_BUDGETS_S.get(name, NOTEBOOK_BUDGET_S)
            flag = "" if seconds <= budget else f"  OVER ITS BUDGET OF {budget} s"
            if not flag and budget != NOTEBOOK_BUDGET_S:
                flag = f"  (budget {budget} s)"
            over += seconds > budget
            print(f"{name:<40} {seconds:>9.1f}{flag}")
        total = sum(s for _, s in rows)
        flag = ""
        if not args.notebooks:
            flag = (f"  budget {BOOK_BUDGET_S} s" if total <= BOOK_BUDGET_S
                    else f"  OVER THE BOOK BUDGET OF {BOOK_BUDGET_S} s")
            over += total > BOOK_BUDGET_S
        print(f"{'total':<40} {total:>9.1f}{flag}\n")
    rows = bench_widgets()
    print(f"{'widget callback':<40} {'median ms':>9} {'p95 ms':>8}  budget {CALLBACK_BUDGET_MS} ms")
    for name, median, p95 in rows:
        flag = "" if p95 <= CALLBACK_BUDGET_MS else "  OVER BUDGET"
        over += bool(flag)
        print(f"{name:<40} {median:>9.2f} {p95:>8.2f}{flag}")
    return 1 if over else 0


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    sys.exit(main())
