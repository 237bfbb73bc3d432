"""Fetch each source's files (download or mirror copy), verify sha256, and publish a source only if all pass."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from toxsynth.config import in_range
from toxsynth.errors import InputError
from toxsynth.hashing import sha256_of
from toxsynth.sources import Source, SourceFile

log = logging.getLogger(__name__)
MIRROR_ENV = "TOXSYNTH_DATA_MIRROR"
CHUNK = 1 << 20


@dataclass(frozen=True)
class FetchParams:
    timeout_s: float = 60.0  # per connect / read, not for the whole file
    retries: int = 3  # retries on connection errors and 429 / 5xx answers, with exponential backoff
    backoff_s: float = 1.0

    def __post_init__(self):
        in_range(self, "(0, inf)", "timeout_s")
        in_range(self, "[0, inf)", "retries", "backoff_s")


class FetchError(Exception):
    """A file could not be fetched or failed its checksum; nothing of its source was written."""


def http_session(params: FetchParams) -> requests.Session:
    retry = Retry(
        total=params.retries,
        backoff_factor=params.backoff_s,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET",),
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def download(url: str, dest: Path, session: requests.Session, timeout_s: float) -> None:
    try:
        with session.get(url, stream=True, timeout=timeout_s) as response:
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            with open(dest, "wb") as f:
                for block in response.iter_content(CHUNK):
                    f.write(block)
    except requests.RequestException as e:
        raise FetchError(f"{url}: {type(e).__name__}: {e}") from None


def fetch_file(source: Source, file: SourceFile, dest: Path, mirror: Path | None, session, params) -> None:
    """Put one verified file at `dest` (inside the source's temp folder)."""
    if mirror is not None:
        origin = mirror / source.name / file.name
        if not origin.is_file():
            raise FetchError(f"{origin}: not found in the mirror")
        shutil.copyfile(origin, dest)
    elif file.path is not None:
        if not Path(file.path).is_file():
            raise FetchError(f"{file.path}: no such file")
        shutil.copyfile(file.path, dest)
    else:
        download(file.url, dest, session, params.timeout_s)
    actual = sha256_of(dest)
    if actual != file.sha256:
        raise FetchError(f"{source.name}/{file.name}: sha256 mismatch: expected {file.sha256}, got {actual}")


def fetch_source(source: Source, out_dir: Path, mirror: Path | None, session, params: FetchParams) -> None:
    """Fetch all files of a source into a temp folder, then rename it to out_dir/<name> in one step."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{source.name}.", dir=out_dir))
    try:
        for file in source.files:
            # a user's local file is read from its path even with a mirror set: the mirror holds public data
            use_mirror = mirror if file.url is not None else None
            fetch_file(source, file, tmp / file.name, use_mirror, session, params)
        final = out_dir / source.name
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def mirror_from_env() -> Path | None:
    value = os.environ.get(MIRROR_ENV, "").strip()
    if not value:
        return None
    mirror = Path(value)
    if not mirror.is_dir():
        raise InputError(mirror, None, f"{MIRROR_ENV} points at a folder that does not exist")
    return mirror


def fetch_all(sources: tuple[Source, ...], out_dir: Path, params: FetchParams, mirror: Path | None) -> list[str]:
    """Fetch every source; return the errors of those that failed (they left nothing behind)."""
    session = http_session(params)
    errors = []
    for source in sources:
        try:
            fetch_source(source, out_dir, mirror, session, params)
            log.info("fetched %s (%d files)%s", source.name, len(source.files), " from mirror" if mirror else "")
        except FetchError as e:
            errors.append(str(e))
            log.error("source %s not written: %s", source.name, e)
    return errors
