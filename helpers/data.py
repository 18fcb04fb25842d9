"""Datasets and pretrained files: a registry, verified downloads, offline stand-ins.

Every entry of :data:`REGISTRY` names a source URL and the SHA-256 of the file. Loaders
download into a cache directory (``DLBOOK_CACHE``, default ``~/.cache/dlbook``), check the hash
after the download and again whenever a cached copy is used, and delete a copy that does not
match. Files whose publisher gives no checksum (Stanford's GloVe zip) are listed in
:data:`ARCHIVE_MEMBERS` instead: :func:`fetch_member` checks the archive's size and the
member's size and CRC-32, and records the member's SHA-256 on first verified use. When the real
file cannot be had (no network, a corrupt download) the loader falls back to a stand-in that
the project makes or that ships inside an installed package, and says so in one printed line.
No function here blocks for more than ``DLBOOK_TIMEOUT`` seconds (default 10) waiting for the
network, and ``DLBOOK_OFFLINE=1`` skips the network entirely.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CACHE_ENV = "DLBOOK_CACHE"
OFFLINE_ENV = "DLBOOK_OFFLINE"
TIMEOUT_ENV = "DLBOOK_TIMEOUT"


@dataclass(frozen=True)
class RemoteFile:
    """A file the book can download: where from, what it must hash to, what it is."""

    name: str
    url: str
    sha256: str
    description: str


REGISTRY: dict[str, RemoteFile] = {
    "mnist": RemoteFile(
        "mnist.npz",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
        "MNIST handwritten digits, 60 000 train + 10 000 test, 28x28 grey",
    ),
    # Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence), from the Keras mirror that
    # keras.datasets.fashion_mnist downloads. Keras checks no hash for these four files; the
    # SHA-256 values are those of Zalando's released .gz files (the Keras mirror serves the
    # same files), and a download that differs is rejected.
    **{
        f"fashion-mnist-{part}": RemoteFile(
            f"fashion-mnist-{name}",
            f"https://storage.googleapis.com/tensorflow/tf-keras-datasets/{name}",
            digest,
            f"Fashion-MNIST {part.replace('-', ' ')} (IDX, gzip)",
        )
        for part, name, digest in (
            ("train-images", "train-images-idx3-ubyte.gz",
             "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc"),
            ("train-labels", "train-labels-idx1-ubyte.gz",
             "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc"),
            ("test-images", "t10k-images-idx3-ubyte.gz",
             "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229"),
            ("test-labels", "t10k-labels-idx1-ubyte.gz",
             "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf"),
        )
    },
    # CIFAR-10 (Krizhevsky 2009), python version, 170,498,071 bytes; the SHA-256 is the one
    # keras.datasets.cifar10 checks.
    "cifar10": RemoteFile(
        "cifar-10-python.tar.gz",
        "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
        "CIFAR-10, 50 000 train + 10 000 test, 32x32 colour, 10 classes",
    ),
}

FASHION_MNIST_CLASSES = ("T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal",
                         "shirt", "sneaker", "bag", "ankle boot")
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                   "ship", "truck")


class DownloadError(RuntimeError):
    """The file could not be fetched or did not match its registered hash.

    ``reason`` is a few words for the one-line notice ("no network", "hash mismatch" …).
    """

    def __init__(self, message: str, reason: str = "download failed"):
        super().__init__(message)
        self.reason = reason


def cache_dir() -> Path:
    """Where downloads live; move it with the ``DLBOOK_CACHE`` environment variable."""
    root = os.environ.get(CACHE_ENV) or os.path.join(Path.home(), ".cache", "dlbook")
    path = Path(root).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_of(path: str | os.PathLike) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def offline() -> bool:
    """True when ``DLBOOK_OFFLINE`` asks the book never to touch the network."""
    return (os.environ.get(OFFLINE_ENV) or "").strip().lower() in {"1", "true", "yes", "on"}


def download_timeout() -> float:
    """Seconds a download or connection probe may wait (``DLBOOK_TIMEOUT``, default 10)."""
    try:
        return max(0.5, float(os.environ.get(TIMEOUT_ENV, "10")))
    except ValueError:
        return 10.0


def host_reachable(host: str, timeout: float | None = None, port: int = 443) -> bool:
    """Can a TCP connection to ``host:port`` open within ``timeout`` seconds, DNS included?

    The probe runs in a daemon thread, so a resolver that hangs cannot hold the caller longer
    than ``timeout``. Used before handing a download to code that has no timeout of its own
    (``keras.applications`` weights).
    """
    import socket
    import threading

    timeout = download_timeout() if timeout is None else timeout
    result = {"ok": False}

    def probe():
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result["ok"] = True
        except OSError:
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return result["ok"]


def fetch(key: str) -> Path:
    """Return a verified local copy of registry entry ``key``, downloading it if needed.

    Raises :class:`DownloadError` (never hangs) when the network is unavailable or the file
    does not match its SHA-256; a cached copy that fails the check is deleted first.
    """
    if key not in REGISTRY:
        raise KeyError(f"unknown dataset {key!r}; known: {', '.join(sorted(REGISTRY))}")
    entry = REGISTRY[key]
    target = cache_dir() / entry.name
    if target.exists():
        if sha256_of(target) == entry.sha256:
            return target
        target.unlink()  # corrupt or truncated copy: never use it
    if offline():
        raise DownloadError(f"{OFFLINE_ENV} is set, not downloading {entry.url}",
                            reason=f"{OFFLINE_ENV}=1")
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(fd)
    try:
        try:
            with urllib.request.urlopen(entry.url, timeout=download_timeout()) as response, open(
                tmp_name, "wb"
            ) as out:
                shutil.copyfileobj(response, out)
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            raise DownloadError(f"could not download {entry.url}: {error}",
                                reason="no network") from error
        got = sha256_of(tmp_name)
        if got != entry.sha256:
            raise DownloadError(
                f"{entry.url} downloaded but its SHA-256 is {got[:12]}…, "
                f"expected {entry.sha256[:12]}…", reason="SHA-256 mismatch"
            )
        os.replace(tmp_name, target)
        return target
    finally:
        if os.path.exists(tmp_name):
            os.remove(tmp_name)


# --------------------------------------------------------------------------------------------
# Files inside archives that have no published SHA-256 (GloVe)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveMember:
    """One file inside a remote zip archive whose publisher gives no checksum.

    What can be verified is verified: the archive's exact size in bytes, the member's
    uncompressed size, the member's CRC-32 stored in the zip (``zipfile`` checks it while
    reading), and, from the first verified extraction on, the SHA-256 of the extracted file,
    recorded next to it in the cache (``<name>.sha256``) and checked on every later use.
    This is weaker than a published SHA-256: it catches truncated, corrupted and changed
    downloads, not a forged archive of the same size.
    """

    name: str            # the member, also the name of the extracted file in the cache
    url: str
    archive_size: int    # bytes of the whole archive
    member_size: int     # bytes of the member, uncompressed
    description: str


ARCHIVE_MEMBERS: dict[str, ArchiveMember] = {
    # Stanford's glove.6B.zip (Pennington, Socher & Manning 2014; PDDL 1.0) holds the 50-,
    # 100-, 200- and 300-d vectors of 400,000 words. Stanford publishes no checksum; the size
    # 862,182,613 bytes is what the server reports (Content-Length) and what every complete
    # copy has, and glove.6B.50d.txt inside it is 171,350,079 bytes.
    "glove-6B-50d": ArchiveMember(
        "glove.6B.50d.txt",
        "https://downloads.cs.stanford.edu/nlp/data/glove.6B.zip",
        862_182_613,
        171_350_079,
        "GloVe 6B (Wikipedia 2014 + Gigaword 5, 400k words), 50-d, from glove.6B.zip",
    ),
}


def fetch_member(key: str, allow_download: bool = True) -> Path:
    """A verified local copy of the archive member ``ARCHIVE_MEMBERS[key]``.

    Downloads the archive (never blocking longer than ``DLBOOK_TIMEOUT`` per read), checks
    its size, extracts the member (checking its size and CRC-32), records or checks the
    member's SHA-256, keeps only the member and deletes the archive. Raises
    :class:`DownloadError` with a short ``reason`` on every failure; no partial file is left.
    With ``allow_download=False`` only a verified cached copy is returned (no network).
    """
    import zipfile

    if key not in ARCHIVE_MEMBERS:
        known = ", ".join(sorted(ARCHIVE_MEMBERS))
        raise KeyError(f"unknown archive member {key!r}; known: {known}")
    entry = ARCHIVE_MEMBERS[key]
    target = cache_dir() / entry.name
    record = cache_dir() / (entry.name + ".sha256")
    recorded = record.read_text().strip() if record.exists() else None
    if target.exists():
        if recorded is not None and sha256_of(target) == recorded:
            return target
        target.unlink()  # changed since it was verified, or never verified: extract again
    if offline():
        raise DownloadError(f"{OFFLINE_ENV} is set, not downloading {entry.url}",
                            reason=f"{OFFLINE_ENV}=1")
    if not allow_download:
        raise DownloadError(f"{entry.name} is not in the cache and downloading "
                            f"{entry.archive_size / 1e6:,.0f} MB was not allowed",
                            reason="download not allowed")
    fd, archive_tmp = tempfile.mkstemp(dir=target.parent, suffix=".zip.part")
    os.close(fd)
    fd, member_tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(fd)
    try:
        try:
            with urllib.request.urlopen(entry.url, timeout=download_timeout()) as response, \
                    open(archive_tmp, "wb") as out:
                shutil.copyfileobj(response, out, 1 << 20)
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            raise DownloadError(f"could not download {entry.url}: {error}",
                                reason="no network") from error
        size = os.path.getsize(archive_tmp)
        if size != entry.archive_size:
            raise DownloadError(f"{entry.url} has {size:,} bytes, expected "
                                f"{entry.archive_size:,}", reason="size mismatch")
        try:
            with zipfile.ZipFile(archive_tmp) as archive:
                info = archive.getinfo(entry.name)
                if info.file_size != entry.member_size:
                    raise DownloadError(f"{entry.name} has {info.file_size:,} bytes in the "
                                        f"archive, expected {entry.member_size:,}",
                                        reason="size mismatch")
                with archive.open(info) as source, open(member_tmp, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)   # raises on a bad CRC-32
        except KeyError as error:
            raise DownloadError(f"the archive has no member {entry.name}",
                                reason="member missing") from error
        except zipfile.BadZipFile as error:
            reason = "CRC-32 mismatch" if "CRC" in str(error) else "not a zip archive"
            raise DownloadError(f"{entry.url}: {error}", reason=reason) from error
        digest = sha256_of(member_tmp)
        if recorded is not None and digest != recorded:
            raise DownloadError(f"{entry.name} has SHA-256 {digest[:12]}…, but "
                                f"{recorded[:12]}… was recorded on its first verified use",
                                reason="SHA-256 changed")
        os.replace(member_tmp, target)
        if recorded is None:
            record.write_text(digest + "\n")
        return target
    finally:
        for leftover in (archive_tmp, member_tmp):
            if os.path.exists(leftover):
                os.remove(leftover)


def _notice(message: str) -> None:
    print(f"[data] {message}")


# --------------------------------------------------------------------------------------------
# The offline digits stand-in
# --------------------------------------------------------------------------------------------

DIGITS_N_TRAIN = 10_000
DIGITS_TEST_FRACTION = 0.3
_GRID = np.arange(28, dtype="float32") - 13.5   # pixel centres, measured from the centre


def _split_sizes() -> tuple[int, int]:
    """(training sources, test images) of the stratified split of the 1,797 bundled digits."""
    from sklearn.datasets import load_digits

    counts = np.bincount(load_digits().target, minlength=10)
    n_test = sum(round(DIGITS_TEST_FRACTION * int(k)) for k in counts)
    return int(counts.sum()) - n_test, n_test


def describe_digits_stand_in(n_train: int = DIGITS_N_TRAIN) -> str:
    """One sentence saying what :func:`digits_as_mnist` returns (printed by the loader)."""
    n_sources, n_test = _split_sizes()
    return (
        f"{n_train:,} training digits made by random affine + elastic distortion of "
        f"{n_sources:,} of scikit-learn's {n_sources + n_test:,} handwritten 8x8 digits "
        f"(upsampled to 28x28); the test set is the other {n_test}, undistorted"
    )


def _upsample_digits(images: np.ndarray) -> np.ndarray:
    """8x8 ink levels in [0, 1] -> smooth 20x20 digits in a 28x28 frame (not yet thresholded)."""
    from scipy import ndimage

    big = ndimage.zoom(images, (1, 2.5, 2.5), order=3, mode="nearest", grid_mode=True)
    frame = np.zeros((len(images), 28, 28), dtype="float32")
    frame[:, 4:24, 4:24] = big
    return ndimage.gaussian_filter(frame, (0, 0.7, 0.7))


def _strokes(frame: np.ndarray, level) -> np.ndarray:
    """Ink ramp: 0 below ``level``, 1 above ``level + 0.4``; a lower level draws thicker strokes."""
    return np.clip((frame - level) / 0.4, 0.0, 1.0)


def _centre_of_mass(images: np.ndarray):
    mass = images.sum(axis=(1, 2))
    return (images.sum(axis=2) @ _GRID) / mass, (images.sum(axis=1) @ _GRID) / mass


def _distort(frames: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One random affine + elastic warp per frame (Simard et al. 2003), centred by mass.

    The output pixel at offset (r, c) from the centre samples the source at an inverse
    rotation/scale/shear of (r, c), plus a smooth displacement field of at most 0.5-2 px,
    taken around the source's centre of mass, so the result is centred as MNIST digits are.
    """
    from scipy import ndimage

    n = len(frames)

    def column(values):
        return np.asarray(values, dtype="float32")[:, None, None]

    row_mass, col_mass = _centre_of_mass(_strokes(frames, 0.2))
    angle = np.deg2rad(rng.uniform(-12.0, 12.0, n))
    scale_c = rng.uniform(0.85, 1.05, n)
    scale_r = scale_c * rng.uniform(0.9, 1.1, n)
    shear = rng.uniform(-0.25, 0.25, n)
    rows, cols = _GRID[None, :, None], _GRID[None, None, :]
    cos, sin = column(np.cos(angle)), column(np.sin(angle))
    src_r = (cos * rows - sin * cols) / column(scale_r)
    src_c = (sin * rows + cos * cols) / column(scale_c) + column(shear) * src_r
    # Smooth random displacement: 5x5 random weights on Gaussian bumps 6 px wide.
    centres = np.linspace(-13.5, 13.5, 5, dtype="float32")
    basis = np.exp(-((_GRID[:, None] - centres[None, :]) ** 2) / (2 * 6.0**2))
    field = basis @ rng.normal(size=(2, n, 5, 5)).astype("float32") @ basis.T
    field *= column(rng.uniform(0.5, 2.0, n)) / np.abs(field).max(axis=(2, 3), keepdims=True)
    coords = np.stack([
        np.broadcast_to(column(np.arange(n)), (n, 28, 28)),
        src_r + column(row_mass) + 13.5 + field[0],
        src_c + column(col_mass) + 13.5 + field[1],
    ])
    warped = ndimage.map_coordinates(frames, coords, order=1, mode="constant", cval=0.0)
    return _strokes(warped, column(rng.uniform(0.15, 0.4, n)))


def _centred(frames: np.ndarray) -> np.ndarray:
    """Shift each frame (no other change) so its centre of mass is the centre, as in MNIST."""
    from scipy import ndimage

    row_mass, col_mass = _centre_of_mass(_strokes(frames, 0.2))
    return np.stack([
        _strokes(ndimage.shift(frame, (-dr, -dc), order=1, mode="constant"), 0.25)
        for frame, dr, dc in zip(frames, row_mass, col_mass, strict=True)
    ])


@functools.lru_cache(maxsize=4)
def _digits_stand_in(seed: int, n_train: int):
    from sklearn.datasets import load_digits

    digits = load_digits()
    frames = _upsample_digits(digits.images.astype("float32") / 16.0)
    labels = digits.target.astype("uint8")
    rng = np.random.default_rng(seed)
    train_src, test_src = [], []
    for digit in range(10):   # stratified split of the ORIGINAL images
        members = rng.permutation(np.flatnonzero(labels == digit))
        n_test = round(DIGITS_TEST_FRACTION * len(members))
        test_src.append(members[:n_test])
        train_src.append(members[n_test:])
    per_class = [n_train // 10 + (d < n_train % 10) for d in range(10)]
    sources = np.concatenate([np.resize(rng.permutation(src), k)
                              for src, k in zip(train_src, per_class, strict=True)])
    sources = sources[rng.permutation(len(sources))]
    x_train = _distort(frames[sources], rng)
    test = np.sort(np.concatenate(test_src))
    x_test = _centred(frames[test])
    as_bytes = lambda x: np.round(x * 255.0).astype("uint8")  # noqa: E731
    return (as_bytes(x_train), labels[sources], sources), (as_bytes(x_test), labels[test], test)


def digits_as_mnist(seed: int = 0, n_train: int = DIGITS_N_TRAIN, return_sources: bool = False):
    """An offline stand-in for MNIST, made from scikit-learn's 1,797 bundled 8x8 digits.

    The originals are split, stratified by class, into 70 % training sources and 30 % test
    images. Each 8x8 image is upsampled smoothly (cubic) to 20x20 inside a 28x28 frame, as
    MNIST digits are. The test images are these originals, undistorted (only shifted so their
    centre of mass is the frame's centre, as MNIST's are). The ``n_train``
    training images (balanced: ``n_train // 10`` per class) are random affine (rotation ±12°,
    scale 0.85-1.05, shear ±0.25) and elastic distortions of the training sources with random
    stroke thickness, centred by centre of mass. Returns ``(x_train, y_train), (x_test,
    y_test)`` like :func:`load_mnist`: uint8 0-255, white digits on black, shape (N, 28, 28).
    With ``return_sources`` each pair gains a third array: the index of the original digit
    (in ``sklearn.datasets.load_digits()``) each image was made from.

    Deterministic for a given ``seed``; about a second to make, then cached in memory. These
    are still ~40 writers' digits at 8x8 resolution: accuracies on them are not comparable
    with published MNIST numbers.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(n_train, bool) or not isinstance(n_train, (int, np.integer)) or n_train < 10:
        raise ValueError(f"n_train must be an integer >= 10, got {n_train!r}")
    train, test = _digits_stand_in(int(seed), int(n_train))
    copy = [tuple(a.copy() for a in part) for part in (train, test)]
    if not return_sources:
        copy = [part[:2] for part in copy]
    return copy[0], copy[1]


def load_mnist(limit_train: int | None = None, limit_test: int | None = None):
    """MNIST as ``(x_train, y_train), (x_test, y_test)`` uint8 arrays of shape (N, 28, 28).

    Downloads and verifies the real MNIST; offline, prints one line and returns
    :func:`digits_as_mnist` instead. ``limit_*`` keep only the first N examples.
    """
    for name, value in (("limit_train", limit_train), ("limit_test", limit_test)):
        if value is not None and (not isinstance(value, int) or value <= 0):
            raise ValueError(f"{name} must be a positive integer or None, got {value!r}")
    try:
        path = fetch("mnist")
        with np.load(path) as archive:
            train = (archive["x_train"], archive["y_train"])
            test = (archive["x_test"], archive["y_test"])
    except DownloadError as error:
        _notice(
            f"MNIST unavailable ({error.reason}); offline stand-in: {describe_digits_stand_in()}."
        )
        train, test = digits_as_mnist()
    if limit_train is not None:
        train = (train[0][:limit_train], train[1][:limit_train])
    if limit_test is not None:
        test = (test[0][:limit_test], test[1][:limit_test])
    return train, test


def _read_idx(path: Path) -> np.ndarray:
    """An IDX file (MNIST's format), gzip-compressed: big-endian header, then uint8 data."""
    import gzip

    with gzip.open(path, "rb") as handle:
        raw = handle.read()
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise ValueError(f"{path.name} is not an unsigned-byte IDX file")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path.name}: header says {shape}, found {data.size} values")
    return data.reshape(shape)


def _limit(pair, limit):
    return pair if limit is None else (pair[0][:limit], pair[1][:limit])


def _check_limits(**limits):
    for name, value in limits.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value <= 0):
            raise ValueError(f"{name} must be a positive integer or None, got {value!r}")


def load_fashion_mnist(limit_train: int | None = None, limit_test: int | None = None):
    """Fashion-MNIST as ``(x_train, y_train), (x_test, y_test)``: uint8 (N, 28, 28), labels
    0-9 (:data:`FASHION_MNIST_CLASSES`). Returns ``(train, test, source)`` where ``source`` is
    ``"fashion-mnist"``, or, when the files cannot be had, ``"digits stand-in"``: after one
    printed line, :func:`digits_as_mnist` (same shapes and dtypes, but digits, not clothes).
    """
    _check_limits(limit_train=limit_train, limit_test=limit_test)
    try:
        parts = {part: _read_idx(fetch(f"fashion-mnist-{part}")) for part in
                 ("train-images", "train-labels", "test-images", "test-labels")}
        train = (parts["train-images"], parts["train-labels"])
        test = (parts["test-images"], parts["test-labels"])
        source = "fashion-mnist"
    except DownloadError as error:
        _notice(f"Fashion-MNIST unavailable ({error.reason}); in its place the digits "
                "stand-in (same 28x28 uint8 shape, digit labels, not clothes).")
        train, test = digits_as_mnist()
        source = "digits stand-in"
    return _limit(train, limit_train), _limit(test, limit_test), source


def _cifar_batches(path: Path):
    import pickle
    import tarfile

    found = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if name.startswith("data_batch_") or name == "test_batch":
                batch = pickle.load(archive.extractfile(member), encoding="bytes")
                images = np.asarray(batch[b"data"], dtype=np.uint8)
                images = images.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
                found[name] = (images, np.asarray(batch[b"labels"], dtype=np.uint8))
    train_names = sorted(n for n in found if n.startswith("data_batch_"))
    if not train_names or "test_batch" not in found:
        raise ValueError(f"{path.name} holds no CIFAR-10 data_batch_* / test_batch files")
    train = tuple(np.concatenate([found[n][i] for n in train_names]) for i in (0, 1))
    return train, found["test_batch"]


def cifar_stand_in(n_per_photo: int = 120, seed: int = 0):
    """32x32 colour crops of photographs shipped with scikit-image, labelled by photograph.

    Same shape and dtype as CIFAR-10 (uint8 (N, 32, 32, 3)); the classes are the photos in
    :data:`CIFAR_STAND_IN_CLASSES`, not CIFAR's. A random square of 64, 96, ..., 192 pixels
    is cut from each photo and shrunk to 32x32 by averaging blocks of pixels; one crop in six
    is held out as the test set.
    """
    from skimage import data as skdata

    n_per_photo = _positive(n_per_photo, "n_per_photo")
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, name in enumerate(CIFAR_STAND_IN_CLASSES):
        photo = getattr(skdata, name)()[..., :3].astype("float32")
        height, width = photo.shape[:2]
        for _ in range(n_per_photo):
            block = int(rng.integers(2, 7))                       # crop side 32 * block
            side = 32 * block
            top, left = rng.integers(0, height - side + 1), rng.integers(0, width - side + 1)
            crop = photo[top:top + side, left:left + side]
            images.append(crop.reshape(32, block, 32, block, 3).mean(axis=(1, 3)))
            labels.append(label)
    images = np.round(np.stack(images)).astype(np.uint8)
    labels = np.asarray(labels, dtype=np.uint8)
    order = rng.permutation(len(labels))
    images, labels = images[order], labels[order]
    n_test = len(labels) // 6
    return (images[n_test:], labels[n_test:]), (images[:n_test], labels[:n_test])


CIFAR_STAND_IN_CLASSES = ("astronaut", "chelsea", "coffee", "rocket")


def _positive(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def load_cifar10(limit_train: int | None = None, limit_test: int | None = None):
    """CIFAR-10 as ``(x_train, y_train), (x_test, y_test), source``: uint8 (N, 32, 32, 3)
    channels last, labels 0-9 of shape (N,) (:data:`CIFAR10_CLASSES`; Keras returns (N, 1)).
    ``source`` is ``"cifar10"`` or, after one printed line, ``"photo-crop stand-in"``
    (:func:`cifar_stand_in`)."""
    _check_limits(limit_train=limit_train, limit_test=limit_test)
    try:
        train, test = _cifar_batches(fetch("cifar10"))
        source = "cifar10"
    except DownloadError as error:
        _notice(f"CIFAR-10 unavailable ({error.reason}); in its place 32x32 colour crops of "
                f"{len(CIFAR_STAND_IN_CLASSES)} scikit-image photographs, labelled by photo.")
        train, test = cifar_stand_in()
        source = "photo-crop stand-in"
    return _limit(train, limit_train), _limit(test, limit_test), source


def sample_photo(name: str = "astronaut", size: int | None = None) -> np.ndarray:
    """A real photograph shipped inside scikit-image, as float32 RGB in [0, 1].

    ``name`` is one of ``astronaut``, ``coffee``, ``chelsea`` (a cat), ``camera`` (grey,
    returned as three equal channels). ``size`` resizes the shorter side, keeping the aspect.
    """
    from skimage import data as skdata
    from skimage.transform import resize

    loaders = {"astronaut": skdata.astronaut, "coffee": skdata.coffee,
               "chelsea": skdata.chelsea, "camera": skdata.camera}
    if name not in loaders:
        raise ValueError(f"unknown photo {name!r}; choose from {', '.join(loaders)}")
    image = loaders[name]().astype("float32") / 255.0
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    if size is not None:
        if not isinstance(size, int) or size <= 0:
            raise ValueError(f"size must be a positive integer, got {size!r}")
        height, width = image.shape[:2]
        scale = size / min(height, width)
        shape = (max(1, round(height * scale)), max(1, round(width * scale)))
        image = resize(image, shape, anti_aliasing=True).astype("float32")
    return image
