"""The `data.sources` list of params.yaml: which files make up each source and which adapter reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toxsynth.config import OPTIONAL, Params, build

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._()+-]*$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SourceFile:
    name: str  # file name under data/raw/<source>/ (and under the mirror's <source>/ folder)
    sha256: str
    url: str | None = field(default=None, metadata=OPTIONAL)  # upstream download URL ...
    path: str | None = field(default=None, metadata=OPTIONAL)  # ... or a local file (your own data)


@dataclass(frozen=True)
class Source:
    name: str
    adapter: str
    files: tuple[SourceFile, ...]
    options: dict = field(default_factory=dict, metadata=OPTIONAL)  # adapter options, e.g. the generic column map
    origin: tuple[str, int | None] = field(default=("params.yaml", None), init=False, compare=False)  # file, line


def load_sources(params: Params, check_adapters: bool = True) -> tuple[Source, ...]:
    """Read and check `data.sources`; every problem names params.yaml and the line."""
    from toxsynth.data.adapters import ADAPTERS

    raw = params.get("data", "sources")
    if not isinstance(raw, list) or not raw:
        raise params.error(("data", "sources"), "expected a non-empty list of sources")
    sources = []
    seen = set()
    for i, item in enumerate(raw):
        keys = ("data", "sources", i)
        source = build(Source, item, keys, params)
        object.__setattr__(source, "origin", (str(params.path), params.error(keys + ("options",), "").line))
        if not SAFE_NAME.match(source.name) or source.name in seen:
            raise params.error(keys + ("name",), f"name {source.name!r} must be unique and a plain file name")
        seen.add(source.name)
        if check_adapters and source.adapter not in ADAPTERS:
            raise params.error(keys + ("adapter",), f"unknown adapter {source.adapter!r}; known: {sorted(ADAPTERS)}")
        if not source.files:
            raise params.error(keys + ("files",), "a source needs at least one file")
        for j, f in enumerate(source.files):
            fkeys = keys + ("files", j)
            if not SAFE_NAME.match(f.name):
                raise params.error(fkeys + ("name",), f"file name {f.name!r} must be a plain file name")
            if not SHA256.match(f.sha256):
                raise params.error(fkeys + ("sha256",), "sha256 must be 64 lowercase hex digits")
            if (f.url is None) == (f.path is None):
                raise params.error(fkeys, "give exactly one of `url` or `path`")
        sources.append(source)
    return tuple(sources)
