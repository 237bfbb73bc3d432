"""davidson adapter: counts on the real file match SOURCE.md (24,783 tweets; class 0 = 1,430 hate), and on tame rows."""

import pytest

from tests.conftest import label_counts, run_adapter, run_on_files, text_labels
from toxsynth.errors import InputError


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["davidson"], mirror / "davidson"))
    assert counts == {"rows": 24_783, "hate:pos": 1_430, "hate:neg": 19_190 + 4_163}


HEADER = ",count,hate_speech,offensive_language,neither,class,tweet\n"


def test_class_0_is_hate_and_offensive_or_neither_are_negatives(tmp_path):
    items = run_on_files(tmp_path, "davidson", {"labeled_data.csv": HEADER + '0,3,3,0,0,0,I like trains\n'
                                                '1,3,0,3,0,1,"the weather, again"\n2,3,0,0,3,2,it rains\n'})
    assert text_labels(items) == [("I like trains", {"hate": 1}), ("the weather, again", {"hate": 0}),
                                  ("it rains", {"hate": 0})]


def test_unknown_class_names_file_and_line(tmp_path):
    with pytest.raises(InputError, match="labeled_data.csv:2: unknown label value '3' in column 'class'"):
        run_on_files(tmp_path, "davidson", {"labeled_data.csv": HEADER + "0,3,0,0,3,3,I like trains\n"})
