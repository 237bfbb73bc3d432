"""params.yaml sections as frozen dataclasses: unknown or missing keys and bad values are errors naming the line."""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml

from toxsynth import CATEGORIES
from toxsynth.errors import InputError

T = TypeVar("T")
OPTIONAL = {"optional": True}  # field metadata: params.yaml may leave the key out (then the default applies)


class FieldError(ValueError):
    """A bad value of one dataclass field; `build` reports it at that key's line of params.yaml."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def in_range(params: Any, interval: str, *names: str) -> None:
    """FieldError unless every named field lies in `interval`, written as in maths: "(0, 1]", "[1, inf)"."""
    low, high = (float(bound) for bound in interval[1:-1].split(","))
    for name in names:
        value = getattr(params, name)
        above = value > low if interval[0] == "(" else value >= low
        below = value < high if interval[-1] == ")" else value <= high
        if not (above and below):
            raise FieldError(name, f"{name} must be in {interval}, got {value!r}")


def one_of(params: Any, name: str, known: tuple) -> None:
    """FieldError unless the field is one of the `known` values."""
    value = getattr(params, name)
    if value not in known:
        raise FieldError(name, f"{name} must be one of {list(known)}, got {value!r}")


def some_of(params: Any, name: str, known: tuple) -> None:
    """FieldError unless the tuple field is non-empty, without repeats, and holds only `known` values."""
    values = getattr(params, name)
    unknown = [v for v in values if v not in known]
    if unknown:
        raise FieldError(name, f"unknown {name} {unknown}; known: {list(known)}")
    if not values or len(set(values)) < len(values):
        raise FieldError(name, f"{name} must list at least one of {list(known)}, each once, got {list(values)}")


def key_lines(path: str | Path) -> dict[tuple, int]:
    """Map each key path in a YAML file, e.g. ('data', 'sources', 3, 'files'), to its 1-based line."""
    lines: dict[tuple, int] = {}

    def walk(node, prefix):
        lines[prefix] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, prefix + (key.value,))
                lines[prefix + (key.value,)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, prefix + (i,))

    root = yaml.compose(Path(path).read_text(encoding="utf-8"))
    if root is not None:
        walk(root, ())
    return lines


class Params:
    """A loaded params.yaml that turns sections into dataclasses and reports errors with line numbers."""

    def __init__(self, path: str | Path = "params.yaml"):
        self.path = Path(path)
        try:
            self.data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            line = getattr(getattr(e, "problem_mark", None), "line", None)
            raise InputError(self.path, None if line is None else line + 1, f"invalid YAML: {e}") from None
        self._lines: dict[tuple, int] | None = None

    def error(self, keys: tuple, reason: str) -> InputError:
        if self._lines is None:
            self._lines = key_lines(self.path)
        dotted = ".".join(str(k) for k in keys)
        for n in range(len(keys), -1, -1):  # the nearest key that exists
            if keys[:n] in self._lines:
                return InputError(self.path, self._lines[keys[:n]], f"{dotted}: {reason}")
        return InputError(self.path, None, f"{dotted}: {reason}")

    def get(self, *keys: str) -> Any:
        node = self.data
        for i, key in enumerate(keys):
            if not isinstance(node, dict) or key not in node:
                raise self.error(keys[: i + 1], "missing")
            node = node[key]
        return node

    def seed(self) -> int:
        """The top-level `seed`: an int >= 0 (not a bool, a float or a string)."""
        value = self.get("seed")
        if type(value) is not int or value < 0:
            raise self.error(("seed",), f"expected an int >= 0, got {value!r}")
        return value

    def section(self, cls: type[T], *keys: str) -> T:
        return build(cls, self.get(*keys), keys, self)

    def categories(self) -> tuple[str, ...]:
        """The top-level `categories`: which of toxsynth.CATEGORIES the pipeline builds, in report order."""
        value = self.get("categories")
        if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
            raise self.error(("categories",), f"expected a non-empty list of names, got {value!r}")
        unknown = [c for c in value if c not in CATEGORIES]
        if unknown or len(set(value)) < len(value):
            raise self.error(("categories",), f"unknown or repeated {unknown or value}; known: {list(CATEGORIES)}")
        return tuple(value)


def build(cls: type[T], value: Any, keys: tuple, params: Params) -> T:
    """Build dataclass `cls` from a mapping, recursively, rejecting unknown keys, missing keys and wrong types.

    params.yaml is the single source of truth (DVC tracks only what it holds): a key may be left out only where
    its field is marked OPTIONAL; the defaults on the dataclasses serve library use.
    """
    if not isinstance(value, dict):
        raise params.error(keys, f"expected a mapping for {cls.__name__}, got {type(value).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise params.error(keys + (unknown[0],), f"unknown key (known: {sorted(fields)})")
    kwargs = {}
    for name, f in fields.items():
        if name not in value:
            if not f.metadata.get("optional"):
                raise params.error(keys + (name,), "missing (every parameter must be in params.yaml)")
            continue
        kwargs[name] = _convert(hints[name], value[name], keys + (name,), params)
    try:
        return cls(**kwargs)
    except FieldError as e:  # a dataclass's own __post_init__ check, of one field ...
        raise params.error(keys + (e.field,), str(e)) from None
    except ValueError as e:  # ... or of the whole section
        raise params.error(keys, str(e)) from None


def _convert(hint: Any, value: Any, keys: tuple, params: Params) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return build(hint, value, keys, params)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        alternatives = [a for a in args if a is not type(None)]
        for alternative in alternatives[:-1]:  # e.g. `float | str`: the first type the value fits
            try:
                return _convert(alternative, value, keys, params)
            except InputError:
                pass
        return _convert(alternatives[-1], value, keys, params)
    if origin is tuple:
        if not isinstance(value, list):
            raise params.error(keys, f"expected a list, got {type(value).__name__}")
        return tuple(_convert(args[0], v, keys + (i,), params) for i, v in enumerate(value))
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise params.error(keys, f"expected a mapping, got {type(value).__name__}")
        return dict(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (int, float, str, bool) and (type(value) is not hint):
        raise params.error(keys, f"expected {hint.__name__}, got {value!r}")
    return value
