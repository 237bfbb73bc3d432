"""trac2 adapter: counts match SOURCE.md (6,529 comments; OAG 834 -> violence positives, CAG 794 -> unmapped).

Per file (Sub-task A): train 4,263 = OAG 435 / CAG 453 / NAG 3,375; dev 1,066 = 113 / 117 / 836;
test 1,200 (labels from trac2_eng_gold_a.csv) = 286 / 224 / 690. NAG total 4,901 (not in SOURCE.md).
"""

import pytest

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.errors import InputError


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["trac2"], mirror / "trac2"))
    assert counts == {"rows": 6_529, "violence:pos": 834, "violence:neg": 4_901, "skip:unmapped": 794}


def _files(tmp_path, gold):
    header = "ID,Text,Sub-task A,Sub-task B\n"
    files = {
        "trac2_eng_train.csv": header + 'T1,"I like\ntrains",NAG,NGEN\n',
        "trac2_eng_dev.csv": header + "D1,the weather is bad,CAG,NGEN\n",
        "trac2_eng_test.csv": "ID,Text\nX1,the bus is late\nX2,\"it rains\nagain\"\n",
        "trac2_eng_gold_a.csv": "ID,Sub-task A\n" + gold,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {name: tmp_path / name for name in files}


def test_test_texts_take_gold_labels_by_id(tmp_path):
    items = list(adapters.get("trac2")(_files(tmp_path, "X2,NAG\nX1,OAG\n"), {}))  # gold in another order
    rows = [(i.text, dict(i.labels)) for i in items if hasattr(i, "text")]
    assert rows == [
        ("I like\ntrains", {"violence": 0}),
        ("the bus is late", {"violence": 1}),
        ("it rains\nagain", {"violence": 0}),
    ]
    assert label_counts(items)["skip:unmapped"] == 1  # the CAG dev row


def test_test_text_without_gold_label_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no gold label"):
        list(adapters.get("trac2")(_files(tmp_path, "X1,OAG\n"), {}))
