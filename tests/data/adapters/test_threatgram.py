"""threatgram adapter on the real file: counts match SOURCE.md (15,076 replies; Label 2 = 5,393 violent threats).

The 9,683 negatives are Label 0 (5,025, no threat) + Label 1 (4,658, non-violent threat, a hard negative);
SOURCE.md gives only the Label-2 figure, the other two are counted from the file. No `political` labels:
see the comment in the adapter. The 13 empty replies are yielded and dropped by prepare.
"""

from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["threatgram"], mirror / "threatgram"))
    assert counts == {"rows": 15_076, "violence:pos": 5_393, "violence:neg": 5_025 + 4_658}
