"""Small input checks shared by helper modules (private: import from here, not re-typed)."""

from __future__ import annotations

import numpy as np


def positive_int(value, name: str) -> int:
    """``value`` as an int if it is a positive integer (not a bool), else a plain ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def practice_count(count) -> int:
    """The number of questions a practice generator is asked for: an integer from 1 to 50."""
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) \
            or not 1 <= count <= 50:
        raise ValueError(f"count must be an integer between 1 and 50, got {count!r}")
    return int(count)
