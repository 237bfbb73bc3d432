"""Shared fixtures: the real public datasets (via $TOXSYNTH_DATA_MIRROR) and tame stand-in files."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import yaml

from toxsynth.config import Params
from toxsynth.data import adapters
from toxsynth.data.records import Skip, SourceRow
from toxsynth.sources import load_sources

ROOT = Path(__file__).resolve().parents[1]


def mirror_dir() -> Path | None:
    value = os.environ.get("TOXSYNTH_DATA_MIRROR", "")
    return Path(value) if value and Path(value).is_dir() else None


def merged(base, overrides):
    """`base` with `overrides` merged in: mappings key by key, any other value replaced whole."""
    if not isinstance(base, dict) or not isinstance(overrides, dict):
        return overrides
    return {**base, **{k: merged(base.get(k), v) for k, v in overrides.items()}}


def write_params(path: Path, overrides: dict | None = None) -> Path:
    """The repository's params.yaml with `overrides` merged in, written to `path`: every stage key is present."""
    repo = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(merged(repo, overrides or {}), sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = mirror_dir()
    if path is None:
        pytest.skip("TOXSYNTH_DATA_MIRROR is not set (CI and `make test` set it)")
    return path


@pytest.fixture(scope="session")
def sources():
    return {s.name: s for s in load_sources(Params(ROOT / "params.yaml"), check_adapters=False)}


def run_adapter(source, folder: Path) -> list:
    """All items the source's adapter yields for the files listed in params.yaml, read from `folder`."""
    files = {f.name: folder / f.name for f in source.files}
    return list(adapters.get(source.adapter)(files, source.options))


def run_on_files(tmp_path: Path, adapter: str, files: dict[str, str], options=None) -> list:
    """All items `adapter` yields for hand-written files ({name: content}, tame text only) put in tmp_path."""
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8", newline="")
    return list(adapters.get(adapter)({name: tmp_path / name for name in files}, options or {}))


def text_labels(items) -> list[tuple[str, dict]]:
    """(text, labels) of each SourceRow among adapter items; Skips are left out (see label_counts)."""
    return [(i.text, dict(i.labels)) for i in items if isinstance(i, SourceRow)]


def label_counts(items) -> dict:
    """{'rows': n, 'skip:<reason>': n, '<category>:pos'|'<category>:neg': n} over adapter items."""
    counts = Counter(rows=len(items))
    for item in items:
        if isinstance(item, Skip):
            counts[f"skip:{item.reason}"] += 1
        else:
            for category, label in item.labels.items():
                counts[f"{category}:{'pos' if label else 'neg'}"] += 1
    return dict(counts)
