"""hateval adapter: counts on the real files match SOURCE.md exactly; HS -> hate on tame rows.

SOURCE.md: 13,000 tweets (train 9,000 + dev 1,000 + test 3,000), HS positive 5,470, so 7,530 negatives.
AG (2,357 positive, all with HS=1) gives no `violence` label: see the comment in the adapter. 253 texts
occur more than once across the files; prepare's dedup handles them.
"""

import pytest

from tests.conftest import label_counts, run_adapter, run_on_files, text_labels
from toxsynth.errors import InputError


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["hateval"], mirror / "hateval"))
    assert counts == {"rows": 13_000, "hate:pos": 5_470, "hate:neg": 13_000 - 5_470}


def _files(train: str, dev: str = "", test: str = "") -> dict[str, str]:
    header = "id,text,HS,TR,AG\n"
    return {"hateval2019_en_train.csv": header + train, "hateval2019_en_dev.csv": header + dev,
            "hateval2019_en_test.csv": header + test}


def test_hs_is_the_hate_label_in_all_three_files(tmp_path):
    items = run_on_files(tmp_path, "hateval", _files("1,I like trains,1,1,1\n2,it rains,0,0,0\n",
                                                     "3,the weather is bad,1,0,0\n", "4,it snows,0,1,0\n"))
    assert text_labels(items) == [("I like trains", {"hate": 1}), ("it rains", {"hate": 0}),
                                  ("the weather is bad", {"hate": 1}), ("it snows", {"hate": 0})]


@pytest.mark.parametrize("row, column", [("1,I like trains,2,0,0\n", "HS"), ("1,I like trains,1,0,x\n", "AG")])
def test_unknown_flag_value_names_file_and_line(tmp_path, row, column):
    with pytest.raises(InputError, match=f"hateval2019_en_dev.csv:2: unknown label value .* in column '{column}'"):
        run_on_files(tmp_path, "hateval", _files("", dev=row))
