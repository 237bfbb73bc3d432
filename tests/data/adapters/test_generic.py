"""generic adapter (your own data) on tame stand-in files: every format, the options, and each error."""

import json

import pandas as pd
import pytest

from toxsynth.data.adapters import get
from toxsynth.errors import InputError

OPTIONS = {"text": "text", "label": "label", "category": "hate"}
TAME = [("I like trains", 0), ("the weather is bad", 1)]


def run(files, options):
    return list(get("generic")(files, options))


def summary(items):
    return [(i.text, dict(i.labels), i.where) for i in items]


def write_csv(path, rows=TAME, header="text,label", sep=","):
    path.write_text("\n".join([header] + [f"{t}{sep}{y}" for t, y in rows]) + "\n")
    return path


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_csv_tsv_jsonl_parquet_by_extension(tmp_path):
    files = {
        "a.csv": write_csv(tmp_path / "a.csv"),
        "b.tsv": write_csv(tmp_path / "b.tsv", sep="\t", header="text\tlabel"),
        "c.jsonl": write_jsonl(tmp_path / "c.jsonl", [{"text": t, "label": y} for t, y in TAME]),
        "d.parquet": tmp_path / "d.parquet",
    }
    pd.DataFrame({"text": [t for t, _ in TAME], "label": [y for _, y in TAME]}).to_parquet(files["d.parquet"])
    items = run(files, OPTIONS)
    expected = []
    for name, first in (("a.csv", 2), ("b.tsv", 2), ("c.jsonl", 1), ("d.parquet", 1)):
        expected += [(t, {"hate": y}, f"{name}:{first + i}") for i, (t, y) in enumerate(TAME)]
    assert summary(items) == expected


def test_format_and_delimiter_options_override_the_extension(tmp_path):
    path = write_csv(tmp_path / "own.txt", sep=";", header="text;label")
    items = run({"own.txt": path}, {**OPTIONS, "format": "csv", "delimiter": ";"})
    assert [(i.text, i.labels) for i in items] == [(t, {"hate": y}) for t, y in TAME]


def test_default_label_values(tmp_path):
    path = write_jsonl(tmp_path / "own.jsonl", [{"text": "a", "label": v} for v in (0, 1, "0", "1", False, True)])
    csv_path = write_csv(tmp_path / "own.csv", rows=[("b", "false"), ("c", "true")])
    items = run({"own.jsonl": path, "own.csv": csv_path}, OPTIONS)
    assert [i.labels["hate"] for i in items] == [0, 1, 0, 1, 0, 1, 0, 1]


def test_label_map_and_category_column(tmp_path):
    path = write_csv(tmp_path / "own.csv", header="text,verdict,cat",
                     rows=[("I like trains", "ok,sexual"), ("the weather is bad", "bad,violence")])
    options = {"text": "text", "label": "verdict", "label_map": {"ok": 0, "bad": 1}, "category_column": "cat"}
    assert [i.labels for i in run({"own.csv": path}, options)] == [{"sexual": 0}, {"violence": 1}]


def test_numeric_label_map_keys_match_csv_text(tmp_path):
    path = write_csv(tmp_path / "own.csv", rows=[("I like trains", 5), ("the weather is bad", 9)])
    items = run({"own.csv": path}, {**OPTIONS, "label_map": {5: 0, 9: 1}})
    assert [i.labels for i in items] == [{"hate": 0}, {"hate": 1}]


@pytest.mark.parametrize("options, message", [
    ({"label": "label", "category": "hate"}, r"missing key\(s\) \['text'\]"),
    ({**OPTIONS, "colour": "red"}, r"unknown key\(s\) \['colour'\]"),
    ({**OPTIONS, "category": "spam"}, "unknown category 'spam'"),
    ({"text": "text", "label": "label"}, "exactly one of `category` or `category_column`"),
    ({**OPTIONS, "category_column": "cat"}, "exactly one of `category` or `category_column`"),
    ({**OPTIONS, "format": "xlsx"}, "unknown format 'xlsx'"),
    ({**OPTIONS, "delimiter": "::"}, "delimiter must be one character"),
    ({**OPTIONS, "label_map": {"ok": "no"}}, "label_map must map label values to 0 or 1"),
])
def test_bad_options_name_params_yaml(tmp_path, options, message):
    with pytest.raises(InputError, match=message) as error:
        run({"own.csv": write_csv(tmp_path / "own.csv")}, options)
    assert error.value.path == "params.yaml"


def test_unknown_category_in_a_row_names_file_and_line(tmp_path):
    path = write_csv(tmp_path / "own.csv", header="text,label,cat", rows=[("a", "0,hate"), ("b", "1,spam")])
    options = {"text": "text", "label": "label", "category_column": "cat"}
    with pytest.raises(InputError, match=r"own.csv:3: unknown category 'spam' in column 'cat'"):
        run({"own.csv": path}, options)


def test_unknown_label_value_names_file_and_line(tmp_path):
    path = write_csv(tmp_path / "own.csv", rows=[("I like trains", 0), ("the weather is bad", "maybe")])
    with pytest.raises(InputError, match=r"own.csv:3: unknown label value 'maybe' in column 'label'"):
        run({"own.csv": path}, OPTIONS)


def test_missing_column_names_file_and_line_in_every_format(tmp_path):
    csv_path = write_csv(tmp_path / "own.csv", header="text,score")
    with pytest.raises(InputError, match=r"own.csv:1: missing column"):
        run({"own.csv": csv_path}, OPTIONS)
    jsonl_path = write_jsonl(tmp_path / "own.jsonl", [{"text": "a", "label": 0}, {"text": "b"}])
    with pytest.raises(InputError, match=r"own.jsonl:2: missing field"):
        run({"own.jsonl": jsonl_path}, OPTIONS)
    parquet_path = tmp_path / "own.parquet"
    pd.DataFrame({"text": ["a"], "score": [0]}).to_parquet(parquet_path)
    with pytest.raises(InputError, match=r"own.parquet:1: missing column"):
        run({"own.parquet": parquet_path}, OPTIONS)


def test_non_text_value_and_unknown_extension(tmp_path):
    path = write_jsonl(tmp_path / "own.jsonl", [{"text": 7, "label": 0}])
    with pytest.raises(InputError, match=r"own.jsonl:1: column 'text' should hold text"):
        run({"own.jsonl": path}, OPTIONS)
    other = write_csv(tmp_path / "own.dat")
    with pytest.raises(InputError, match=r"own.dat: cannot tell the format"):
        run({"own.dat": other}, OPTIONS)
