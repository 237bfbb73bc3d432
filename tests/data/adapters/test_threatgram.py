"""threatgram adapter: counts on the real file match SOURCE.md (15,076 replies; Label 2 = 5,393 violent threats).

The 9,683 negatives are Label 0 (5,025, no threat) + Label 1 (4,658, non-violent threat, a hard negative);
SOURCE.md gives only the Label-2 figure, the other two are counted from the file. No `political` labels:
see the comment in the adapter. The 13 empty replies are yielded and dropped by prepare.
"""

import json

import pytest

from tests.conftest import label_counts, run_adapter, run_on_files, text_labels
from toxsynth.errors import InputError


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["threatgram"], mirror / "threatgram"))
    assert counts == {"rows": 15_076, "violence:pos": 5_393, "violence:neg": 5_025 + 4_658}


def _replies(*labels) -> dict[str, str]:
    rows = [{"replyDate": 1, "reply": f"the bus is late {i}", "telegramChannel": "c", "Label": label}
            for i, label in enumerate(labels)]
    return {"Labeled_15076.json": json.dumps(rows)}


def test_only_violent_threats_are_positives(tmp_path):
    items = run_on_files(tmp_path, "threatgram", _replies(0, 1, 2))
    assert text_labels(items) == [("the bus is late 0", {"violence": 0}), ("the bus is late 1", {"violence": 0}),
                                  ("the bus is late 2", {"violence": 1})]


def test_a_label_that_is_not_a_json_integer_is_an_error(tmp_path):
    with pytest.raises(InputError, match="Labeled_15076.json:2: unknown label value '2' in column 'Label'"):
        run_on_files(tmp_path, "threatgram", _replies(0, "2"))
