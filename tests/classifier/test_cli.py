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
        "import sys, io; sys.stdin = io.StringIO('a text\\n'); from toxsynth.cli import main; main(['score', "
        f"'--model', {str(model)!r}]); bad = [m for m in ('sklearn', 'torch', 'skl2onnx', 'transformers') "
        "if m in sys.modules]; assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert result.returncode == 0, result.stderr


def test_missing_model_is_a_clear_error(tmp_path):
    result = subprocess.run([str(TOXSYNTH), "score", "--model", str(tmp_path / "none.onnx")],
                            input="x\n", capture_output=True, text=True)
    assert result.returncode != 0 and "none.onnx" in result.stderr
