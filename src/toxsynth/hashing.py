"""Content hashes of files, folders and values: what fetch verifies and what the LLM stages fingerprint."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_sha256(folder: Path) -> str:
    """One hash over every file under `folder` (names and contents), in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + sha256_of(path).encode())
    return digest.hexdigest()


def source_sha256(*roots: Path) -> str:
    """One hash over the source under `roots` (files or folders): .py files and package data, not bytecode caches.

    Part of the generate / finetune fingerprints, so a resumed run never replays work done by other code."""
    digest = hashlib.sha256()
    for root in map(Path, roots):
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()
                                                     and "__pycache__" not in p.parts and p.suffix != ".pyc")
        for path in files:
            digest.update(f"{path.relative_to(root.parent)}\0{sha256_of(path)}\0".encode())
    return digest.hexdigest()


def json_sha256(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()
