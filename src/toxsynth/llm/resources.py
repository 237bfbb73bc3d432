"""Small shared helpers for the LLM stages: peak memory, content hashes, and deterministic seeds."""

from __future__ import annotations

import hashlib
import json
import resource
from pathlib import Path

from toxsynth.fetch import sha256_of


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def tree_sha256(folder: Path) -> str:
    """One hash over every file under `folder` (names and contents), in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + sha256_of(path).encode())
    return digest.hexdigest()


def json_sha256(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def derived_seed(*parts) -> int:
    """A 31-bit seed from any parts, stable across runs and machines (never Python's hash())."""
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16) & 0x7FFFFFFF
