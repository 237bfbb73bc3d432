"""davidson adapter on the real file: counts match SOURCE.md (24,783 tweets; class 0 = 1,430 hate)."""

from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["davidson"], mirror / "davidson"))
    assert counts == {"rows": 24_783, "hate:pos": 1_430, "hate:neg": 19_190 + 4_163}
