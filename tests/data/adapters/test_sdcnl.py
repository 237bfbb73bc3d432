"""sdcnl adapter: SOURCE.md: 1,895 posts, is_suicide 1 = 980 (r/SuicideWatch), 0 = 915 (r/depression).

The two files split them 787 + 193 = 980 positives and 729 + 186 = 915 negatives (1,516 + 379 rows).
"""

from toxsynth.data.adapters import get
from tests.conftest import label_counts, run_adapter

HEADER = ",title,selftext,author,num_comments,is_suicide,url,selftext_clean,title_clean,author_clean\n"


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["sdcnl"], mirror / "sdcnl"))
    assert counts == {"rows": 1_895, "self_harm:pos": 980, "self_harm:neg": 915}


def test_text_is_title_then_body_and_both_files_are_read(tmp_path):
    train, test = tmp_path / "training-set.csv", tmp_path / "testing-set.csv"
    train.write_text(HEADER + '0,I like trains,"the weather, today",someone,3,0,u,x,x,x\n')
    test.write_text(HEADER + "0,Trains,are nice,someone,1,1,u,x,x,x\n")
    items = list(get("sdcnl")({"training-set.csv": train, "testing-set.csv": test}, {}))
    assert [(i.text, i.labels, i.where) for i in items] == [
        ("I like trains\n\nthe weather, today", {"self_harm": 0}, "training-set.csv:2"),
        ("Trains\n\nare nice", {"self_harm": 1}, "testing-set.csv:2"),
    ]
