"""Shared entry-point wrapper for stage scripts: logging to stderr, and a clear last line when a stage fails.

Bad input (InputError) is one line, `error: <file>:<line>: <reason>`, and exit code 2, without a traceback.
Any other exception is logged with its full traceback (to stderr, like every log line of the stage, so dvc and
CI show it), then the last line names the stage (the script's name: stages/train.py -> train) and the cause,
`error: stage train failed: KeyError: 'x' (traceback above)`, and the exit code is 1.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from toxsynth.errors import InputError

log = logging.getLogger(__name__)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def run(main: Callable[[], int | None]) -> None:
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        code = main() or 0
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        code = 2
    except Exception as e:
        name = Path(sys.argv[0]).stem
        log.exception("stage %s failed", name)
        cause = " ".join(str(e).split())
        print(f"error: stage {name} failed: {type(e).__name__}{': ' + cause if cause else ''} (traceback above)",
              file=sys.stderr)
        code = 1
    sys.exit(code)
