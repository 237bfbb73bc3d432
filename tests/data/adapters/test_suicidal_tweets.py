"""suicidal_tweets adapter: counts match SOURCE.md (11,439 tweets in data_0..4.csv; label 2 = 2,017, label 1 = 2,201).

Label 0 (7,221 hard negatives) is counted from the files; data_after_preprocessing.csv holds 9,238 rows
(= 7,221 + 2,017, the ambiguous label 1 dropped) and is deliberately not read, so nothing counts twice.
"""

from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["suicidal_tweets"], mirror / "suicidal_tweets"))
    assert counts == {"rows": 11_439, "self_harm:pos": 2_017, "self_harm:neg": 7_221, "skip:unmapped": 2_201}
