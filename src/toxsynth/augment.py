"""Build the augmented training set: the real train split plus unique synthetic records, per category."""

from __future__ import annotations

from collections import Counter


def augment(real: list[dict], synthetic: list[dict], categories: tuple[str, ...]) -> tuple[list[dict], dict]:
    """Real + synthetic records (each keeps its `source`), and a report of what each category got."""
    records = [r for r in real if r["category"] in categories] + [r for r in synthetic if r["category"] in categories]
    counts = Counter((r["category"], "synthetic" if r["source"].startswith("synthetic") else "real", r["label"])
                     for r in records)
    report = {}
    for category in categories:
        report[category] = {kind: {"pos": counts[(category, kind, 1)], "neg": counts[(category, kind, 0)]}
                            for kind in ("real", "synthetic")}
        if not any(counts[(category, "synthetic", label)] for label in (0, 1)):
            report[category]["note"] = "no synthetic records: the augmented set equals the real train set"
    return records, report
