"""Save and load scikit-learn models with skops (no pickle), as byte-identical files for identical models."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import skops.io as sio

from toxsynth.jsonl import atomic_path, write_json

_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip entries get this date instead of the time of writing


def _renumber(schema, ids: dict[int, int]):
    """skops names objects (and their .npy files) by id(), which differs on every run: number them in order."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "__id__":
                value = ids.setdefault(value, len(ids))
            elif key == "file" and isinstance(value, str) and value.endswith(".npy"):
                value = f"{ids.setdefault(int(value[:-4]), len(ids))}.npy"
            out[key] = _renumber(value, ids)
        return out
    if isinstance(schema, list):
        return [_renumber(v, ids) for v in schema]
    return schema


def stable_zip(data: bytes) -> bytes:
    """The same skops archive with object ids numbered in order and every entry's timestamp fixed, so that equal
    models give equal bytes."""
    ids: dict[int, int] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        schema = _renumber(json.loads(src.read("schema.json")), ids)
        entries = {"schema.json": json.dumps(schema, indent=2).encode()}
        for entry in src.infolist():
            if entry.filename.endswith(".npy"):
                entries[f"{ids[int(entry.filename[:-4])]}.npy"] = src.read(entry)
            elif entry.filename != "schema.json":
                entries[entry.filename] = src.read(entry)
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type, info.external_attr = zipfile.ZIP_STORED, 0o644 << 16
            dst.writestr(info, entries[name])
    return out.getvalue()


def _drop_volatile(model) -> None:
    """scikit-learn's text vectorizers cache `id(stop_words)`, a memory address, in `_stop_words_id`; it is
    recomputed when missing, and saving it would make every file differ."""
    for part in [model] + [step for _, step in getattr(model, "steps", [])]:
        if hasattr(part, "_stop_words_id"):
            del part._stop_words_id


def save(model, meta: dict | None, path: Path) -> None:
    """`model` as a skops file and, when given, its metadata beside it as `<name>.json`."""
    _drop_volatile(model)
    with atomic_path(path) as tmp:
        tmp.write_bytes(stable_zip(sio.dumps(model)))
    if meta is not None:
        write_json(Path(path).with_suffix(".json"), meta)


def load_model(path: Path):
    """A model saved by `save`, trusting only scikit-learn / numpy types (a swapped file cannot run code)."""
    untrusted = sio.get_untrusted_types(file=path)
    unexpected = [t for t in untrusted if not t.startswith(("sklearn.", "numpy."))]
    if unexpected:
        raise ValueError(f"{path}: refusing to load unexpected types {unexpected}")
    return sio.load(path, trusted=untrusted)


def load(path: Path) -> tuple[object, dict]:
    """(model, metadata) saved by `save`."""
    return load_model(path), json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))
