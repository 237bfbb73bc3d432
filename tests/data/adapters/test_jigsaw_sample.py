"""jigsaw_sample adapter: SOURCE.md: 2,500 comments, NOT 2,235 (negative in all five categories), OFF 265 (unmapped)."""

from toxsynth import CATEGORIES
from tests.conftest import label_counts, run_adapter


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["jigsaw_sample"], mirror / "jigsaw_sample"))
    assert counts == {"rows": 2_500, "skip:unmapped": 265, **{f"{c}:neg": 2_235 for c in CATEGORIES}}
