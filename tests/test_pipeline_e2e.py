"""End to end on a copy of the repository: real `dvc repro` on the real data, then the acceptance checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toxsynth import CATEGORIES
from toxsynth.data.normalize import dedup_key
from toxsynth.jsonl import read_jsonl

pytestmark = pytest.mark.slow


def sh(*args: str, cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def repo(mirror, tmp_path_factory) -> Path:
    """A fresh git + DVC checkout of the tracked files, with `dvc repro` run once."""
    copy = tmp_path_factory.mktemp("repo")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, tracked.decode().split("\0")):
        if (ROOT / rel).is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, copy / rel)
    sh("git", "init", "-q", cwd=copy)
    sh("dvc", "repro", cwd=copy)
    return copy


def test_repro_twice_reruns_nothing_and_status_is_clean(repo):
    second = sh("dvc", "repro", cwd=repo)
    assert "Running stage" not in second
    assert "up to date" in sh("dvc", "status", cwd=repo)


def test_dag_is_fetch_then_prepare(repo):
    edges = {line.strip().rstrip(";") for line in sh("dvc", "dag", "--dot", cwd=repo).splitlines() if "->" in line}
    assert '"fetch" -> "prepare"' in edges


def test_metrics_show_prints_the_data_counts(repo):
    shown = sh("dvc", "metrics", "show", "--json", cwd=repo)
    report = json.loads(shown)
    data = next(iter(report.values()))["data"]["reports/data.json"]["data"]
    assert data == json.loads((repo / "reports" / "data.json").read_text())


def test_every_category_has_1000_train_positives_and_a_stratified_eval(repo):
    report = json.loads((repo / "reports" / "data.json").read_text())
    for category in CATEGORIES:
        train, ev = report[category]["train"], report[category]["eval"]
        assert train["pos"] >= 1000, category
        assert ev["pos"] > 0 and ev["neg"] > 0, category
        train_share = train["pos"] / (train["pos"] + train["neg"])
        eval_share = ev["pos"] / (ev["pos"] + ev["neg"])
        assert abs(train_share - eval_share) < 0.05, category  # weak train-only rows shift it a little


def test_no_eval_text_in_train(repo):
    train = {dedup_key(r["text"]) for r in read_jsonl(repo / "data" / "prepared" / "train.jsonl")}
    evals = {dedup_key(r["text"]) for r in read_jsonl(repo / "data" / "prepared" / "eval.jsonl")}
    assert evals and not train & evals
