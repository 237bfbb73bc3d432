"""fetch: real HTTP download from a local server, mirror copy, checksum mismatch, missing file, retries."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toxsynth.fetch import FetchParams, fetch_all
from toxsynth.sources import Source, SourceFile

FAST = FetchParams(timeout_s=5, retries=1, backoff_s=0.01)


@pytest.fixture()
def server(request):
    """An HTTP server on 127.0.0.1 serving a folder (the mirror unless the test says otherwise)."""

    def serve(folder: Path) -> str:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *a, **k: None
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        request.addfinalizer(httpd.shutdown)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    return serve


def served(source: Source, base_url: str) -> Source:
    """The same source, its files downloaded from `base_url/<name>/<file>` instead of upstream."""
    files = tuple(dataclasses.replace(f, url=f"{base_url}/{source.name}/{f.name}") for f in source.files)
    return dataclasses.replace(source, files=files)


def tame_source(folder: Path, name="tame", good=True) -> Source:
    (folder / name).mkdir(parents=True, exist_ok=True)
    a, b = folder / name / "a.csv", folder / name / "b.csv"
    a.write_text("text,label\nI like trains,0\n")
    b.write_text("text,label\nthe weather is bad,0\n")
    sha_b = hashlib.sha256(b.read_bytes()).hexdigest() if good else "0" * 64
    files = (
        SourceFile("a.csv", hashlib.sha256(a.read_bytes()).hexdigest(), url=f"x/{name}/a.csv"),
        SourceFile("b.csv", sha_b, url=f"x/{name}/b.csv"),
    )
    return Source(name, "generic", files)


def test_download_from_local_http_server_verifies_real_files(mirror, sources, server, tmp_path):
    base = server(mirror)
    chosen = [served(sources[name], base) for name in ("davidson", "ethos", "twitter_suicide")]
    assert fetch_all(tuple(chosen), tmp_path / "raw", FAST, mirror=None) == []
    for source in chosen:
        for f in source.files:
            assert (tmp_path / "raw" / source.name / f.name).read_bytes() == (mirror / source.name / f.name).read_bytes()
    assert not [p for p in (tmp_path / "raw").iterdir() if p.name.startswith(".")], "temp folders left behind"


def test_mirror_copy_verifies_every_listed_source(mirror, sources, tmp_path):
    chosen = (sources["hateval"], sources["threatgram"])
    assert fetch_all(chosen, tmp_path / "raw", FAST, mirror=mirror) == []
    assert sorted(p.name for p in (tmp_path / "raw" / "hateval").iterdir()) == sorted(
        f.name for f in sources["hateval"].files
    )


def test_checksum_mismatch_writes_nothing_for_that_source(server, tmp_path):
    site = tmp_path / "site"
    good, bad = tame_source(site, "good"), tame_source(site, "bad", good=False)
    base = server(site)
    errors = fetch_all((served(bad, base), served(good, base)), tmp_path / "raw", FAST, mirror=None)
    assert len(errors) == 1 and "sha256 mismatch" in errors[0] and "bad/b.csv" in errors[0]
    assert not (tmp_path / "raw" / "bad").exists()  # not even its good first file
    assert (tmp_path / "raw" / "good" / "b.csv").is_file()  # the other source is unaffected
    assert [p.name for p in (tmp_path / "raw").iterdir()] == ["good"]


def test_checksum_mismatch_in_mirror_writes_nothing(tmp_path):
    source = tame_source(tmp_path / "mirror", "bad", good=False)
    errors = fetch_all((source,), tmp_path / "raw", FAST, mirror=tmp_path / "mirror")
    assert "sha256 mismatch" in errors[0]
    assert list((tmp_path / "raw").iterdir()) == []


def test_missing_file_on_server_is_an_error_and_writes_nothing(server, tmp_path):
    site = tmp_path / "site"
    source = tame_source(site, "gone")
    (site / "gone" / "b.csv").unlink()
    errors = fetch_all((served(source, server(site)),), tmp_path / "raw", FAST, mirror=None)
    assert len(errors) == 1 and "HTTP 404" in errors[0]
    assert list((tmp_path / "raw").iterdir()) == []


def test_missing_file_in_mirror_is_an_error(tmp_path):
    source = tame_source(tmp_path / "mirror", "gone")
    (tmp_path / "mirror" / "gone" / "a.csv").unlink()
    errors = fetch_all((source,), tmp_path / "raw", FAST, mirror=tmp_path / "mirror")
    assert "not found in the mirror" in errors[0]
    assert list((tmp_path / "raw").iterdir()) == []


def test_unreachable_host_fails_after_retries_without_hanging(tmp_path):
    source = dataclasses.replace(
        tame_source(tmp_path / "site", "far"),
        files=(SourceFile("a.csv", "0" * 64, url="http://127.0.0.1:9/a.csv"),),  # port 9: nothing listens
    )
    errors = fetch_all((source,), tmp_path / "raw", FAST, mirror=None)
    assert "ConnectionError" in errors[0]


def test_local_path_source_is_copied_and_verified(tmp_path):
    own = tmp_path / "mine.csv"
    own.write_text("text,label\nI like trains,0\n")
    sha = hashlib.sha256(own.read_bytes()).hexdigest()
    source = Source("mine", "generic", (SourceFile("mine.csv", sha, path=str(own)),))
    assert fetch_all((source,), tmp_path / "raw", FAST, mirror=None) == []
    assert (tmp_path / "raw" / "mine" / "mine.csv").read_bytes() == own.read_bytes()


def test_stage_exits_non_zero_and_names_the_failure(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text(
        "fetch: {timeout_s: 5, retries: 0, backoff_s: 0.01}\n"
        "data:\n  sources:\n    - name: tame\n      adapter: generic\n"
        f"      files:\n        - {{name: x.csv, sha256: '{'0' * 64}', path: {tmp_path / 'nope.csv'}}}\n"
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "stages" / "fetch.py"), "--params", str(params), "--out", str(tmp_path / "raw")],
        capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "nope.csv: no such file" in result.stderr
    assert list((tmp_path / "raw").iterdir()) == []
