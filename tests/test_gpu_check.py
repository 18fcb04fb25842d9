"""scripts/gpu_check.py (issue 20 §4) works end to end on a CPU with a tiny benchmark, reads
headline results from a notebook's printed lines, and refuses politely without a GPU."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import gpu_check  # noqa: E402


def test_headlines_keep_measured_lines_only():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "stream", name="stdout",
        text="Epoch 1/3\ntest accuracy 0.912\nhello\nreturn of the DQN: 187.5 (random 22.1)\n"
             "test accuracy 0.912\nloss went down\n")]
    assert gpu_check.headlines(nb) == ["test accuracy 0.912",
                                       "return of the DQN: 187.5 (random 22.1)"]


def test_without_a_gpu_it_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(gpu_check, "gpu_names", lambda: [])
    assert gpu_check.main(["--bench-only", "--out", str(tmp_path)]) == 2
    assert "no GPU visible" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        gpu_check.main(["--allow-cpu", "--images", "0"])


@pytest.mark.slow
def test_tiny_benchmark_on_cpu_reports_both_configurations(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gpu_check.py"), "--allow-cpu", "--bench-only",
         "--images", "64", "--epochs", "1", "--batch", "32", "--width", "4",
         "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    rows = results["throughput"]["rows"]
    assert len(rows) == 2 and all(r["images_per_s"] > 0 for r in rows.values())
    ratio = results["throughput"]["ratio"]
    plain, book = rows.values()
    assert ratio == pytest.approx(book["images_per_s"] / plain["images_per_s"])
    report = (tmp_path / "report.md").read_text()
    assert "images/s" in report and "Speed-up" in report
