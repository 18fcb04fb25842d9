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
    assert data.describe_digits_stand_in() in lines[0]
    assert "10,000 training digits" in lines[0] and "the other 539, undistorted" in lines[0]
    assert x_train.shape == (10_000, 28, 28) and x_train.dtype == np.uint8
    assert x_test.shape == (539, 28, 28) and x_test.dtype == np.uint8
    assert y_train.dtype == y_test.dtype == np.uint8


def test_stand_in_looks_like_mnist():
    """White digits (0-255) on black, centred by mass, ink statistics near MNIST's."""
    (x_train, _), (x_test, _) = data.digits_as_mnist()
    grid = np.arange(28) - 13.5
    for images in (x_train, x_test):
        assert images.min() == 0 and images.max() == 255
        ink = images.astype("float64")
        mass = ink.sum(axis=(1, 2))
        assert (mass > 0).all()
        rows, cols = ink.sum(axis=2) @ grid / mass, ink.sum(axis=1) @ grid / mass
        assert np.abs(rows).max() < 2.5 and np.abs(cols).max() < 2.5    # centred
        assert np.abs(rows).mean() < 0.6 and np.abs(cols).mean() < 0.6
        assert (images[:, :, :2] > 0).mean() < 0.01                      # black margins
        assert (images[:, 0] > 0).mean() < 0.01 and (images[:, -1] > 0).mean() < 0.01
        # MNIST: mean ink 0.13 of full scale, ~19 % of pixels non-zero
        assert 0.10 < images.mean() / 255 < 0.20
        assert 0.14 < (images > 0).mean() < 0.28


def test_stand_in_classes_balanced_and_sources_disjoint():
    (x_train, y_train, src_train), (x_test, y_test, src_test) = data.digits_as_mnist(
        return_sources=True)
    assert np.bincount(y_train, minlength=10).tolist() == [1000] * 10
    test_counts = np.bincount(y_test, minlength=10)
    assert test_counts.min() >= 50 and test_counts.max() - test_counts.min() <= 3
    assert not set(src_train.tolist()) & set(src_test.tolist())       # disjoint by source
    assert len(set(src_train.tolist())) + len(src_test) == 1797         # every original used
    from sklearn.datasets import load_digits
    target = load_digits().target
    np.testing.assert_array_equal(target[src_train], y_train)           # labels follow sources
    np.testing.assert_array_equal(target[src_test], y_test)
    # training images are distorted copies, never the test originals themselves
    flat_test = {image.tobytes() for image in x_test}
    assert not any(image.tobytes() in flat_test for image in x_train)


def test_stand_in_is_deterministic_and_seeded():
    (a, ya), (t_a, _) = data.digits_as_mnist(seed=1, n_train=200)
    (b, yb), (t_b, _) = data.digits_as_mnist(seed=1, n_train=200)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    np.testing.assert_array_equal(t_a, t_b)
    a[:] = 0                                        # callers get copies, not the cache
    (c, _), _ = data.digits_as_mnist(seed=1, n_train=200)
    np.testing.assert_array_equal(c, b)
    (d, _), _ = data.digits_as_mnist(seed=2, n_train=200)
    assert not np.array_equal(d, b)
    (e, ye), _ = data.digits_as_mnist(seed=1, n_train=205)
    assert np.bincount(ye, minlength=10).tolist() == [21] * 5 + [20] * 5


def test_stand_in_is_fast():
    start = time.perf_counter()
    data.digits_as_mnist(seed=7, n_train=10_000)
    assert time.perf_counter() - start < 15          # ~2 s on one free core


@pytest.mark.parametrize("kwargs, match", [
    ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"seed": True}, "seed"),
    ({"n_train": 5}, "n_train"), ({"n_train": "10000"}, "n_train"),
])
def test_stand_in_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.digits_as_mnist(**kwargs)


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


# ------------------------------------------------------------ Fashion-MNIST and CIFAR-10


def _idx_gz(array):
    import gzip
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def _serve(monkeypatch, root, base, key, name, payload):
    (root / name).write_bytes(payload)
    monkeypatch.setitem(data.REGISTRY, key, data.RemoteFile(
        f"{key}.bin", f"{base}/{name}", hashlib.sha256(payload).hexdigest(), key))


def test_registry_has_real_sources_for_fashion_mnist_and_cifar10():
    keras_mirror = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
    for part, name in (("train-images", "train-images-idx3-ubyte.gz"),
                       ("test-labels", "t10k-labels-idx1-ubyte.gz")):
        assert data.REGISTRY[f"fashion-mnist-{part}"].url == keras_mirror + name
    cifar = data.REGISTRY["cifar10"]
    assert cifar.url == "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    assert cifar.sha256.startswith("6d958be0745778")             # the hash Keras checks
    assert len(data.FASHION_MNIST_CLASSES) == len(data.CIFAR10_CLASSES) == 10


def test_fashion_mnist_downloads_verifies_and_parses(cache, server, monkeypatch):
    root, base = server
    rng = np.random.default_rng(0)
    arrays = {"train-images": rng.integers(0, 256, (6, 28, 28)), "train-labels": np.arange(6),
              "test-images": rng.integers(0, 256, (3, 28, 28)), "test-labels": np.arange(3)}
    for part, array in arrays.items():
        _serve(monkeypatch, root, base, f"fashion-mnist-{part}", f"{part}.gz", _idx_gz(array))
    (x_train, y_train), (x_test, y_test), source = data.load_fashion_mnist(limit_test=2)
    assert source == "fashion-mnist"
    np.testing.assert_array_equal(x_train, arrays["train-images"])
    assert x_train.dtype == np.uint8 and y_train.tolist() == list(range(6))
    assert x_test.shape == (2, 28, 28) and y_test.tolist() == [0, 1]


def test_cifar10_downloads_verifies_and_parses(cache, server, monkeypatch, tmp_path):
    import io
    import pickle
    import tarfile
    root, base = server
    rng = np.random.default_rng(1)
    batches = {}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in ("data_batch_1", "data_batch_2", "test_batch"):
            images = rng.integers(0, 256, (4, 3 * 32 * 32)).astype(np.uint8)
            labels = rng.integers(0, 10, 4).tolist()
            batches[name] = (images, labels)
            blob = pickle.dumps({b"data": images, b"labels": labels})
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            archive.addfile(info, io.BytesIO(blob))
    _serve(monkeypatch, root, base, "cifar10", "cifar.tar.gz", buffer.getvalue())
    (x_train, y_train), (x_test, y_test), source = data.load_cifar10()
    assert source == "cifar10"
    assert x_train.shape == (8, 32, 32, 3) and x_test.shape == (4, 32, 32, 3)
    first = batches["data_batch_1"][0][0]
    np.testing.assert_array_equal(x_train[0, :, :, 0], first[:1024].reshape(32, 32))  # red
    np.testing.assert_array_equal(x_train[0, :, :, 2], first[2048:].reshape(32, 32))  # blue
    assert y_train.tolist() == batches["data_batch_1"][1] + batches["data_batch_2"][1]
    assert y_test.dtype == np.uint8 and y_test.tolist() == batches["test_batch"][1]


def test_fashion_and_cifar_fall_back_offline_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    (x, y), (xt, yt), source = data.load_fashion_mnist(limit_train=50)
    assert source == "digits stand-in" and x.shape == (50, 28, 28) and x.dtype == np.uint8
    (x, y), (xt, yt), source = data.load_cifar10()
    assert source == "photo-crop stand-in"
    assert x.shape[1:] == (32, 32, 3) and x.dtype == np.uint8 and len(xt) == len(x) // 5
    assert set(np.unique(y)) == set(range(len(data.CIFAR_STAND_IN_CLASSES)))
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("[data] Fashion-MNIST unavailable (DLBOOK_OFFLINE=1)")
    assert lines[1].startswith("[data] CIFAR-10 unavailable (DLBOOK_OFFLINE=1)")


def test_idx_reader_rejects_a_truncated_file(tmp_path):
    import gzip
    path = tmp_path / "bad.gz"
    path.write_bytes(gzip.compress(bytes([0, 0, 8, 1]) + (10).to_bytes(4, "big") + b"abc"))
    with pytest.raises(ValueError, match="header says"):
        data._read_idx(path)
