"""Strict readers for CSV / TSV / JSON / JSONL / Parquet / text files that report file and line on bad input."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toxsynth.errors import InputError

csv.field_size_limit(sys.maxsize)


def shown(value: Any, limit: int = 24) -> str:
    """A cell value for an error message: short values (labels, ids) as they are, long ones only by length.

    A misaligned row can put a text where a label belongs, and texts may be harmful: they never reach the console.
    """
    text = repr(value)
    return text if len(text) <= limit else f"<a {len(str(value))}-character value, not shown>"


@dataclass(frozen=True)
class Row:
    """One input row with where it came from, and checked accessors that raise InputError."""

    path: Path
    line: int
    values: Mapping[str, Any]

    def error(self, reason: str) -> InputError:
        return InputError(self.path, self.line, reason)

    def __getitem__(self, column: str) -> Any:
        value = self.values.get(column)
        if value is None:
            raise self.error(f"no value for column {column!r} (row shorter than the header?)")
        return value

    def get(self, column: str, default: Any = None) -> Any:
        value = self.values.get(column)
        return default if value is None else value

    def choice(self, column: str, mapping: Mapping[Any, Any]) -> Any:
        """Map the column's value (stripped) through `mapping`; an unknown value is an error."""
        value = self[column]
        key = value.strip() if isinstance(value, str) else value
        if not isinstance(key, (str, int, float, bool)) or key not in mapping:
            known = ", ".join(repr(k) for k in mapping)
            raise self.error(f"unknown label value {shown(value)} in column {column!r}; expected one of {known}")
        return mapping[key]

    def number(self, column: str) -> float:
        value = self[column]
        try:
            return float(value)
        except (TypeError, ValueError):
            raise self.error(f"column {column!r} should be a number, got {shown(value)}") from None


def read_text(path: str | Path) -> str:
    """The whole file as text: strict UTF-8 (a BOM is dropped), and an empty file is an error."""
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise InputError(path, 1, "file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(path, line, f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def read_delimited(
    path: str | Path,
    required: tuple[str, ...],
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
) -> Iterator[Row]:
    """Rows of a CSV/TSV file with a header; `line` is the line on which the row starts."""
    path = Path(path)
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    try:
        header = next(reader)
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(path, 1, f"missing column(s) {missing}; the header has {header}")
        start = reader.line_num + 1
        for fields in reader:
            if fields:
                yield Row(path, start, dict(zip(header, fields)))
            start = reader.line_num + 1
    except csv.Error as e:
        raise InputError(path, reader.line_num, f"malformed CSV: {e}") from None


def read_json(path: str | Path) -> Any:
    path = Path(path)
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as e:
        raise InputError(path, e.lineno, f"invalid or truncated JSON: {e.msg} (column {e.colno})") from None


def json_rows(path: str | Path, required: tuple[str, ...]) -> Iterator[Row]:
    """Rows of a JSON file holding one array of objects; `line` is the 1-based item number."""
    path = Path(path)
    data = read_json(path)
    if not isinstance(data, list):
        raise InputError(path, 1, f"expected a JSON array of objects, got {type(data).__name__}")
    for i, item in enumerate(data, start=1):
        row = Row(path, i, item if isinstance(item, dict) else {})
        if not isinstance(item, dict):
            raise row.error("expected a JSON object")
        _check_columns(row, required)
        yield row


def jsonl_rows(path: str | Path, required: tuple[str, ...]) -> Iterator[Row]:
    path = Path(path)
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(path, number, f"invalid JSON: {e.msg} (column {e.colno})") from None
        row = Row(path, number, item if isinstance(item, dict) else {})
        if not isinstance(item, dict):
            raise row.error("expected a JSON object on each line")
        _check_columns(row, required)
        yield row


def parquet_rows(path: str | Path, required: tuple[str, ...]) -> Iterator[Row]:
    """Rows of a Parquet file; `line` is the 1-based row number."""
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        table = pq.read_table(path)
    except Exception as e:  # pyarrow raises several types for a damaged file
        raise InputError(path, None, f"cannot read Parquet: {e}") from None
    if table.num_rows == 0:
        raise InputError(path, 1, "file has no rows")
    missing = [c for c in required if c not in table.column_names]
    if missing:
        raise InputError(path, 1, f"missing column(s) {missing}; the file has {table.column_names}")
    for i, item in enumerate(table.to_pylist(), start=1):
        yield Row(path, i, item)


def _check_columns(row: Row, required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in row.values]
    if missing:
        raise row.error(f"missing field(s) {missing}")
