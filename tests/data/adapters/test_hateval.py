"""hateval adapter on the real files: counts match SOURCE.md exactly.

SOURCE.md: 13,000 tweets (train 9,000 + dev 1,000 + test 3,000), HS positive 5,470, so 7,530 negatives.
AG (2,357 positive, all with HS=1) gives no `violence` label: see the comment in the adapter. 253 texts
occur more than once across the files; prepare's dedup handles them.
"""

from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["hateval"], mirror / "hateval"))
    assert counts == {"rows": 13_000, "hate:pos": 5_470, "hate:neg": 13_000 - 5_470}
