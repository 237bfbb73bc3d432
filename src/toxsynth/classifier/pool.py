"""One job per category in a pool of processes (one thread each), the largest first, so no core idles while another
finishes hate; a job's result depends on its inputs only, not on the worker count (README: the same bytes on any
core count)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from joblib import Parallel, delayed

from toxsynth.stage import LOG_FORMAT


def _logged(function: Callable, *args):
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)  # a worker process starts without handlers
    return function(*args)


def map_categories(function: Callable, args: dict[str, tuple], sizes: dict[str, int],
                   workers: int | None = None) -> dict[str, object]:
    """{category: function(*args[category])}, run largest `sizes` first on `workers` processes (default: one per
    core); with one worker (or one category) in this process, with all its threads."""
    order = sorted(args, key=lambda c: (-sizes[c], c))
    workers = min(len(order), workers or os.cpu_count() or 1)
    results = Parallel(n_jobs=workers)(delayed(_logged)(function, *args[c]) for c in order)
    return dict(zip(order, results))
