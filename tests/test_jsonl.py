"""The checked JSONL reader: an empty file is an error unless the caller allows it, and bad records name the line."""

from __future__ import annotations

import json

import pytest

from toxsynth.classifier.artifacts import eval_records
from toxsynth.errors import InputError
from toxsynth.jsonl import read_records

RECORD = {"id": "r1", "text": "the bus was late", "label": 0, "category": "hate", "source": "tame"}


def test_an_empty_file_is_an_error_by_default(tmp_path):
    (tmp_path / "eval.jsonl").write_bytes(b"")
    with pytest.raises(InputError) as e:
        read_records(tmp_path / "eval.jsonl")
    assert str(e.value) == f"{tmp_path / 'eval.jsonl'}:1: file is empty"


def test_an_empty_file_is_an_empty_list_only_when_allowed(tmp_path):
    (tmp_path / "unique.jsonl").write_bytes(b"")
    assert read_records(tmp_path / "unique.jsonl", allow_empty=True) == []


def test_the_eval_split_refuses_an_empty_file(tmp_path):
    (tmp_path / "eval.jsonl").write_bytes(b"")
    with pytest.raises(InputError, match=r"eval.jsonl:1: file is empty"):
        eval_records(tmp_path / "eval.jsonl", ("hate",))


@pytest.mark.parametrize("change, reason", [({"label": "1"}, "label must be 0 or 1"),
                                            ({"text": 7}, "text must be a string")], ids=["string-label", "number-text"])
def test_a_bad_value_names_its_line(tmp_path, change, reason):
    lines = [json.dumps(RECORD), json.dumps({**RECORD, **change})]
    (tmp_path / "train.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=f"train.jsonl:2: {reason}"):
        read_records(tmp_path / "train.jsonl", allow_empty=True)  # allowing empty files relaxes nothing else


def test_the_eval_split_needs_rows_of_every_category(tmp_path):
    (tmp_path / "eval.jsonl").write_text(json.dumps(RECORD) + "\n")
    with pytest.raises(InputError, match=r"eval.jsonl: no eval rows for category 'violence'"):
        eval_records(tmp_path / "eval.jsonl", ("hate", "violence"))
