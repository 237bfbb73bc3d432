"""Your own labeled data: a text column and a 0/1 label column, in CSV, TSV, JSONL or Parquet files.

options (params.yaml, data.sources[].options):
  text: <column>, label: <column>                      required
  category: <one of toxsynth.CATEGORIES>               or category_column: <column holding one per row>
  format: csv | tsv | jsonl | parquet                  default: from each file's extension
  label_map: {<value>: 0 | 1}                          default: 0/1, "0"/"1", true/false
  delimiter: <one character>                           csv / tsv only; default "," / TAB
Every file of the source is read. Quote label_map keys in YAML ("yes": 1): unquoted yes/no are booleans.
"""

from pathlib import Path

from toxsynth import CATEGORIES
from toxsynth.data.adapters import register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import jsonl_rows, parquet_rows, read_delimited, shown
from toxsynth.errors import InputError

KEYS = ("format", "text", "label", "label_map", "category", "category_column", "delimiter")
FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".parquet": "parquet"}
DEFAULT_LABELS = {0: NEG, 1: POS, "0": NEG, "1": POS, "false": NEG, "true": POS, "False": NEG, "True": POS}


def _bad(reason: str) -> InputError:
    return InputError("params.yaml", None, f"generic adapter options: {reason}")


def _label_map(raw) -> dict:
    if raw is None:
        return DEFAULT_LABELS
    if not isinstance(raw, dict) or not raw or any(v not in (0, 1) or isinstance(v, bool) for v in raw.values()):
        raise _bad(f"label_map must map label values to 0 or 1, got {raw!r}")
    return {**{str(k): v for k, v in raw.items()}, **raw}  # a YAML key 1 also matches the CSV text "1"


def _check(options) -> None:
    if not isinstance(options, dict):
        raise _bad(f"expected a mapping, got {options!r}")
    unknown = sorted(set(options) - set(KEYS))
    missing = [k for k in ("text", "label") if k not in options]
    if unknown or missing:
        raise _bad(f"unknown key(s) {unknown}, missing key(s) {missing}; known keys: {list(KEYS)}")
    if ("category" in options) == ("category_column" in options):
        raise _bad("give exactly one of `category` or `category_column`")
    if "category" in options and options["category"] not in CATEGORIES:
        raise _bad(f"unknown category {options['category']!r}; known: {list(CATEGORIES)}")
    if options.get("format", "csv") not in FORMATS.values():
        raise _bad(f"unknown format {options['format']!r}; known: {sorted(FORMATS.values())}")
    if not isinstance(options.get("delimiter", ","), str) or len(options.get("delimiter", ",")) != 1:
        raise _bad(f"delimiter must be one character, got {options['delimiter']!r}")


def _rows(path: Path, options, required):
    fmt = options.get("format") or FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, None, f"cannot tell the format from the extension; set options.format {FORMATS}")
    if fmt == "jsonl":
        return jsonl_rows(path, required)
    if fmt == "parquet":
        return parquet_rows(path, required)
    return read_delimited(path, required, delimiter=options.get("delimiter", "," if fmt == "csv" else "\t"))


@register("generic")
def read(files, options):
    _check(options)
    labels, column = _label_map(options.get("label_map")), options.get("category_column")
    required = (options["text"], options["label"]) + ((column,) if column else ())
    for path in files.values():
        for row in _rows(Path(path), options, required):
            category = row[column] if column else options["category"]
            if category not in CATEGORIES:
                raise row.error(f"unknown category {shown(category)} in column {column!r}; known: {list(CATEGORIES)}")
            text = row[options["text"]]
            if not isinstance(text, str):
                raise row.error(f"column {options['text']!r} should hold text, got {shown(text)}")
            yield emit(row, text, {category: row.choice(options["label"], labels)})
