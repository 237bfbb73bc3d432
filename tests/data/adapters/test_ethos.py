"""ethos adapter on the real files: counts match SOURCE.md exactly.

SOURCE.md: 998 comments, isHate >= 0.5 gives 433 hate (so 565 negatives); Multi_Label holds those 433 with
violence >= 0.5 for 142. Every Multi_Label row joins one hateful Binary row (23 of them only after treating a
no-break space as a space), so violence:neg = 433 - 142 hateful + 565 non-hateful = 856.
"""

import pytest

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.errors import InputError


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["ethos"], mirror / "ethos"))
    assert counts == {"rows": 998, "hate:pos": 433, "hate:neg": 565, "violence:pos": 142, "violence:neg": 291 + 565}


def write(tmp_path, binary: str, multi: str) -> dict:
    (tmp_path / "Ethos_Dataset_Binary.csv").write_text("comment;isHate\n" + binary, encoding="utf-8")
    (tmp_path / "Ethos_Dataset_Multi_Label.csv").write_text(
        "comment;violence;directed_vs_generalized;gender;race;national_origin;disability;religion;sexual_orientation\n"
        + multi, encoding="utf-8")
    return {p.name: p for p in tmp_path.iterdir()}


def test_join_by_text_with_no_break_space(tmp_path):
    files = write(tmp_path, "I like\u00a0trains;1.0\nthe weather is bad;0.6666\nit rains;0.1666\n",
                  "I like trains;0.8;0;0;0;0;0;0;0\nthe weather is bad;0.5;0;0;0;0;0;0;0\n")
    items = list(adapters.get("ethos")(files, {}))
    assert [(i.text, dict(i.labels)) for i in items] == [
        ("I like\u00a0trains", {"hate": 1, "violence": 1}),
        ("the weather is bad", {"hate": 1, "violence": 1}),
        ("it rains", {"hate": 0, "violence": 0}),
    ]
    files = write(tmp_path, "I like trains;0.5\n", "I like trains;0.4;0;0;0;0;0;0;0\n")
    assert [dict(i.labels) for i in adapters.get("ethos")(files, {})] == [{"hate": 1, "violence": 0}]


@pytest.mark.parametrize("binary, multi", [
    ("I like trains;1.0\n", "the weather is bad;0.8;0;0;0;0;0;0;0\n"),  # hateful row without a violence score
    ("I like trains;0.0\n", "I like trains;0.8;0;0;0;0;0;0;0\n"),  # violence score for a non-hateful row
])
def test_a_broken_join_is_an_error(tmp_path, binary, multi):
    with pytest.raises(InputError):
        list(adapters.get("ethos")(write(tmp_path, binary, multi), {}))
