"""exist2021 adapter on the real files.

SOURCE.md: 11,345 rows (training 6,977 + test 4,368 data lines), 5,644 English (3,436 + 2,208): 2,850
non-sexist (1,800 + 1,050), objectification 406 (256 + 150), sexual-violence 542 (344 + 198). All match;
the 5,701 Spanish rows are skipped, so sexist = 5,644 - 2,850 = 2,794.
"""

import pytest

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.records import SourceRow
from toxsynth.errors import InputError

HEADER = "test_case\tid\tsource\tlanguage\ttext\ttask1\ttask2\n"


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["exist2021"], mirror / "exist2021"))
    assert counts == {
        "rows": 11_345,
        "skip:non_english": 11_345 - 5_644,
        "hate:pos": 5_644 - 2_850,
        "hate:neg": 2_850,
        "sexual:pos": 406 + 542,
        "sexual:neg": 2_850,
    }


def _run(tmp_path, lines):
    (tmp_path / "EXIST2021_training.tsv").write_text(HEADER + lines, encoding="utf-8")
    (tmp_path / "EXIST2021_test.tsv").write_text(HEADER, encoding="utf-8")
    return list(adapters.get("exist2021")({p.name: p for p in tmp_path.iterdir()}, {}))


def test_labels_language_and_quoting(tmp_path):
    items = _run(tmp_path, 'E\t1\ttwitter\ten\t"I like ""trains"""\tnon-sexist\tnon-sexist\n'
                 "E\t2\tgab\ten\tit rains\tsexist\tobjectification\n"
                 "E\t3\ttwitter\ten\tit snows\tsexist\tstereotyping-dominance\n"
                 'E\t4\ttwitter\tes\t"hace\tsol"\tnon-sexist\tnon-sexist\n'
                 "E\t5\tgab\ten\tthe fog\tsexist\tsexual-violence\n"
                 "E\t6\tgab\ten\tthe hail\tsexist\tideological-inequality\n"
                 "E\t7\tgab\ten\tthe sleet\tsexist\tmisogyny-non-sexual-violence\n")
    assert [(i.text, dict(i.labels)) for i in items if isinstance(i, SourceRow)] == [
        ('I like "trains"', {"hate": 0, "sexual": 0}),
        ("it rains", {"hate": 1, "sexual": 1}),
        ("it snows", {"hate": 1}),
        ("the fog", {"hate": 1, "sexual": 1}),
        ("the hail", {"hate": 1}),
        ("the sleet", {"hate": 1}),
    ]
    assert label_counts(items)["skip:non_english"] == 1


def test_inconsistent_tasks_are_an_error(tmp_path):
    with pytest.raises(InputError, match="EXIST2021_training.tsv:2"):
        _run(tmp_path, "E\t1\ttwitter\ten\tI like trains\tnon-sexist\tobjectification\n")
