"""`toxsynth score`: JSON lines of probabilities for stdin texts, using only numpy + onnxruntime at run time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.classifier.conftest import tame_records
from toxsynth.classifier.export import ExportParams, export

TOXSYNTH = Path(sys.executable).parent / "toxsynth"


@pytest.fixture(scope="module")
def model(tame_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "hate.onnx"
    export(*tame_model, [r["text"] for r in tame_records(40)], path, ExportParams())
    return path


def test_score_prints_one_json_line_per_input_line(model):
    texts = "the rain is awful today\nthe train left on time\n\n😀 emoji only\n"
    result = subprocess.run([str(TOXSYNTH), "score", "--model", str(model), "--batch-size", "2"],
                            input=texts, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    assert all(0 <= line["probability"] <= 1 and line["label"] in (0, 1) for line in lines)
    assert lines[0]["label"] == 1 and lines[1]["label"] == 0


def test_scoring_imports_neither_sklearn_nor_torch(model):
    code = (
        "import sys, io; sys.stdin = io.TextIOWrapper(io.BytesIO(b'a text\\n')); from toxsynth.cli import main; "
        f"main(['score', '--model', {str(model)!r}]); "
        "bad = [m for m in ('sklearn', 'torch', 'skl2onnx', 'transformers') if m in sys.modules]; assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert result.returncode == 0, result.stderr


def score(model, data: bytes, *options: str) -> subprocess.CompletedProcess:
    """`toxsynth score` on raw stdin bytes; stdout and stderr come back as bytes."""
    return subprocess.run([str(TOXSYNTH), "score", "--model", str(model), *options], input=data, capture_output=True)


def probabilities(result: subprocess.CompletedProcess) -> list[float]:
    return [json.loads(line)["probability"] for line in result.stdout.decode().splitlines()]


def test_invalid_utf8_is_replaced_counted_and_reported_once(model):
    data = b"the rain is awful today\n\xff\xfe\nthe train left on time\r\nthe rain\xffstorm\xc3(\n"
    result = score(model, data, "--batch-size", "2")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode().splitlines() == [
        "warning: stdin: 2 lines were not valid UTF-8 (the first is line 2); invalid bytes replaced with U+FFFD"]
    clean = score(model, "the rain is awful today\n\ufffd\ufffd\nthe train left on time\nthe rain\ufffdstorm\ufffd(\n"
                  .encode())
    assert clean.returncode == 0 and clean.stderr == b""
    assert probabilities(result) == probabilities(clean) and len(probabilities(result)) == 4


def test_acceptance_example_prints_three_json_lines(model):
    result = score(model, b"ok\n\xff\xfe\nfine\n")
    assert result.returncode == 0 and len(probabilities(result)) == 3
    assert result.stderr.decode().count("warning:") == 1 and "1 line was not valid UTF-8" in result.stderr.decode()


def _without_metadata(model, path):
    import onnx  # test-only: scoring itself needs no onnx package

    proto = onnx.load(str(model))
    del proto.metadata_props[:]
    onnx.save(proto, str(path))


@pytest.mark.parametrize("case, reason", [
    ("missing", "no such file"),
    ("folder", "not a file"),
    ("not-onnx", "not an ONNX model"),
    ("no-metadata", "not a toxsynth detector"),
])
def test_missing_model_is_a_clear_error(model, tmp_path, case, reason):
    path = tmp_path / f"{case}.onnx"
    if case == "folder":
        path.mkdir()
    elif case == "not-onnx":
        path.write_text("I like trains\n")
    elif case == "no-metadata":
        _without_metadata(model, path)
    result = score(path, b"I like trains\n")
    assert (result.returncode, result.stdout) == (2, b"")
    [line] = result.stderr.decode().splitlines()
    assert line.startswith(f"error: {path}: {reason}"), line


@pytest.mark.parametrize("option", ["--batch-size", "--threads"])
def test_batch_size_and_threads_below_1_are_usage_errors(model, option):
    for value in ("0", "-3"):
        result = score(model, b"I like trains\n", option, value)
        assert (result.returncode, result.stdout) == (2, b"")
        stderr = result.stderr.decode()
        assert f"argument {option}: must be an integer >= 1, got {value}" in stderr and "Traceback" not in stderr
