"""olid adapter: SOURCE.md: olid.tsv = 13,240 training + 860 labeled test tweets = 14,100 rows.

From olid.tsv's columns: NOT 9,460 (8,840 training + 620 test) -> political:neg; OFF+TIN+IND 2,507
(2,407 + 100) -> political:pos; the other 2,133 OFF rows (GRP 1,152, OTH 430, UNT 551) -> unmapped.
olid-training-v1.0.tsv and testset-levela.tsv are not read (their rows are all in olid.tsv).
"""

import pytest

from toxsynth.data.adapters import get
from toxsynth.errors import InputError
from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["olid"], mirror / "olid"))
    assert counts == {"rows": 14_100, "political:neg": 9_460, "political:pos": 2_507, "skip:unmapped": 2_133}


def test_only_targeted_insults_at_individuals_are_positive(tmp_path):
    path = tmp_path / "olid.tsv"
    rows = ["id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c", "1\tI like trains\tNOT\tNULL\tNULL",
            '2\t"""the weather"" is bad"\tOFF\tTIN\tIND', "3\tthe weather\tOFF\tTIN\tGRP", "4\train\tOFF\tUNT\tNULL"]
    path.write_bytes("\r\n".join(rows + [""]).encode())
    items = list(get("olid")({"olid.tsv": path}, {}))
    assert [getattr(i, "labels", i) for i in items[:2]] == [{"political": 0}, {"political": 1}]
    assert items[1].text == '"the weather" is bad'  # CSV-style quoting, CRLF line ends
    assert [i.reason for i in items[2:]] == ["unmapped", "unmapped"]


def test_unknown_target_value_names_file_and_line(tmp_path):
    path = tmp_path / "olid.tsv"
    path.write_text("id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n1\tI like trains\tOFF\tTIN\tXYZ\n")
    with pytest.raises(InputError, match="olid.tsv:2: unknown label value 'XYZ'"):
        list(get("olid")({"olid.tsv": path}, {}))
