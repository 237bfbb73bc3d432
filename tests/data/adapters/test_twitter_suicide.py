"""twitter_suicide adapter: counts match SOURCE.md (1,787 tweets; "Potential Suicide post " 660, "Not ..." 1,127).

The 2 empty tweets are among them (yielded; prepare drops empties).
"""

from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["twitter_suicide"], mirror / "twitter_suicide"))
    assert counts == {"rows": 1_787, "self_harm:pos": 660, "self_harm:neg": 1_127}
