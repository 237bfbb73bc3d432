"""Deterministic train / eval split of one category, stratified by label and grouped (a group never straddles)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str  # dedup key of the text
    label: int
    group: str  # rows with the same group go to the same split
    train_only: bool = False  # weak labels: never in eval


def eval_target(n_eligible: int, eval_size: int, eval_max_fraction: float) -> int:
    """The eval size: the requested number, capped by a fraction of the rows that may go to eval."""
    return min(eval_size, int(n_eligible * eval_max_fraction))


def _rank(seed: int, group: str) -> str:
    return hashlib.sha256(f"{seed}\x00{group}".encode()).hexdigest()


def split_eval(items: Sequence[Item], eval_size: int, eval_max_fraction: float, seed: int) -> set[int]:
    """Indices of the items that go to eval.

    Each label gets a quota proportional to its share of the eligible items (stratification). Groups are
    visited in an order fixed by a hash of (seed, group) and taken whole while the quota of every label among their
    members lasts; a group that mixes labels counts each member under its own label.
    """
    eligible_groups: dict[str, list[int]] = defaultdict(list)
    blocked = {it.group for it in items if it.train_only}  # a group with weak rows stays in train whole
    for i, it in enumerate(items):
        if it.group not in blocked:
            eligible_groups[it.group].append(i)
    n_eligible = sum(len(v) for v in eligible_groups.values())
    target = eval_target(n_eligible, eval_size, eval_max_fraction)
    if target == 0:
        return set()
    by_label: dict[int, int] = defaultdict(int)
    for members in eligible_groups.values():
        for i in members:
            by_label[items[i].label] += 1
    quota = {label: round(target * n / n_eligible) for label, n in by_label.items()}
    chosen: set[int] = set()
    taken: dict[int, int] = defaultdict(int)
    for group in sorted(eligible_groups, key=lambda g: _rank(seed, g)):
        members = eligible_groups[group]
        labels = Counter(items[i].label for i in members)
        if all(taken[label] < quota[label] for label in labels):
            chosen.update(members)
            for label, n in labels.items():
                taken[label] += n
    return chosen
