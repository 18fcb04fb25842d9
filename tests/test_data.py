"""helpers.data: verified downloads, corrupt caches, offline fallback without hanging."""

import hashlib
import http.server
import threading
import time
import urllib.request
from functools import partial

import numpy as np
import pytest

from helpers import data


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DLBOOK_CACHE", str(tmp_path))
    monkeypatch.delenv("DLBOOK_OFFLINE", raising=False)
    return tmp_path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def server(tmp_path_factory):
    """A loopback HTTP server serving a folder: a stand-in for the dataset host."""
    root = tmp_path_factory.mktemp("served")
    handler = partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def register(monkeypatch, url, payload):
    entry = data.RemoteFile("toy.bin", url, hashlib.sha256(payload).hexdigest(), "toy")
    monkeypatch.setitem(data.REGISTRY, "toy", entry)
    return entry


def test_download_is_verified_and_cached(cache, server, monkeypatch):
    root, base = server
    (root / "toy.bin").write_bytes(b"hello dataset")
    register(monkeypatch, f"{base}/toy.bin", b"hello dataset")
    path = data.fetch("toy")
    assert path.read_bytes() == b"hello dataset"
    (root / "toy.bin").unlink()                  # a second call must use the cache
    assert data.fetch("toy") == path


def test_download_with_wrong_hash_is_rejected_and_not_kept(cache, server, monkeypatch):
    root, base = server
    (root / "toy.bin").write_bytes(b"tampered")
    register(monkeypatch, f"{base}/toy.bin", b"the real thing")
    with pytest.raises(data.DownloadError, match="SHA-256") as info:
        data.fetch("toy")
    assert info.value.reason == "SHA-256 mismatch"
    assert list(cache.iterdir()) == []           # no partial or corrupt file left behind


def test_corrupt_cached_file_is_detected_and_replaced(cache, server, monkeypatch):
    root, base = server
    (root / "toy.bin").write_bytes(b"good bytes")
    register(monkeypatch, f"{base}/toy.bin", b"good bytes")
    (cache / "toy.bin").write_bytes(b"good by")  # truncated earlier download
    assert data.fetch("toy").read_bytes() == b"good bytes"


def test_corrupt_cache_without_network_is_deleted(cache, monkeypatch):
    register(monkeypatch, "http://127.0.0.1:9/toy.bin", b"real")
    (cache / "toy.bin").write_bytes(b"garbage")
    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    with pytest.raises(data.DownloadError):
        data.fetch("toy")
    assert not (cache / "toy.bin").exists()


def test_unreachable_host_fails_fast(cache, monkeypatch):
    """A host that never answers must not hang the notebook: the timeout bounds the wait."""
    monkeypatch.setenv("DLBOOK_TIMEOUT", "1")
    register(monkeypatch, "http://10.255.255.1/toy.bin", b"x")   # non-routable address
    start = time.perf_counter()
    with pytest.raises(data.DownloadError):
        data.fetch("toy")
    assert time.perf_counter() - start < 5


def test_mnist_falls_back_offline_with_one_line(cache, monkeypatch, capsys):
    def no_network(*args, **kwargs):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    start = time.perf_counter()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert time.perf_counter() - start < 30
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1 and "MNIST unavailable (no network)" in lines[0]
    assert x_train.shape[1:] == (28, 28) and x_train.dtype == np.uint8
    assert len(x_train) + len(x_test) == 1797
    assert set(np.unique(y_train)) == set(range(10))
    assert x_train[:, :4].max() == 0            # digits centred in a 20x20 box, like MNIST


def test_stand_in_is_deterministic():
    (a, _), _ = data.digits_as_mnist(seed=1)
    (b, _), _ = data.digits_as_mnist(seed=1)
    np.testing.assert_array_equal(a, b)


def test_limits_are_validated(monkeypatch):
    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    with pytest.raises(ValueError, match="limit_train"):
        data.load_mnist(limit_train=0)
    (x_train, _), (x_test, _) = data.load_mnist(limit_train=100, limit_test=10)
    assert len(x_train) == 100 and len(x_test) == 10


def test_unknown_dataset():
    with pytest.raises(KeyError, match="unknown dataset"):
        data.fetch("imagenet-22k")


def test_registry_entries_are_well_formed():
    for key, entry in data.REGISTRY.items():
        assert entry.url.startswith("https://"), key
        assert len(entry.sha256) == 64 and int(entry.sha256, 16) >= 0, key


def test_sample_photo():
    photo = data.sample_photo("astronaut", size=64)
    assert photo.shape == (64, 64, 3) and photo.dtype == np.float32
    assert 0.0 <= photo.min() and photo.max() <= 1.0
    assert data.sample_photo("camera").shape[-1] == 3
    with pytest.raises(ValueError, match="unknown photo"):
        data.sample_photo("mona lisa")
