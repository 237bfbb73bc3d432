"""incivility adapter: SOURCE.md: 4,000 human-coded tweets (1,039 uncivil) + 15,982 machine-labeled (2,448 uncivil)."""

from toxsynth.data.adapters import get
from toxsynth.data.records import SourceRow
from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    items = run_adapter(sources["incivility"], mirror / "incivility")
    assert label_counts(items) == {
        "rows": 4_000 + 15_982,
        "political:pos": 1_039 + 2_448,
        "political:neg": (4_000 - 1_039) + (15_982 - 2_448),
    }
    assert sum(isinstance(i, SourceRow) and i.train_only for i in items) == 15_982  # the synthetic labels


def test_machine_labels_are_train_only(tmp_path):
    header = "uncivil,id_str,created_at,text\n"
    (tmp_path / "training-data.csv").write_text(header + "yes,1,t,I like trains\n")
    (tmp_path / "synthetic-labels.csv").write_text(header + "no,2,t,the weather is bad\n")
    files = {n: tmp_path / n for n in ("training-data.csv", "synthetic-labels.csv")}
    items = list(get("incivility")(files, {}))
    assert [(i.labels, i.train_only) for i in items] == [({"political": 1}, False), ({"political": 0}, True)]
