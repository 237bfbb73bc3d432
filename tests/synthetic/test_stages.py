"""The dedup, diversity and augment stage scripts: byte-identical reruns, and bad input stops them cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, write_params
from tests.synthetic.conftest import LONG, real, syn


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def stage(name: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "stages" / f"{name}.py"), "--params", str(tmp / "params.yaml"),
                           *args], capture_output=True, text=True, cwd=tmp)


def setup(tmp: Path) -> dict[str, Path]:
    write_params(tmp / "params.yaml", {"seed": 3, "categories": ["hate"], "augment": {"max_synthetic_share": 2.0,
                                                                                   "filter": {"enabled": False}}})
    synthetic = [syn("a", LONG), syn("b", LONG.replace("coffee", "tea")), syn("c", "a tame line about soup"),
                 syn("d", "an eval sentence about kites", label=0), syn("e", "a tame line about bread", template="v2")]
    return {"generated": write_jsonl(tmp / "generated.jsonl", synthetic),
            "train": write_jsonl(tmp / "train.jsonl", [real("t1", "a tame line about soup"), real("t2", "hello", 1)]),
            "eval": write_jsonl(tmp / "eval.jsonl", [real("e1", "an eval sentence about kites")])}


def dedup(tmp: Path, files: dict[str, Path], out: str) -> subprocess.CompletedProcess:
    return stage("dedup", tmp, "--generated", str(files["generated"]), "--train", str(files["train"]),
                 "--eval", str(files["eval"]), "--out", f"{out}/unique.jsonl", "--removed", f"{out}/removed.jsonl",
                 "--report", f"{out}/dedup.json")


def test_dedup_then_augment_and_diversity_and_reruns_are_byte_identical(tmp_path):
    files = setup(tmp_path)
    for out in ("one", "two"):
        assert dedup(tmp_path, files, out).returncode == 0
    for name in ("unique.jsonl", "removed.jsonl", "dedup.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    removed = [json.loads(line) for line in (tmp_path / "one" / "removed.jsonl").read_text().splitlines()]
    assert {r["id"]: r["reason"] for r in removed} == {
        "synthetic:b": "near_synthetic", "synthetic:c": "exact_train", "synthetic:d": "exact_eval"}
    result = stage("augment", tmp_path, "--real", str(files["train"]), "--synthetic", "one/unique.jsonl",
                   "--out", "augmented.jsonl", "--filtered", "filtered.jsonl", "--report", "augment.json")
    assert result.returncode == 0, result.stderr
    sources = [json.loads(line)["source"] for line in (tmp_path / "augmented.jsonl").read_text().splitlines()]
    assert sources == ["real", "real", "synthetic", "synthetic"]  # 2.0 x 1 real positive: both unique positives
    assert sources.count("synthetic") == json.loads((tmp_path / "augment.json").read_text())["hate"]["synthetic"]["pos"]
    result = stage("diversity", tmp_path, "--unique", "one/unique.jsonl", "--train", str(files["train"]),
                   "--report", "diversity.json", "--plots", "plots")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "diversity.json").read_text())["hate"]["pos"]["synthetic"]["texts"] == 2
    assert (tmp_path / "plots" / "distinct2_real.json").exists()


def test_bad_generated_record_names_file_and_line_and_writes_nothing(tmp_path):
    files = setup(tmp_path)
    lines = files["generated"].read_text().splitlines()
    lines[2] = json.dumps({k: v for k, v in json.loads(lines[2]).items() if k != "prompt_id"})
    files["generated"].write_text("\n".join(lines) + "\n")
    result = dedup(tmp_path, files, "out")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("generated.jsonl:3: missing field(s) ['prompt_id']")
    assert not (tmp_path / "out").exists()


def test_broken_json_in_eval_stops_the_stage(tmp_path):
    files = setup(tmp_path)
    files["eval"].write_text(files["eval"].read_text() + '{"id": "e2", "text": \n')
    result = dedup(tmp_path, files, "out")
    assert result.returncode == 2 and "eval.jsonl:2: invalid JSON" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_empty_eval_file_stops_dedup(tmp_path):
    files = setup(tmp_path)
    files["eval"].write_bytes(b"")  # the leakage check would otherwise run against nothing
    result = dedup(tmp_path, files, "out")
    assert result.returncode == 2
    assert result.stderr.strip().endswith(f"{files['eval']}:1: file is empty")
    assert not (tmp_path / "out").exists()


def test_nothing_generated_flows_through_dedup_augment_and_diversity(tmp_path):
    files = setup(tmp_path)
    files["generated"].write_bytes(b"")  # a tiny generation may keep no valid entry
    assert dedup(tmp_path, files, "out").returncode == 0
    assert (tmp_path / "out" / "unique.jsonl").read_bytes() == b""
    result = stage("augment", tmp_path, "--real", str(files["train"]), "--synthetic", "out/unique.jsonl",
                   "--out", "augmented.jsonl", "--filtered", "filtered.jsonl", "--report", "augment.json")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["source"] for line in (tmp_path / "augmented.jsonl").read_text().splitlines()] == [
        "real", "real"]
    result = stage("diversity", tmp_path, "--unique", "out/unique.jsonl", "--train", str(files["train"]),
                   "--report", "diversity.json", "--plots", "plots")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "diversity.json").read_text())["hate"]["pos"] == {
        "note": "no unique synthetic records"}
