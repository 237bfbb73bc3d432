"""convabuse adapter on the real files.

SOURCE.md: 4,185 turns (train 2,501 + valid 831 + test 853), "about 578" majority-abusive: exactly 578 when
each value of a "0, 0"-style cell counts as one annotation. Of those 578: `sexual` 172 positive (majority
marks sex_harassment), 384 hard negative (no mark), 22 minority-marked unlabelled; `hate` 99 positive, 419
negative, 60 unlabelled. 3,293 turns are majority non-abusive (negatives for both). 314 ambiguous turns and 3
abusive turns with a minority mark for both categories are unmapped. SOURCE.md's "about 261 with at least one
sex_harassment vote" is 194 abusive + 44 ambiguous + 23 non-abusive turns.
"""

import csv

import pytest

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.adapters.convabuse import FIELDS
from toxsynth.data.records import SourceRow
from toxsynth.errors import InputError


def test_counts_match_source_md(mirror, sources):
    items = run_adapter(sources["convabuse"], mirror / "convabuse")
    assert label_counts(items) == {
        "rows": 2_501 + 831 + 853,
        "sexual:pos": 172,
        "sexual:neg": 3_293 + 384,
        "hate:pos": 99,
        "hate:neg": 3_293 + 419,
        "skip:unmapped": 314 + 3,
    }


def _annotator(severity, *types, times=1):
    """The 17 cells of one annotator: `times` identical ratings joined as "x, x"."""
    one = [int(f == f"is_abuse.{severity}" or f in types) for f in FIELDS]
    return [", ".join([str(v)] * times) for v in one]


def _file(tmp_path, turns):
    header = ["example_id", "conv_id", "prev_agent", "prev_user", "agent", "user", "bot"]
    for k in range(1, 9):  # upstream names annotator 7's and 8's transphobic column "Annotator6_transphobic"
        header += [f"Annotator{6 if f == 'transphobic' and k > 6 else k}_{f}" for f in FIELDS]
    path = tmp_path / "ConvAbuseEMNLPtrain.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for i, (text, annotators) in enumerate(turns):
            cells = [c for a in annotators for c in (a or [""] * len(FIELDS))]
            writer.writerow([i, f"c{i % 2}", "", "", "", text, "ELIZA"] + cells + [""] * (136 - len(cells)))
    for name in ("ConvAbuseEMNLPvalid.csv", "ConvAbuseEMNLPtest.csv"):
        (tmp_path / name).write_text(",".join(header) + "\n", encoding="utf-8")
    return {p.name: p for p in tmp_path.iterdir()}


def test_majority_rules_and_repeated_ratings(tmp_path):
    files = _file(tmp_path, [
        ("I like trains", [_annotator(1), _annotator(1), _annotator(-1)]),
        ("it rains", [_annotator(-2, "sex_harassment", "sexist"), None, _annotator(-1, "sex_harassment"),
                      _annotator(1)]),
        ("it snows", [_annotator(-3, "racist", times=2), _annotator(1)]),  # "1, 1" cells: two votes
        ("the bus is late", [_annotator(0), _annotator(-1), _annotator(1)]),
        # annotators 7 and 8 mark transphobic: their columns are read by position, not by their (wrong) name
        ("the weather is bad", [None] * 6 + [_annotator(-1, "transphobic"), _annotator(-1, "transphobic")]),
        ("it is cold", [_annotator(-1, "intellectual"), _annotator(-1, "homophobic")]),
    ])
    items = list(adapters.get("convabuse")(files, {}))
    assert [(i.text, dict(i.labels), i.group) for i in items if isinstance(i, SourceRow)] == [
        ("I like trains", {"sexual": 0, "hate": 0}, "convabuse:c0"),
        ("it rains", {"sexual": 1}, "convabuse:c1"),  # 1 of 3 marks an identity type: no `hate` label
        ("it snows", {"sexual": 0, "hate": 1}, "convabuse:c0"),
        ("the weather is bad", {"sexual": 0, "hate": 1}, "convabuse:c0"),
        ("it is cold", {"sexual": 0}, "convabuse:c1"),  # 1 of 2 is no majority
    ]
    assert label_counts(items)["skip:unmapped"] == 1  # no majority for abusive or not abusive


def test_misaligned_repeated_ratings_are_an_error(tmp_path):
    cells = _annotator(-1)
    cells[0] = "0, 0"
    with pytest.raises(InputError, match="ConvAbuseEMNLPtrain.csv:2: annotator 1"):
        list(adapters.get("convabuse")(_file(tmp_path, [("I like trains", [cells, _annotator(1)])]), {}))
