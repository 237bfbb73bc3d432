"""The one error type for bad input: it names the file, the line (or row) and the reason."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input data or parameters; printed as `path:line: reason` and the stage exits non-zero."""

    def __init__(self, path: str | Path, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")
