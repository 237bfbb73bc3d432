"""reports/dedup.json: the paper's duplication measures (its Table 6) per category x label x template."""

from __future__ import annotations

from collections import Counter, defaultdict

from toxsynth import LABEL_NAMES

# Every removal reason, in the order dedup checks them.
REASONS = ("exact_synthetic", "near_synthetic", "conflicting_labels", "exact_eval", "near_eval", "exact_train",
           "near_train", "semantic_synthetic", "semantic_eval")
WITHIN = ("exact_synthetic", "near_synthetic", "semantic_synthetic")  # the duplicates the paper counts


def dedup_report(records: list[dict], why: dict[int, dict]) -> dict:
    """{category: {pos|neg: {template: measures}}, plus "total" per category and overall."""
    prompt_of = {r["id"]: r["prompt_id"] for r in records}
    cells = defaultdict(list)
    for i, record in enumerate(records):
        cells[(record["category"], LABEL_NAMES[record["label"]], record["template"])].append(i)
    report: dict = {}
    for (category, label, template), indices in sorted(cells.items()):
        report.setdefault(category, {}).setdefault(label, {})[template] = measures(records, indices, why, prompt_of)
    for category in report:
        indices = [i for i, r in enumerate(records) if r["category"] == category]
        report[category]["total"] = measures(records, indices, why, prompt_of)
    report["total"] = measures(records, list(range(len(records))), why, prompt_of)
    return report


def measures(records: list[dict], indices: list[int], why: dict[int, dict], prompt_of: dict[str, str]) -> dict:
    """Duplication rate, number of duplicates, mean duplicates per prompt, and removals by reason."""
    reasons = Counter(why[i]["reason"] for i in indices if i in why)
    duplicates = sum(reasons[r] for r in WITHIN)
    same_prompt = sum(1 for i in indices if i in why and why[i]["reason"] in WITHIN
                      and prompt_of.get(why[i]["duplicate_of"]) == records[i]["prompt_id"])
    prompts = len({records[i]["prompt_id"] for i in indices})
    return {
        "generated": len(indices),
        "unique": len(indices) - sum(reasons.values()),
        "duplicates": duplicates,
        "duplication_rate": round(duplicates / len(indices), 4) if indices else 0.0,
        "prompts": prompts,
        "mean_duplicates_per_prompt": round(duplicates / prompts, 4) if prompts else 0.0,
        "duplicates_same_prompt": same_prompt,
        "removed": {reason: reasons[reason] for reason in REASONS},
    }
