"""GloVe through helpers.data.ARCHIVE_MEMBERS: the whole download path, on a loopback server.

Stanford publishes no checksum for glove.6B.zip, so the entry pins what can be pinned (the
archive's size, the member's size, the zip's own CRC-32) and records the extracted file's
SHA-256 on first verified use. These tests serve a tiny generated zip from 127.0.0.1 and point
the entry at it.
"""

import dataclasses
import hashlib
import http.server
import threading
import zipfile
from functools import partial

import numpy as np
import pytest

from helpers import data, text

WORDS = ["the", "king", "queen", "man", "woman"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DLBOOK_CACHE", str(folder))
    monkeypatch.delenv("DLBOOK_OFFLINE", raising=False)
    monkeypatch.setenv("DLBOOK_TIMEOUT", "5")
    return folder


@pytest.fixture()
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("stanford")
    handler = partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def vector_text(seed=0, dim=50):
    rng = np.random.default_rng(seed)
    return "".join(f"{w} " + " ".join(f"{v:.5f}" for v in rng.normal(size=dim)) + "\n"
                   for w in WORDS).encode()


def make_zip(path, payload, member="glove.6B.50d.txt"):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(member, payload)
        archive.writestr("glove.6B.100d.txt", b"other 1.0\n")
    return path


def point_entry_at(monkeypatch, url, archive_path, member_size):
    entry = dataclasses.replace(data.ARCHIVE_MEMBERS["glove-6B-50d"], url=url,
                                archive_size=archive_path.stat().st_size,
                                member_size=member_size)
    monkeypatch.setitem(data.ARCHIVE_MEMBERS, "glove-6B-50d", entry)
    return entry


def test_registry_entry_states_what_is_verified():
    entry = data.ARCHIVE_MEMBERS["glove-6B-50d"]
    assert entry.url == "https://downloads.cs.stanford.edu/nlp/data/glove.6B.zip"
    assert entry.archive_size == 862_182_613 and entry.member_size == 171_350_079
    assert entry.name == "glove.6B.50d.txt"
    assert "CRC-32" in data.ArchiveMember.__doc__ and "SHA-256" in data.ArchiveMember.__doc__
    assert text.PRETRAINED["glove-6B-50d"].registry_key == "glove-6B-50d"


def test_whole_path_download_verify_extract_record_and_reuse(cache, server, monkeypatch, capsys):
    root, base = server
    payload = vector_text()
    archive = make_zip(root / "glove.6B.zip", payload)
    point_entry_at(monkeypatch, f"{base}/glove.6B.zip", archive, len(payload))
    vectors = text.load_pretrained_vectors("glove-6B-50d")
    assert capsys.readouterr().out == ""                    # no fallback notice
    assert vectors.words == WORDS and vectors.dim == 50
    assert vectors.source.startswith("GloVe 6B")
    expected = np.array([line.split()[1:] for line in payload.decode().splitlines()], float)
    np.testing.assert_allclose(vectors.vectors, expected, rtol=1e-6)
    extracted = cache / "glove.6B.50d.txt"
    recorded = (cache / "glove.6B.50d.txt.sha256").read_text().strip()
    assert recorded == hashlib.sha256(payload).hexdigest()
    assert sorted(p.name for p in cache.iterdir()) == ["glove.6B.50d.txt",
                                                       "glove.6B.50d.txt.sha256"]  # zip gone
    (root / "glove.6B.zip").unlink()                         # the second use is offline
    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    again = text.load_pretrained_vectors("glove-6B-50d")
    assert again.words == WORDS and extracted.exists()


def test_wrong_archive_size_is_rejected_without_leftovers(cache, server, monkeypatch, capsys):
    root, base = server
    payload = vector_text()
    archive = make_zip(root / "glove.6B.zip", payload)
    entry = point_entry_at(monkeypatch, f"{base}/glove.6B.zip", archive, len(payload))
    monkeypatch.setitem(data.ARCHIVE_MEMBERS, "glove-6B-50d",
                        dataclasses.replace(entry, archive_size=entry.archive_size + 1))
    with pytest.raises(data.DownloadError) as info:
        data.fetch_member("glove-6B-50d")
    assert info.value.reason == "size mismatch"
    assert list(cache.iterdir()) == []
    vectors = text.load_pretrained_vectors("glove-6B-50d")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "size mismatch" in lines[0] and "PPMI+SVD" in lines[0]
    assert vectors.dim == 50


def test_corrupted_member_fails_its_crc(cache, server, monkeypatch):
    root, base = server
    payload = vector_text()
    archive = make_zip(root / "glove.6B.zip", payload)
    raw = bytearray(archive.read_bytes())
    start = raw.index(payload[:20])
    raw[start + 5] ^= 0x01                                  # one flipped bit, same size
    archive.write_bytes(bytes(raw))
    point_entry_at(monkeypatch, f"{base}/glove.6B.zip", archive, len(payload))
    with pytest.raises(data.DownloadError) as info:
        data.fetch_member("glove-6B-50d")
    assert info.value.reason == "CRC-32 mismatch"
    assert list(cache.iterdir()) == []


def test_changed_file_after_first_use_is_caught(cache, server, monkeypatch):
    root, base = server
    payload = vector_text(seed=0)
    archive = make_zip(root / "glove.6B.zip", payload)
    point_entry_at(monkeypatch, f"{base}/glove.6B.zip", archive, len(payload))
    first = data.fetch_member("glove-6B-50d")
    first.write_bytes(first.read_bytes()[:-10])              # the cached copy is damaged
    other = payload.replace(b"king", b"kink")                # and the server now differs
    assert len(other) == len(payload)
    make_zip(root / "glove.6B.zip", other)
    with pytest.raises(data.DownloadError) as info:
        data.fetch_member("glove-6B-50d")
    assert info.value.reason == "SHA-256 changed"
    assert not first.exists()                                # the damaged copy is not kept
    make_zip(root / "glove.6B.zip", payload)                 # the original comes back
    assert data.fetch_member("glove-6B-50d").read_bytes() == payload


def test_member_size_and_missing_member(cache, server, monkeypatch):
    root, base = server
    payload = vector_text()
    archive = make_zip(root / "glove.6B.zip", payload)
    point_entry_at(monkeypatch, f"{base}/glove.6B.zip", archive, len(payload) - 1)
    with pytest.raises(data.DownloadError, match="bytes in the archive"):
        data.fetch_member("glove-6B-50d")
    archive = make_zip(root / "glove.6B.zip", payload, member="renamed.txt")
    point_entry_at(monkeypatch, f"{base}/glove.6B.zip", archive, len(payload))
    with pytest.raises(data.DownloadError) as info:
        data.fetch_member("glove-6B-50d")
    assert info.value.reason == "member missing"


def test_offline_falls_back_in_one_line(cache, monkeypatch, capsys):
    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    vectors = text.load_pretrained_vectors("glove-6B-50d")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "DLBOOK_OFFLINE is set" in lines[0]
    assert vectors.dim == 50 and "king" in vectors
    assert text.load_pretrained_vectors("glove-6B-50d", fallback=None) is None


def test_unknown_member_key():
    with pytest.raises(KeyError, match="unknown archive member"):
        data.fetch_member("glove-840B")


def test_no_download_unless_allowed(cache, server, monkeypatch, capsys):
    root, base = server
    payload = vector_text()
    archive = make_zip(root / "glove.6B.zip", payload)
    point_entry_at(monkeypatch, f"{base}/glove.6B.zip", archive, len(payload))
    with pytest.raises(data.DownloadError) as info:
        data.fetch_member("glove-6B-50d", allow_download=False)
    assert info.value.reason == "download not allowed"
    assert list(cache.iterdir()) == []
    vectors = text.load_pretrained_vectors(allow_download=False)
    assert "does not download" in capsys.readouterr().out and "glove" not in vectors.source
    data.fetch_member("glove-6B-50d")                          # once downloaded and verified …
    again = text.load_pretrained_vectors(allow_download=False)  # … the cached copy is used
    assert again.words == WORDS
