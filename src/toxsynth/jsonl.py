"""JSON Lines and JSON files, written atomically (temp file + rename) so a crash leaves no partial file."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from toxsynth.data.tables import jsonl_rows


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temp path beside `path`; on success it replaces `path`, on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the mode a plain open() would
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


def write_jsonl(path: str | Path, records: Iterable[dict]) -> int:
    """Write records one per line, atomically; return how many were written."""
    n = 0
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(dumps(record) + "\n")
            n += 1
    return n


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """Unchecked rows, for the program's own files; pipeline data goes through `read_records`."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def write_json(path: str | Path, data: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_records(path: str | Path, required: tuple[str, ...] = ("id", "text", "label", "category"),
                 allow_empty: bool = False) -> list[dict]:
    """Records of a JSONL file, checked: bad JSON, a missing key or a label other than 0/1 names the line.

    An empty file is an error (an empty eval split would make every check pass) unless `allow_empty`: only the
    synthetic files may legitimately hold nothing (generate kept no entry, or dedup removed them all).
    """
    if allow_empty and Path(path).stat().st_size == 0:
        return []
    records = []
    for row in jsonl_rows(path, required):
        if "label" in required and row.values["label"] not in (0, 1):
            raise row.error("label must be 0 or 1")
        if "text" in required and not isinstance(row.values["text"], str):
            raise row.error("text must be a string")
        records.append(dict(row.values))
    return records
