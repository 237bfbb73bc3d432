"""Dedup generated records: exact and near duplicates within the synthetic set, then against real eval and train.

Every removed record keeps its fields and gains `reason`, `duplicate_of` (the id it repeats) and `similarity`.
The first record of a group, in file order, is the one kept, so the same input always gives the same output.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from toxsynth.data.normalize import dedup_key
from toxsynth.synthetic import minhash, semantic
from toxsynth.synthetic.minhash import MinHashParams, Signer
from toxsynth.synthetic.report import dedup_report
from toxsynth.synthetic.semantic import SemanticParams

SYNTHETIC_KEYS = ("id", "text", "label", "category", "template", "prompt_id")


@dataclass(frozen=True)
class DedupParams:
    minhash: MinHashParams = field(default_factory=MinHashParams)
    against_train: bool = True  # drop synthetic text that repeats the category's real train text (it adds nothing)
    semantic: SemanticParams = field(default_factory=SemanticParams)
    # There is no switch for the eval check: synthetic text that (nearly) repeats an eval text is always removed.


class Removals:
    """Which record indices are removed, why, and which record they duplicate; the first reason found stands.

    Checks run in the order of report.REASONS: eval before train, so every leak is counted as one.
    """

    def __init__(self):
        self.why: dict[int, dict] = {}

    def add(self, i: int, reason: str, duplicate_of: str, similarity: float) -> None:
        self.why.setdefault(i, {"reason": reason, "duplicate_of": duplicate_of, "similarity": round(similarity, 4)})

    def live(self, indices: list[int]) -> list[int]:
        return [i for i in indices if i not in self.why]


def dedup(synthetic: list[dict], train: list[dict], evals: list[dict], params: DedupParams, seed: int,
          embedder: semantic.Embedder | None = None) -> tuple[list[dict], list[dict], dict]:
    """(unique records, removed records, reports/dedup.json) for the generated records."""
    removals, signer = Removals(), Signer(params.minhash, seed)
    keys = [dedup_key(record["text"]) for record in synthetic]
    by_category = defaultdict(list)
    for i, record in enumerate(synthetic):
        by_category[record["category"]].append(i)
    for indices in by_category.values():
        within_synthetic(synthetic, keys, indices, removals, signer)
    every_category = frozenset(by_category)
    eval_ref = reference(evals, lambda _: every_category)
    against_real(synthetic, keys, removals, signer, eval_ref, "eval")
    if params.against_train:
        against_real(synthetic, keys, removals, signer, reference(train, frozenset), "train")
    if params.semantic.enabled:
        embedder = embedder or semantic.Embedder(params.semantic.batch_size)
        semantic_checks(synthetic, by_category, list(eval_ref.values()), removals, embedder,
                        params.semantic.threshold)
    unique = [r for i, r in enumerate(synthetic) if i not in removals.why]
    removed = [{**synthetic[i], **removals.why[i]} for i in sorted(removals.why)]
    return unique, removed, dedup_report(synthetic, removals.why)


def within_synthetic(records: list[dict], keys: list[str], indices: list[int], removals: Removals,
                     signer: Signer) -> None:
    """Exact, then near duplicates inside one category; a text written as both labels is dropped entirely."""
    first = {}
    for i in indices:
        if keys[i] in first:
            removals.add(i, "exact_synthetic", records[first[keys[i]]]["id"], 1.0)
            if records[i]["label"] != records[first[keys[i]]]["label"]:
                removals.add(first[keys[i]], "conflicting_labels", records[i]["id"], 1.0)
        else:
            first[keys[i]] = i
    live = removals.live(indices)
    for k, (j, score) in minhash.within([records[i]["text"] for i in live], signer).items():
        removals.add(live[k], "near_synthetic", records[live[j]]["id"], score)


def reference(records: list[dict], groups_of) -> dict[str, tuple[str, str, frozenset[str]]]:
    """Real texts once each: normalized text -> (smallest id, text, the categories a match may come from).

    Prepared text is already normalized (prepare writes normalize(text)), so case-folding gives its dedup_key.
    """
    by_key: dict[str, tuple[str, str, set]] = {}
    for record in sorted(records, key=lambda r: r["id"]):
        entry = by_key.setdefault(record["text"].casefold(), (record["id"], record["text"], set()))
        entry[2].add(record["category"])
    return {key: (ref_id, text, groups_of(categories)) for key, (ref_id, text, categories) in by_key.items()}


def against_real(records: list[dict], keys: list[str], removals: Removals, signer: Signer,
                 real: dict[str, tuple[str, str, frozenset[str]]], split: str) -> None:
    """Exact, then near matches of the live synthetic records against one real split."""
    for i in removals.live(range(len(records))):
        ref_id, _, groups = real.get(keys[i], (None, None, ()))
        if records[i]["category"] in groups:
            removals.add(i, f"exact_{split}", ref_id, 1.0)
    live = removals.live(range(len(records)))
    found = minhash.against([records[i]["text"] for i in live], [records[i]["category"] for i in live],
                            list(real.values()), signer)
    for k, (ref_id, score) in found.items():
        removals.add(live[k], f"near_{split}", ref_id, score)


def semantic_checks(records: list[dict], by_category: dict[str, list[int]],
                    eval_ref: list[tuple[str, str, frozenset[str]]], removals: Removals, embedder: semantic.Embedder,
                    threshold: float) -> None:
    """Paraphrases: within each category, and against every real eval text (any category, as for MinHash)."""
    eval_vectors = embedder.encode([text for _, text, _ in eval_ref])
    for indices in by_category.values():
        live = removals.live(indices)
        vectors = embedder.encode([records[i]["text"] for i in live])
        for k, (j, score) in semantic.within(vectors, threshold).items():
            removals.add(live[k], "semantic_synthetic", records[live[j]]["id"], score)
        for k, (j, score) in semantic.against(vectors, eval_vectors, threshold).items():
            removals.add(live[k], "semantic_eval", eval_ref[j][0], score)

