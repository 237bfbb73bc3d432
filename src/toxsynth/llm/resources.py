"""Small shared helpers for the LLM stages: peak memory, deterministic seeds, and this process's place in a
multi-process launch (accelerate launch / torchrun)."""

from __future__ import annotations

import hashlib
import os
import resource


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def derived_seed(*parts) -> int:
    """A 31-bit seed from any parts, stable across runs and machines (never Python's hash())."""
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16) & 0x7FFFFFFF


def launch_rank() -> tuple[int, int, int]:
    """(rank, local rank, world size) that accelerate launch or torchrun set; (0, 0, 1) in a plain `python` run."""
    env = os.environ
    return int(env.get("RANK", 0)), int(env.get("LOCAL_RANK", 0)), int(env.get("WORLD_SIZE", 1))
