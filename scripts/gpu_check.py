"""Full mode on a GPU: run every notebook in full mode and benchmark the book's GPU settings.

    make gpu-check                                   # everything (needs a GPU)
    python scripts/gpu_check.py --bench-only         # only the throughput benchmark
    python scripts/gpu_check.py notebooks/03_cnn.ipynb --record

What it does, on one machine, in one run:

1. **Every notebook in full mode** (``DLBOOK_MODE=full``; real data where a download works,
   otherwise the stand-ins at full size). Executed copies go to ``--out`` (default
   ``gpu-check/``, ignored by git), never over the committed fast-mode notebooks. For each
   notebook it records the wall time, whether it ran through, and its headline results: the
   printed lines that report a measured quantity (accuracy, loss, return, bits per character,
   score …).
2. **A throughput benchmark** of the book's full-mode settings, mixed precision (float16
   compute, float32 weights) and XLA compilation, against plain Keras defaults (float32, no
   XLA): the same residual CNN on the same synthetic 32×32×3 batches, images per second after
   a warm-up epoch, each configuration in a fresh process so that the global precision policy
   of one cannot leak into the other. The ratio is measured in this one run.

Results go to ``<out>/results.json`` and ``<out>/report.md``; ``--record`` also writes
``book/gpu.md`` (the page the preface links to) from them. Without a GPU it stops with a
message, unless ``--allow-cpu`` (what the tests use, with a tiny benchmark).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADLINE = re.compile(
    r"\b(accuracy|acc|loss|return|returns|bits per char|bits/char|score|error|IoU|F1|"
    r"win rate|agreement|perplexity|confident)\b", re.IGNORECASE)
MAX_HEADLINES = 12


def gpu_names() -> list[str]:
    """Names of the visible GPUs (via nvidia-smi, so TensorFlow is not imported here)."""
    try:
        done = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total",
                               "--format=csv,noheader"], capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line.strip() for line in done.stdout.splitlines() if line.strip()] \
        if done.returncode == 0 else []


def headlines(nb) -> list[str]:
    """Printed lines of a notebook that report a measured quantity (last ones kept)."""
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") != "stream" or output.get("name") != "stdout":
                continue
            for line in "".join(output.get("text", "")).splitlines():
                line = line.strip()
                if (line and len(line) <= 160 and HEADLINE.search(line)
                        and re.search(r"\d", line) and line not in found
                        and not line.startswith(("Epoch", "[", "…"))):
                    found.append(line)
    return found[-MAX_HEADLINES:]


def run_notebook(path: Path, out: Path, timeout: int) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = {"DLBOOK_MODE": "full"}
    os.environ.update(env)
    os.environ.pop("DLBOOK_OFFLINE", None)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except Exception as exc:      # record and go on with the next notebook
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:300]}"
    seconds = time.perf_counter() - start
    nbformat.write(nb, out / path.name)
    return {"notebook": path.name, "seconds": round(seconds, 1), "ok": error is None,
            "error": error, "headlines": headlines(nb)}


BENCH_CHILD = r"""
import json, sys, time
import numpy as np
cfg = json.loads(sys.argv[1])
import tensorflow as tf
import keras
from keras import layers
if cfg["mixed"]:
    keras.mixed_precision.set_global_policy("mixed_float16")
keras.utils.set_random_seed(0)

def block(x, filters, stride):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    if stride != 1 or x.shape[-1] != filters:
        x = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
    return layers.ReLU()(layers.Add()([x, y]))

inputs = keras.Input((32, 32, 3))
x = layers.Conv2D(cfg["width"], 3, padding="same")(inputs)
for filters, stride in ((cfg["width"], 1), (2 * cfg["width"], 2), (4 * cfg["width"], 2)):
    x = block(x, filters, stride)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, dtype="float32")(x)      # logits in float32 for a stable loss
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              jit_compile=cfg["xla"])
rng = np.random.default_rng(0)
images = rng.random((cfg["images"], 32, 32, 3), dtype=np.float32)
labels = rng.integers(0, 10, cfg["images"])
data = tf.data.Dataset.from_tensor_slices((images, labels)).batch(cfg["batch"]).cache()
model.fit(data, epochs=1, verbose=0)                 # warm-up: tracing, XLA compilation
start = time.perf_counter()
history = model.fit(data, epochs=cfg["epochs"], verbose=0)
seconds = time.perf_counter() - start
print(json.dumps({"images_per_s": cfg["images"] * cfg["epochs"] / seconds,
                  "seconds": seconds, "params": model.count_params(),
                  "final_loss": float(history.history["loss"][-1]),
                  "device": "GPU" if tf.config.list_physical_devices("GPU") else "CPU"}))
"""


def throughput(images: int, epochs: int, batch: int, width: int) -> dict:
    rows = {}
    for name, mixed, xla in (("Keras defaults (float32, no XLA)", False, False),
                             ("book full mode (mixed precision + XLA)", True, True)):
        cfg = {"mixed": mixed, "xla": xla, "images": images, "epochs": epochs,
               "batch": batch, "width": width}
        done = subprocess.run([sys.executable, "-c", BENCH_CHILD, json.dumps(cfg)],
                              capture_output=True, text=True, timeout=3600,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        if done.returncode != 0:
            raise RuntimeError(f"benchmark '{name}' failed:\n{done.stderr[-3000:]}")
        rows[name] = json.loads(done.stdout.strip().splitlines()[-1])
    plain, book = rows.values()
    return {"model": f"residual CNN, 3 blocks, width {width}, 32x32x3 inputs, batch {batch}",
            "images": images, "epochs": epochs, "rows": rows,
            "ratio": book["images_per_s"] / plain["images_per_s"]}


def report(results: dict) -> str:
    lines = ["# Full mode on a GPU", "",
             f"Measured by `make gpu-check` (scripts/gpu_check.py) on {results['when']}: "
             f"{results['machine']}.", ""]
    if results.get("notebooks"):
        lines += ["## Every notebook in full mode", "",
                  "| notebook | time (s) | ran | headline results |", "|---|---|---|---|"]
        for row in results["notebooks"]:
            heads = "<br>".join(h.replace("|", "\\|") for h in row["headlines"][-5:])
            ran = "yes" if row["ok"] else f"no: {row['error']}"
            lines.append(f"| {row['notebook']} | {row['seconds']:.0f} | {ran} | {heads} |")
        total = sum(r["seconds"] for r in results["notebooks"])
        lines += ["", f"Total: {total / 60:.1f} minutes.", ""]
    bench = results.get("throughput")
    if bench:
        lines += ["## Mixed precision and XLA against Keras defaults", "",
                  f"{bench['model']}; {bench['images']} synthetic images, {bench['epochs']} "
                  "timed epochs after one warm-up epoch, each configuration in its own "
                  "process.", "", "| configuration | images/s | device |", "|---|---|---|"]
        for name, row in bench["rows"].items():
            lines.append(f"| {name} | {row['images_per_s']:,.0f} | {row['device']} |")
        lines += ["", f"Speed-up of the book's full-mode settings: **{bench['ratio']:.2f}×** "
                  "(measured in the same run).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "gpu-check")
    parser.add_argument("--bench-only", action="store_true")
    parser.add_argument("--skip-bench", action="store_true")
    parser.add_argument("--allow-cpu", action="store_true",
                        help="run without a GPU (slow; for testing the script)")
    parser.add_argument("--record", action="store_true",
                        help="also write book/gpu.md from the results")
    parser.add_argument("--timeout", type=int, default=3600, help="per notebook cell, s")
    parser.add_argument("--images", type=int, default=50_000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--width", type=int, default=64)
    args = parser.parse_args(argv)
    for name in ("images", "epochs", "batch", "width"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be positive")
    gpus = gpu_names()
    if not gpus and not args.allow_cpu:
        print("gpu-check: no GPU visible (nvidia-smi finds none). Run it on a machine with an "
              "NVIDIA GPU, or pass --allow-cpu to test the script here.", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    results = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "machine": (", ".join(gpus) or "no GPU") + f"; {os.cpu_count()} CPUs; "
                          f"Python {platform.python_version()}"}
    if not args.bench_only:
        paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        results["notebooks"] = []
        for path in paths:
            row = run_notebook(path, args.out, args.timeout)
            print(f"{row['notebook']}: {row['seconds']:.0f} s, "
                  f"{'ok' if row['ok'] else row['error']}", flush=True)
            results["notebooks"].append(row)
            (args.out / "results.json").write_text(json.dumps(results, indent=1))
    if not args.skip_bench:
        results["throughput"] = throughput(args.images, args.epochs, args.batch, args.width)
        for name, row in results["throughput"]["rows"].items():
            print(f"{name}: {row['images_per_s']:,.0f} images/s ({row['device']})")
        print(f"ratio: {results['throughput']['ratio']:.2f}x")
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    text = report(results)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    if args.record:
        (ROOT / "book" / "gpu.md").write_text(text, encoding="utf-8")
    print(f"wrote {args.out / 'report.md'}")
    failed = [r for r in results.get("notebooks", []) if not r["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
