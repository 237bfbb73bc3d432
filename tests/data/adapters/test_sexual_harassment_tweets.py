"""sexual_harassment_tweets adapter on the real file.

SOURCE.md: 4,572 tweets, Label 1.0 = 2,423 (so 0.0 = 2,149). 6 rows (all Label 1.0) spill their text into
the Unnamed: 9-11 columns and are skipped, so sexual:pos = 2,423 - 6.
"""

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.records import SourceRow

HEADER = (",Unnamed: 0,Key Word,Username,User_ID,Datetime,Favorite_count,Geo,Coordinates,Label,Text,"
          "Unnamed: 9,Unnamed: 10,Unnamed: 11\r\n")


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["sexual_harassment_tweets"], mirror / "sexual_harassment_tweets"))
    assert counts == {"rows": 4_572, "sexual:pos": 2_423 - 6, "sexual:neg": 4_572 - 2_423, "skip:broken_row": 6}


def test_overflow_rows_are_skipped_and_crlf_in_a_field_is_kept_in_it(tmp_path):
    path = tmp_path / "4572_Cleaned_tweets.csv"
    path.write_text(
        HEADER + '0,0,"trains \r\n",u,1,d,0,,,1.0,I like trains,,,\n'
        "1,1,rain,u,1,d,0,,,0.0,the weather is bad,,,\n"
        '2,2,snow,u,1,d,0,,,1.0,it snows,"and, then",,\n',
        encoding="utf-8", newline="",
    )
    items = list(adapters.get("sexual_harassment_tweets")({path.name: path}, {}))
    assert [(i.text, dict(i.labels), i.where) for i in items if isinstance(i, SourceRow)] == [
        ("I like trains", {"sexual": 1}, f"{path.name}:2"), ("the weather is bad", {"sexual": 0}, f"{path.name}:4"),
    ]
    assert label_counts(items)["skip:broken_row"] == 1
