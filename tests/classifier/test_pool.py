"""The per-category pool and the train stage that uses it: same files with one or two workers, all or nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.classifier.conftest import tame_records
from toxsynth.classifier.pool import map_categories
from toxsynth.jsonl import write_jsonl

ROOT = Path(__file__).resolve().parents[2]
CALLS: list[str] = []


def square_of_size(category: str, size: int) -> tuple[str, int, int]:
    CALLS.append(category)
    return category, size * size, os.getpid()


def test_results_by_category_largest_first_and_the_same_with_two_workers():
    sizes = {"sexual": 3, "hate": 9, "violence": 5}
    CALLS.clear()
    alone = map_categories(square_of_size, {c: (c, n) for c, n in sizes.items()}, sizes, workers=1)
    assert CALLS == ["hate", "violence", "sexual"]  # in this process, the largest first
    assert {c: r[:2] for c, r in alone.items()} == {c: (c, n * n) for c, n in sizes.items()}
    assert {r[2] for r in alone.values()} == {os.getpid()}
    pooled = map_categories(square_of_size, {c: (c, n) for c, n in sizes.items()}, sizes, workers=2)
    assert {c: r[:2] for c, r in pooled.items()} == {c: r[:2] for c, r in alone.items()}
    assert os.getpid() not in {r[2] for r in pooled.values()}


def run_train(data: Path, out: Path, jobs: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "stages/train.py", "--model", "reference", "--data", str(data), "--out",
                           str(out), "--categories", "hate", "violence", "--jobs", str(jobs)],
                          cwd=ROOT, capture_output=True, text=True)


def test_train_stage_writes_the_same_files_with_one_or_two_workers(tmp_path):
    data = tmp_path / "train.jsonl"
    write_jsonl(data, tame_records(240) + tame_records(160, seed=1, category="violence"))
    for jobs in (1, 2):
        assert run_train(data, tmp_path / f"jobs{jobs}", jobs).returncode == 0
    names = sorted(p.name for p in (tmp_path / "jobs1").iterdir())
    assert names == ["hate.json", "hate.skops", "violence.json", "violence.skops"]
    assert all((tmp_path / "jobs1" / n).read_bytes() == (tmp_path / "jobs2" / n).read_bytes() for n in names)


def test_train_stage_leaves_nothing_when_one_category_fails(tmp_path):
    data = tmp_path / "train.jsonl"
    one_label = [r for r in tame_records(160, seed=1, category="violence") if r["label"] == 1]
    write_jsonl(data, tame_records(240) + one_label)
    result = run_train(data, tmp_path / "out", 2)
    assert result.returncode == 1 and "error: stage train failed" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.partial").exists()
