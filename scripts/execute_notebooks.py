"""Execute notebooks in place (fast mode, CPU) and save them with their outputs.

    python scripts/execute_notebooks.py notebooks/03_cnn.ipynb [...]

Outputs are kept small and work without a kernel: execution timestamps, ipywidgets state and
the live widget views are dropped (helpers.widgets.strip_live_views). A saved view would show
"Error displaying widget: model not found" in JupyterLab until the reader runs the cell; without
it JupyterLab, Colab, GitHub and the book show each widget's static face, and running the cell
brings the live widget back.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:            # helpers, also when the package is not installed
    sys.path.insert(0, str(ROOT))


def clean(nb) -> None:
    """Drop what must not be committed: timestamps, widget state, live widget views."""
    from helpers.widgets import strip_live_views

    nb.metadata.pop("widgets", None)
    strip_live_views(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("execution", None)


def execute(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    env_note = os.environ.get("DLBOOK_MODE", "fast")
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    seconds = time.perf_counter() - start
    clean(nb)
    nbformat.write(nb, path)
    print(f"{path.name}: executed in {seconds:.1f} s (DLBOOK_MODE={env_note}), "
          f"{path.stat().st_size / 1e3:.0f} kB")
    return seconds


if __name__ == "__main__":
    os.environ.setdefault("DLBOOK_MODE", "fast")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for notebook in paths:
        execute(notebook)
