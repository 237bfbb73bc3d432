"""Adapters: one function per dataset that turns its raw files into SourceRow / Skip items.

An adapter is `read(files, options) -> Iterator[SourceRow | Skip]`, where `files` maps each file name
listed in params.yaml to its local path under data/raw/<source>/. Modules in this package register
themselves with `@register("name")`; all of them are imported here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from toxsynth.data.records import SourceRow, Skip
from toxsynth.errors import InputError

Adapter = Callable[[Mapping[str, Path], Mapping[str, Any]], Iterator[SourceRow | Skip]]
ADAPTERS: dict[str, Adapter] = {}


def register(name: str) -> Callable[[Adapter], Adapter]:
    def wrap(fn: Adapter) -> Adapter:
        ADAPTERS[name] = fn
        return fn

    return wrap


def need(files: Mapping[str, Path], name: str) -> Path:
    """The local path of a file the adapter needs; a clear error if params.yaml does not list it."""
    if name not in files:
        raise InputError("params.yaml", None, f"the source must list a file named {name!r} (has {sorted(files)})")
    return files[name]


def get(name: str) -> Adapter:
    if name not in ADAPTERS:
        raise KeyError(f"unknown adapter {name!r}; known: {sorted(ADAPTERS)}")
    return ADAPTERS[name]


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
