"""Run mode, device, seeds and the one-line banner every lecture prints first.

The run mode is read once, from one environment variable:

``DLBOOK_MODE``
    ``fast``  small data, few epochs, small images: every lecture runs in a minute or two
              on a 2-core CPU and still shows a meaningful result.
    ``full``  the real data sizes and epochs; mixed precision and XLA on a GPU.
    unset     ``full`` when a GPU is visible, ``fast`` otherwise.

Under ``CI=true`` the mode is always ``fast`` (CI machines have no GPU and a time budget).

Example::

    >>> from helpers import config
    >>> cfg = config.setup(seed=0)      # doctest: +SKIP
    mode=fast | device=CPU | python 3.11.7 | tensorflow 2.21.0 | ... | numpy 2.4.6 | book 0.1.0
    >>> cfg.pick(fast=2, full=20)       # doctest: +SKIP
    2
"""

from __future__ import annotations

import os
import platform
import random
from dataclasses import dataclass

MODE_ENV = "DLBOOK_MODE"
VALID_MODES = ("fast", "full")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def resolve_mode(env: dict[str, str] | None = None, gpu_available: bool = False) -> str:
    """Decide the run mode from environment variables (pure function, easy to test).

    >>> resolve_mode({}, gpu_available=False)
    'fast'
    >>> resolve_mode({"DLBOOK_MODE": "full", "CI": "true"}, gpu_available=True)
    'fast'
    """
    env = os.environ if env is None else env
    if _truthy(env.get("CI")):
        return "fast"
    requested = (env.get(MODE_ENV) or "").strip().lower()
    if requested == "":
        return "full" if gpu_available else "fast"
    if requested not in VALID_MODES:
        raise ValueError(
            f"{MODE_ENV} must be one of {', '.join(VALID_MODES)} (or unset), got {requested!r}"
        )
    return requested


@dataclass(frozen=True)
class RunConfig:
    """What a lecture needs to know about where it runs."""

    mode: str
    device: str
    gpu_count: int
    seed: int
    mixed_precision: bool
    xla: bool

    @property
    def fast(self) -> bool:
        return self.mode == "fast"

    def pick(self, *, fast, full):
        """Return ``fast`` in fast mode and ``full`` in full mode."""
        return fast if self.fast else full

    def banner(self) -> str:
        import keras
        import numpy as np
        import tensorflow as tf

        from helpers import __version__

        extras = []
        if self.mixed_precision:
            extras.append("mixed precision")
        if self.xla:
            extras.append("XLA")
        extra = f" ({', '.join(extras)})" if extras else ""
        return (
            f"mode={self.mode} | device={self.device}{extra} | "
            f"python {platform.python_version()} | tensorflow {tf.__version__} | "
            f"keras {keras.__version__} | numpy {np.__version__} | book {__version__}"
        )


_CURRENT: RunConfig | None = None


def quiet_tensorflow_import() -> None:
    """Import TensorFlow with its C++ start-up chatter (oneDNN, CUDA probing) silenced.

    Those lines are written to file descriptor 2 before TensorFlow reads
    ``TF_CPP_MIN_LOG_LEVEL``, so Jupyter would show them under the setup cell. Python-level
    errors still surface: only the duration of the import is redirected.
    """
    import sys

    if "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real fd 2 (some embedded consoles)
        import tensorflow  # noqa: F401
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow/Keras in one call."""
    import keras
    import numpy as np

    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)


def setup(seed: int = 0, deterministic: bool = True, quiet: bool = False) -> RunConfig:
    """Configure TensorFlow for this run and print the banner line.

    Seeds everything, asks TensorFlow for deterministic kernels where it can (on a CPU this
    makes runs repeatable; some GPU kernels have no deterministic version), and in full mode
    on a GPU switches on mixed precision (float16 compute, float32 weights) and XLA.
    """
    global _CURRENT
    quiet_tensorflow_import()
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    mode = resolve_mode(gpu_available=bool(gpus))
    set_seed(seed)
    if deterministic:
        try:
            tf.config.experimental.enable_op_determinism()
        except Exception:  # older TF or already configured: not fatal
            pass
    on_gpu = bool(gpus)
    mixed = xla = False
    if mode == "full" and on_gpu:
        keras.mixed_precision.set_global_policy("mixed_float16")
        tf.config.optimizer.set_jit(True)
        mixed = xla = True
    else:
        keras.mixed_precision.set_global_policy("float32")
    device = f"GPU x{len(gpus)}" if on_gpu else "CPU"
    _CURRENT = RunConfig(mode, device, len(gpus), seed, mixed, xla)
    if not quiet:
        print(_CURRENT.banner())
    return _CURRENT


def current() -> RunConfig:
    """The configuration set by :func:`setup` (calls it quietly if nobody has)."""
    return _CURRENT if _CURRENT is not None else setup(quiet=True)
