"""suicidal_tweets adapter: counts match SOURCE.md (11,439 tweets in data_0..4.csv; label 2 = 2,017, label 1 = 2,201).

Label 0 (7,221 hard negatives) is counted from the files; data_after_preprocessing.csv holds 9,238 rows
(= 7,221 + 2,017, the ambiguous label 1 dropped) and is deliberately not read, so nothing counts twice.
"""

from tests.conftest import label_counts, run_adapter, run_on_files
from toxsynth.data.records import SourceRow


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["suicidal_tweets"], mirror / "suicidal_tweets"))
    assert counts == {"rows": 11_439, "self_harm:pos": 2_017, "self_harm:neg": 7_221, "skip:unmapped": 2_201}


def test_label_2_is_self_harm_0_a_negative_1_unmapped_and_users_group(tmp_path):
    header = "date,tweet,label,username,name_x\n"
    files = {f"data_{i}.csv": header for i in range(5)}
    files["data_0.csv"] += "d,I like trains,2,ann,A\nd,it rains,1,bob,B\n"
    files["data_4.csv"] += 'd,"the weather, bad",0,ann,A\n'
    items = run_on_files(tmp_path, "suicidal_tweets", files)
    assert [(i.text, dict(i.labels), i.group, i.where) for i in items if isinstance(i, SourceRow)] == [
        ("I like trains", {"self_harm": 1}, "suicidal_tweets:ann", "data_0.csv:2"),
        ("the weather, bad", {"self_harm": 0}, "suicidal_tweets:ann", "data_4.csv:2"),
    ]
    assert label_counts(items)["skip:unmapped"] == 1
