"""Bad input stops the prepare stage with `file:line: reason`, exit code 2, and no output written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, write_params


def run_prepare(tmp_path: Path, files: dict[str, bytes], adapter: str, options=None, prepare=None, categories=None):
    """Run stages/prepare.py on tame files placed in raw/<source>/; return (result, output folder)."""
    raw = tmp_path / "raw" / "tame"
    raw.mkdir(parents=True)
    for name, data in files.items():
        if data is not None:  # None: listed in params.yaml but never fetched
            (raw / name).write_bytes(data)
    source = {"name": "tame", "adapter": adapter, "options": options or {},
              "files": [{"name": n, "sha256": "0" * 64, "url": "http://127.0.0.1/unused"} for n in files]}
    write_params(tmp_path / "params.yaml", {"seed": 1, "categories": categories or ["hate"], "prepare": prepare or {},
                                            "data": {"sources": [source]}})
    out = tmp_path / "prepared"
    result = subprocess.run(
        [sys.executable, str(ROOT / "stages" / "prepare.py"), "--params", str(tmp_path / "params.yaml"),
         "--raw", str(tmp_path / "raw"), "--out", str(out), "--report", str(tmp_path / "reports" / "data.json")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    return result, tmp_path


def assert_failed_cleanly(result, tmp_path: Path, where: str, reason: str):
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and where in last and reason in last, last
    assert not (tmp_path / "prepared").exists() and not (tmp_path / "reports").exists()


GENERIC = {"format": "csv", "text": "text", "label": "label", "category": "hate"}


def test_missing_column(tmp_path):
    result, tmp = run_prepare(tmp_path, {"own.csv": b"text,score\nI like trains,0\n"}, "generic", GENERIC)
    assert_failed_cleanly(result, tmp, "own.csv:1", "missing column")


def test_unknown_label_value(tmp_path):
    data = b"count,class,tweet\n3,2,I like trains\n3,7,the weather is bad\n"
    result, tmp = run_prepare(tmp_path, {"labeled_data.csv": data}, "davidson")
    assert_failed_cleanly(result, tmp, "labeled_data.csv:3", "unknown label value '7'")


def test_a_text_in_a_label_column_is_not_echoed(tmp_path):
    misaligned = "the weather is bad and the trains are late again"  # stands in for a harmful text
    data = f"count,class,tweet\n3,2,I like trains\n3,{misaligned},x\n".encode()
    result, tmp = run_prepare(tmp_path, {"labeled_data.csv": data}, "davidson")
    assert_failed_cleanly(result, tmp, "labeled_data.csv:3", "not shown")
    assert misaligned not in result.stderr + result.stdout


def test_non_utf8_bytes(tmp_path):
    data = b"text,label\nI like trains,0\ncaf\xe9 au lait,1\n"
    result, tmp = run_prepare(tmp_path, {"own.csv": data}, "generic", GENERIC)
    assert_failed_cleanly(result, tmp, "own.csv:3", "not valid UTF-8")


def test_empty_file(tmp_path):
    result, tmp = run_prepare(tmp_path, {"own.csv": b""}, "generic", GENERIC)
    assert_failed_cleanly(result, tmp, "own.csv:1", "file is empty")


def test_unknown_category_in_adapter_options(tmp_path):
    data = b"text,label\nI like trains,0\n"
    result, tmp = run_prepare(tmp_path, {"own.csv": data}, "generic", {**GENERIC, "category": "spam"})
    assert_failed_cleanly(result, tmp, "params.yaml:", "unknown category 'spam'")


def test_unknown_category_in_params(tmp_path):
    data = b"text,label\nI like trains,0\n"
    result, tmp = run_prepare(tmp_path, {"own.csv": data}, "generic", GENERIC, categories=["spam"])
    assert_failed_cleanly(result, tmp, "params.yaml:2", "categories: unknown or repeated ['spam']")


def test_truncated_json_file(tmp_path):
    data = b'[{"replyDate": 1, "reply": "I like trains", "telegramChannel": "c", "Label": 0},\n {"replyDate": 2, "re'
    result, tmp = run_prepare(tmp_path, {"Labeled_15076.json": data}, "threatgram")
    assert_failed_cleanly(result, tmp, "Labeled_15076.json:2", "truncated JSON")


def test_unknown_params_key_is_an_error_with_its_line(tmp_path):
    data = b"text,label\nI like trains,0\n"
    result, tmp = run_prepare(tmp_path, {"own.csv": data}, "generic", GENERIC,
                              prepare={"eval_sise": 10})
    assert_failed_cleanly(result, tmp, "params.yaml:", "prepare.eval_sise: unknown key")


def test_missing_raw_file_says_to_run_fetch(tmp_path):
    result, tmp = run_prepare(tmp_path, {"own.csv": None}, "generic", GENERIC)
    assert_failed_cleanly(result, tmp, "own.csv", "run the fetch stage first")


def test_an_eval_split_the_pipeline_cannot_use_is_refused(tmp_path):
    data = b"text,label\nI like trains,0\n"
    result, tmp = run_prepare(tmp_path, {"own.csv": data}, "generic", GENERIC, prepare={"eval_max_fraction": 1.0})
    assert_failed_cleanly(result, tmp, "params.yaml:", "0 < eval_max_fraction < 1")
