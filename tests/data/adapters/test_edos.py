"""edos adapter on the real file.

SOURCE.md: 20,000 posts, 15,146 not sexist (so 4,854 sexist), vectors 1.1 = 80, 1.2 = 363, 2.3 = 286. All match.
"""

import pytest

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.records import SourceRow
from toxsynth.errors import InputError


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["edos"], mirror / "edos"))
    assert counts == {
        "rows": 20_000,
        "hate:pos": 20_000 - 15_146,
        "hate:neg": 15_146,
        "violence:pos": 80 + 363,
        "violence:neg": 15_146,
        "sexual:pos": 286,
        "sexual:neg": 15_146,
    }


def _run(tmp_path, lines):
    path = tmp_path / "edos_labelled_aggregated.csv"
    path.write_text("rewire_id,text,label_sexist,label_category,label_vector,split\n" + lines, encoding="utf-8")
    return list(adapters.get("edos")({path.name: path}, {}))


def test_vector_codes(tmp_path):
    items = _run(tmp_path, "a,I like trains,not sexist,none,none,train\n"
                 "b,it rains,sexist,1. x,1.2 incitement and encouragement of harm,dev\n"
                 "c,it snows,sexist,2. x,2.3 dehumanising attacks & overt sexual objectification,test\n"
                 "d,the weather is bad,sexist,3. x,3.2 immutable gender differences and gender stereotypes,train\n"
                 "e,the fog is back,sexist,1. x,1.1 threats of harm,test\n")
    assert [dict(i.labels) for i in items if isinstance(i, SourceRow)] == [
        {"hate": 0, "sexual": 0, "violence": 0}, {"hate": 1, "violence": 1}, {"hate": 1, "sexual": 1}, {"hate": 1},
        {"hate": 1, "violence": 1},
    ]


@pytest.mark.parametrize("line", ["a,I like trains,sexist,none,none,train\n",
                                  "a,I like trains,not sexist,1. x,1.1 threats of harm,train\n",
                                  "a,I like trains,sexist,5. x,5.1 unknown,train\n"])
def test_inconsistent_or_unknown_vector_is_an_error(tmp_path, line):
    with pytest.raises(InputError, match="edos_labelled_aggregated.csv:2"):
        _run(tmp_path, line)
