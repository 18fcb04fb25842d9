"""Prove that checked outputs are deterministic: execute notebooks several times and compare.

    python scripts/check_determinism.py                    # every lecture, 3 executions each
    python scripts/check_determinism.py notebooks/03_cnn.ipynb --runs 3

nbval compares the outputs of cells marked ``# NBVAL_CHECK_OUTPUT`` with the committed ones
(``--nbval-lax``), so those outputs must come out the same on every run. This script executes
each notebook ``--runs`` times in fast mode (copies in a temporary folder; the committed files
are not touched), extracts the text of every checked cell's outputs (stream text and
``text/plain``), and compares the runs with each other and with the committed notebook. It
prints one line per notebook (with each run's wall time and the median, so the run doubles as
a fast-mode benchmark of the book) and exits 1 if any checked output differs, naming the cell.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MARK = "# NBVAL_CHECK_OUTPUT"


def checked_outputs(nb) -> dict[str, str]:
    """{cell id: the text nbval compares} for every checked cell."""
    found = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.lstrip().startswith(MARK):
            continue
        parts = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append("".join(output.get("text", "")))
            elif "data" in output and "text/plain" in output["data"]:
                parts.append("".join(output["data"]["text/plain"]))
        found[cell.get("id") or f"cell-{index}"] = "".join(parts)
    return found


def execute_copy(path: Path, folder: Path, timeout: int) -> tuple[dict[str, str], float]:
    """The checked outputs of one execution, and its wall time in seconds."""
    copy = folder / path.name
    shutil.copy(path, copy)
    nb = nbformat.read(copy, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return checked_outputs(nb), time.perf_counter() - start


def compare(path: Path, runs: int, timeout: int) -> tuple[list[str], list[float]]:
    committed = checked_outputs(nbformat.read(path, as_version=4))
    differences = []
    with tempfile.TemporaryDirectory() as folder:
        executions = [execute_copy(path, Path(folder), timeout) for _ in range(runs)]
    results = [outputs for outputs, _ in executions]
    seconds = [s for _, s in executions]
    for cell, text in committed.items():
        seen = [r.get(cell) for r in results]
        for run, got in enumerate(seen, 1):
            if got != text:
                differences.append(f"{path.name} cell {cell}: run {run} differs from the "
                                   f"committed output:\n  committed: {text[:200]!r}\n"
                                   f"  run {run}:    {(got or '')[:200]!r}")
    return differences, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs must be at least 2 to compare runs")
    os.environ["DLBOOK_MODE"] = "fast"
    os.environ.setdefault("DLBOOK_OFFLINE", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    failures, medians = [], []
    for path in paths:
        checked = len(checked_outputs(nbformat.read(path, as_version=4)))
        found, seconds = compare(path, args.runs, args.timeout)
        median = statistics.median(seconds)
        medians.append(median)
        print(f"{path.name}: {checked} checked cells, {args.runs} runs "
              f"({', '.join(f'{s:.0f}' for s in seconds)} s; median {median:.0f} s): "
              f"{'identical' if not found else f'{len(found)} differences'}", flush=True)
        failures += found
    print(f"fast mode, sum of the medians: {sum(medians):.0f} s for {len(paths)} notebooks")
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
