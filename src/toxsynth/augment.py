"""Build the augmented training set: the real train split plus unique synthetic records, per category.

The share cap counts the real rows the detector will actually train on: `train.max_rows` caps them with the same
seeded sample the trainer draws (`cap_real_rows`), so `max_synthetic_share` bounds what is trained, not what is on disk.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from toxsynth.classifier.rows import cap_real_rows
from toxsynth.config import in_range, one_of
from toxsynth.synthetic.label_filter import FilterParams

BALANCES = ("none", "equal", "real_ratio")


@dataclass(frozen=True)
class AugmentParams:
    synthetic_negatives: bool = False  # the paper adds synthetic harmful text only
    max_synthetic_share: float = 0.5  # synthetic per label <= this x the real records of that label trained on
    label_balance: str = "none"  # among synthetic records: none | equal (as many pos as neg) | real_ratio (real pos:neg)
    filter: FilterParams = field(default_factory=FilterParams)  # label consistency (applied by the stage)

    def __post_init__(self):
        in_range(self, "[0, inf)", "max_synthetic_share")
        one_of(self, "label_balance", BALANCES)


def augment(real: list[dict], synthetic: list[dict], categories: tuple[str, ...], params: AugmentParams,
            seed: int, max_real_rows: int = 0) -> tuple[list[dict], dict]:
    """Real + chosen synthetic records (each keeps its `source`), and a report of what each category got.

    `max_real_rows` is `train.max_rows` (0: all): the cap is relative to the real rows the trainer will sample."""
    records, report = [r for r in real if r["category"] in categories], {}
    real_counts = Counter((r["category"], r["label"]) for r in records)
    trained = Counter((r["category"], r["label"]) for category in categories
                      for r in cap_real_rows([r for r in records if r["category"] == category], max_real_rows, seed))
    for category in categories:
        offered = {label: sorted((r for r in synthetic if r["category"] == category and r["label"] == label),
                                 key=lambda r: r["id"]) for label in (1, 0)}
        if not params.synthetic_negatives:
            offered[0] = []
        wanted = quotas({label: len(rs) for label, rs in offered.items()},
                        {label: trained[(category, label)] for label in (1, 0)}, params)
        chosen = {label: random.Random(f"{seed}:{category}:{label}").sample(offered[label], wanted[label])
                  for label in (1, 0)}
        for label in (1, 0):
            records += sorted(chosen[label], key=lambda r: r["id"])
        report[category] = category_report(category, synthetic, real_counts, trained, chosen, params)
    return records, report


def quotas(available: dict[int, int], real: dict[int, int], params: AugmentParams) -> dict[int, int]:
    """How many synthetic records of each label to take: the share cap first, then the label balance."""
    n = {label: min(available[label], int(params.max_synthetic_share * real[label])) for label in (1, 0)}
    if params.label_balance == "equal" and params.synthetic_negatives:
        n[1] = n[0] = min(n[1], n[0])
    elif params.label_balance == "real_ratio" and params.synthetic_negatives and real[1] and real[0]:
        # the largest pos/neg pair within the quotas whose ratio matches the real set's
        pos = min(n[1], int(n[0] * real[1] / real[0]))
        n = {1: pos, 0: min(n[0], round(pos * real[0] / real[1]))}
    return n


def category_report(category: str, synthetic: list[dict], real_counts: Counter, trained: Counter,
                    chosen: dict[int, list[dict]], params: AugmentParams) -> dict:
    """Counts per label; `synthetic_share` is the synthetic part of what is trained (capped real + synthetic)."""
    offered = Counter(r["label"] for r in synthetic if r["category"] == category)
    report = {
        "real": {"pos": real_counts[(category, 1)], "neg": real_counts[(category, 0)]},
        "real_trained": {"pos": trained[(category, 1)], "neg": trained[(category, 0)]},
        "synthetic_offered": {"pos": offered[1], "neg": offered[0]},
        "synthetic": {"pos": len(chosen[1]), "neg": len(chosen[0])},
    }
    total = sum(report["real_trained"].values()) + sum(report["synthetic"].values())
    report["synthetic_share"] = round(sum(report["synthetic"].values()) / total, 4) if total else 0.0
    for label, name in ((1, "pos"), (0, "neg")):
        n = report["real_trained"][name] + report["synthetic"][name]
        report[f"synthetic_share_{name}"] = round(report["synthetic"][name] / n, 4) if n else 0.0
    notes = []
    if not offered:
        notes.append("no unique synthetic records: the augmented set equals the real train set")
    if offered[0] and not params.synthetic_negatives:
        notes.append("synthetic negatives left out (augment.synthetic_negatives is false)")
    if params.label_balance != "none" and not params.synthetic_negatives:
        notes.append("label_balance has no effect without synthetic negatives")
    if notes:
        report["note"] = "; ".join(notes)
    return report
