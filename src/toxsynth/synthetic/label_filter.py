"""Label-consistency filter: keep a synthetic record only when the real-data (baseline) detector agrees with its label.

A synthetic positive stays when the baseline detector of its category gives it at least `min_pos_prob`, a negative
when it gives at most `max_neg_prob`; `auto` is that detector's own decision threshold, chosen on validation rows
carved from the real train split. Removed records keep their text and gain `baseline_prob` and `reason`: they go to
a file, never to a log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toxsynth import LABEL_NAMES
from toxsynth.config import FieldError


@dataclass(frozen=True)
class FilterParams:
    enabled: bool = True
    min_pos_prob: float | str = "auto"  # keep positives scored >= this; auto: the baseline's threshold
    max_neg_prob: float | str = "auto"  # keep negatives scored <= this; auto: the baseline's threshold

    def __post_init__(self):
        for name in ("min_pos_prob", "max_neg_prob"):
            value = getattr(self, name)
            if value != "auto" and not (isinstance(value, (int, float)) and 0 <= value <= 1):
                raise FieldError(name, f"{name} must be 'auto' or a probability in [0, 1], got {value!r}")

    def cuts(self, threshold: float) -> tuple[float, float]:
        """(min_pos_prob, max_neg_prob) for a detector whose decision threshold is `threshold`."""
        return tuple(threshold if v == "auto" else float(v) for v in (self.min_pos_prob, self.max_neg_prob))


Scorer = Callable[[list[str]], list[float]]  # texts -> probability of the category


def positive_probability(model) -> Scorer:
    """The scorer of a fitted binary scikit-learn pipeline: its positive-class probability per text."""
    return lambda texts: model.predict_proba(texts)[:, 1].tolist()


def label_filter(synthetic: list[dict], detectors: dict[str, tuple[Scorer, float]],
                 params: FilterParams) -> tuple[list[dict], list[dict], dict]:
    """(kept, removed, report) for the records of the categories in `detectors` (category -> (scorer, threshold)).

    The report has, per category and label, the records scored, kept and removed, and the cuts applied."""
    kept, removed, report = [], [], {}
    for category, (scorer, threshold) in detectors.items():
        rows = [r for r in synthetic if r["category"] == category]
        min_pos, max_neg = params.cuts(threshold)
        probs = scorer([r["text"] for r in rows]) if rows else []
        counts = {name: {"scored": 0, "kept": 0, "removed": 0} for name in LABEL_NAMES.values()}
        for record, prob in zip(rows, probs):
            ok = prob >= min_pos if record["label"] == 1 else prob <= max_neg
            name = LABEL_NAMES[record["label"]]
            counts[name]["scored"] += 1
            counts[name]["kept" if ok else "removed"] += 1
            if ok:
                kept.append(record)
            else:
                reason = "filter_low_probability" if record["label"] == 1 else "filter_high_probability"
                removed.append({**record, "baseline_prob": round(float(prob), 6), "reason": reason})
        report[category] = {**counts, "min_pos_prob": round(min_pos, 6), "max_neg_prob": round(max_neg, 6)}
    return kept, removed, report
