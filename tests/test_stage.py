"""stage.run: bad input is one `error:` line and exit 2; any other exception logs its traceback, then one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """from toxsynth import stage
from toxsynth.errors import InputError


def main():
    import logging
    logging.getLogger("tame").info("reading the timetable")
    {body}


stage.run(main)
"""


def run_stage(tmp_path: Path, body: str, name: str = "train") -> subprocess.CompletedProcess:
    script = tmp_path / "stages" / f"{name}.py"
    script.parent.mkdir(exist_ok=True)
    script.write_text(SCRIPT.format(body=body))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path)


@pytest.mark.parametrize("body, last", [
    ('raise RuntimeError("the timetable\\n  is   wrong")',
     "error: stage train failed: RuntimeError: the timetable is wrong (traceback above)"),
    ("raise ZeroDivisionError()", "error: stage train failed: ZeroDivisionError (traceback above)"),
], ids=["message", "no-message"])
def test_unexpected_error_ends_in_one_line_naming_stage_and_cause(tmp_path, body, last):
    result = run_stage(tmp_path, body)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == last
    assert "reading the timetable" in result.stderr  # the stage's own log lines stay
    traceback = "\n".join(lines[:-1])
    assert "Traceback (most recent call last)" in traceback and f"in main\n    {body}" in traceback
    assert "stage train failed" in traceback  # the log record that carries the traceback


def test_stage_name_comes_from_the_script(tmp_path):
    result = run_stage(tmp_path, "return {}['a timetable']", name="evaluate")
    assert result.stderr.splitlines()[-1] == "error: stage evaluate failed: KeyError: 'a timetable' (traceback above)"


def test_input_error_is_one_line_without_traceback(tmp_path):
    result = run_stage(tmp_path, 'raise InputError("timetable.csv", 3, "unknown label value \'x\'")')
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "error: timetable.csv:3: unknown label value 'x'"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("body, code", [("return None", 0), ("return 3", 3)])
def test_return_value_is_the_exit_code(tmp_path, body, code):
    result = run_stage(tmp_path, body)
    assert result.returncode == code and "error" not in result.stderr
