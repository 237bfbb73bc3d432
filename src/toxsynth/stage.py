"""Shared entry-point wrapper for stage scripts: logging, and bad input -> one clear line and exit code 2."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from toxsynth.errors import InputError


def run(main: Callable[[], int | None]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        code = main() or 0
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        code = 2
    sys.exit(code)
