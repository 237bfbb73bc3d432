"""Small shared helpers for the LLM stages: peak memory and deterministic seeds."""

from __future__ import annotations

import hashlib
import resource


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def derived_seed(*parts) -> int:
    """A 31-bit seed from any parts, stable across runs and machines (never Python's hash())."""
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16) & 0x7FFFFFFF
