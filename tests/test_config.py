"""helpers.config: run mode from the environment, seeds, the banner."""

import numpy as np
import pytest

from helpers import config


@pytest.mark.parametrize("env,gpu,expected", [
    ({}, False, "fast"),
    ({}, True, "full"),
    ({"DLBOOK_MODE": "full"}, False, "full"),
    ({"DLBOOK_MODE": "FAST"}, True, "fast"),
    ({"DLBOOK_MODE": "full", "CI": "true"}, True, "fast"),
    ({"CI": "1"}, True, "fast"),
    ({"CI": "false"}, True, "full"),
])
def test_resolve_mode(env, gpu, expected):
    assert config.resolve_mode(env, gpu_available=gpu) == expected


def test_unknown_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="DLBOOK_MODE must be one of fast, full"):
        config.resolve_mode({"DLBOOK_MODE": "turbo"})


def test_setup_prints_one_banner_line_and_seeds(capsys, monkeypatch):
    monkeypatch.setenv("DLBOOK_MODE", "fast")
    cfg = config.setup(seed=3)
    line = capsys.readouterr().out.strip()
    assert line.startswith("mode=fast | device=CPU")
    assert "tensorflow" in line and "keras" in line and "\n" not in line
    assert cfg.pick(fast=1, full=2) == 1
    assert not cfg.mixed_precision and not cfg.xla      # never on a CPU
    first = np.random.rand(3)
    config.set_seed(3)
    np.testing.assert_array_equal(first, np.random.rand(3))


def test_bad_seed():
    with pytest.raises(ValueError, match="seed"):
        config.set_seed(-1)
