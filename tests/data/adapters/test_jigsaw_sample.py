"""jigsaw_sample adapter: SOURCE.md: 2,500 comments, NOT 2,235 (negative in all five categories), OFF 265 (unmapped)."""

from tests.conftest import label_counts, run_adapter, run_on_files, text_labels
from toxsynth import CATEGORIES


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["jigsaw_sample"], mirror / "jigsaw_sample"))
    assert counts == {"rows": 2_500, "skip:unmapped": 265, **{f"{c}:neg": 2_235 for c in CATEGORIES}}


def test_not_is_a_negative_everywhere_and_off_is_unmapped(tmp_path):
    items = run_on_files(tmp_path, "jigsaw_sample", {"tcc_test.csv": "Text\tClass\nI like, trains\tNOT\n"
                                                     "the weather is bad\tOFF\n"})
    assert text_labels(items) == [("I like, trains", {c: 0 for c in CATEGORIES})]
    assert label_counts(items)["skip:unmapped"] == 1
