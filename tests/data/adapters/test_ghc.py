"""ghc adapter on the real files.

SOURCE.md: 27,546 posts (ghc_train.tsv 22,036 + ghc_test.tsv 5,510 data lines), cv = 155 (train 131 + test 24).
hd = 2,348 (train 1,857 + test 491, counted here; SOURCE.md gives no hd figure). 102 posts have cv without
hd (train 84 + test 18) and get no `hate` label, so hate:neg = 27,546 - 2,348 - 102 = 25,096.
"""

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.records import SourceRow


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["ghc"], mirror / "ghc"))
    assert counts == {
        "rows": 22_036 + 5_510,
        "hate:pos": 1_857 + 491,
        "hate:neg": 27_546 - 2_348 - 102,
        "violence:pos": 131 + 24,
        "violence:neg": 27_546 - 155,
    }


def test_labels_per_flag_combination(tmp_path):
    (tmp_path / "ghc_train.tsv").write_text(
        'text\thd\tcv\tvo\nI like trains\t0\t0\t0\n"the ""weather"" is bad"\t1\t0\t1\nit rains\t0\t1\t0\n'
        "it snows\t1\t1\t0\nthe bus is late\t0\t0\t1\n",
        encoding="utf-8",
    )
    (tmp_path / "ghc_test.tsv").write_text("text\thd\tcv\tvo\n", encoding="utf-8")
    items = adapters.get("ghc")({p.name: p for p in tmp_path.iterdir()}, {})
    assert [(i.text, dict(i.labels)) for i in items if isinstance(i, SourceRow)] == [
        ("I like trains", {"hate": 0, "violence": 0}),
        ('the "weather" is bad', {"hate": 1, "violence": 0}),
        ("it rains", {"violence": 1}),
        ("it snows", {"hate": 1, "violence": 1}),
        ("the bus is late", {"hate": 0, "violence": 0}),
    ]
