"""twitter_suicide adapter: counts match SOURCE.md (1,787 tweets; "Potential Suicide post " 660, "Not ..." 1,127).

The 2 empty tweets are among them (yielded; prepare drops empties).
"""

from tests.conftest import label_counts, run_adapter, run_on_files, text_labels


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["twitter_suicide"], mirror / "twitter_suicide"))
    assert counts == {"rows": 1_787, "self_harm:pos": 660, "self_harm:neg": 1_127}


def test_potential_suicide_post_with_its_trailing_space_is_the_positive(tmp_path):
    csv = 'Tweet,Suicide\nI like trains,Potential Suicide post \n"the weather, bad",Not Suicide post\n'
    items = run_on_files(tmp_path, "twitter_suicide", {"suicide_ideation_twitter.csv": csv})
    assert text_labels(items) == [("I like trains", {"self_harm": 1}), ("the weather, bad", {"self_harm": 0})]
