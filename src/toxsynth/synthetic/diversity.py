"""Lexical diversity of a set of texts, the same code for synthetic and real: distinct-n, vocabulary, MTLD,
self-BLEU and (optionally) mean pairwise embedding distance. LLM-written toxic text tends to score low here."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

from toxsynth.synthetic.minhash import words
from toxsynth import LABEL_NAMES
from toxsynth.config import in_range


@dataclass(frozen=True)
class DiversityParams:
    self_bleu_sample: int = 100  # texts per self-BLEU score (each scored against the others): O(n^2)
    self_bleu_max_n: int = 4  # BLEU-4, uniform weights, NLTK smoothing method 1
    mtld_threshold: float = 0.72  # MTLD's type-token ratio at which a factor ends (McCarthy & Jarvis, 2010)
    embeddings: bool = False  # mean pairwise cosine distance with all-MiniLM-L6-v2 (slower)

    def __post_init__(self):
        in_range(self, "[2, inf)", "self_bleu_sample")
        in_range(self, "[1, inf)", "self_bleu_max_n")
        in_range(self, "(0, 1)", "mtld_threshold")


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def distinct(texts: list[list[str]], n: int) -> float:
    """Distinct n-grams over all n-grams in the set (n-grams do not cross text boundaries)."""
    grams = [g for tokens in texts for g in ngrams(tokens, n)]
    return len(set(grams)) / len(grams) if grams else 0.0


def mtld(tokens: Sequence[str], threshold: float = 0.72) -> float:
    """Measure of textual lexical diversity: the mean of a forward and a backward pass."""
    def one_pass(stream: Sequence[str]) -> float:
        factors, types, count = 0.0, set(), 0
        for token in stream:
            types.add(token)
            count += 1
            if len(types) / count <= threshold:
                factors, types, count = factors + 1, set(), 0
        if count:  # the unfinished factor counts in proportion to how far its TTR fell towards the threshold
            factors += (1 - len(types) / count) / (1 - threshold)
        return len(stream) / factors if factors else float(len(stream))

    return (one_pass(tokens) + one_pass(tokens[::-1])) / 2 if tokens else 0.0


def self_bleu(texts: list[list[str]], max_n: int = 4) -> float:
    """Mean BLEU of each text against all the others as references: 1.0 means every text repeats the rest."""
    texts = [t for t in texts if t]
    if len(texts) < 2:
        return 0.0
    weights, smooth = (1 / max_n,) * max_n, SmoothingFunction().method1
    scores = [sentence_bleu(texts[:i] + texts[i + 1:], hyp, weights=weights, smoothing_function=smooth)
              for i, hyp in enumerate(texts)]
    return float(np.mean(scores))


def embedding_distance(vectors: np.ndarray) -> float:
    """Mean cosine distance over all pairs of (L2-normalized) vectors."""
    n = len(vectors)
    if n < 2:
        return 0.0
    sims = vectors @ vectors.T
    return float(1 - (sims.sum() - np.trace(sims)) / (n * (n - 1)))


def measure(texts: list[str], params: DiversityParams, seed: int, embedder=None, bleu_texts: int | None = None) -> dict:
    """The measures of one set; self-BLEU on a seeded sample of `bleu_texts` texts (default: self_bleu_sample)."""
    tokens = [words(t) for t in texts]
    sample = random.Random(seed).sample(tokens, min(len(tokens), bleu_texts or params.self_bleu_sample))
    result = {
        "texts": len(texts),
        "tokens": sum(map(len, tokens)),
        "distinct_1": distinct(tokens, 1), "distinct_2": distinct(tokens, 2), "distinct_3": distinct(tokens, 3),
        "vocabulary": len({w for t in tokens for w in t}),
        "mtld": mtld([w for t in tokens for w in t], params.mtld_threshold),
        "self_bleu": self_bleu(sample, params.self_bleu_max_n),
    }
    if embedder is not None:
        result["embedding_distance"] = embedding_distance(embedder.encode(texts))
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def diversity_report(synthetic: list[dict], real: list[dict], categories: tuple[str, ...], params: DiversityParams,
                     seed: int, embedder=None) -> dict:
    """{category: {pos|neg: {synthetic, real, ratio}}}; real is a seeded sample with as many tokens as the synthetic
    set (distinct-n falls as a set grows, so equal text counts would favour whichever side writes shorter texts)."""
    report: dict = {}
    for category in categories:
        for label, name in LABEL_NAMES.items():
            records = [r for r in synthetic if r["category"] == category and r["label"] == label]
            mine = [r["text"] for r in records]
            pool = sorted((r for r in real if r["category"] == category and r["label"] == label), key=lambda r: r["id"])
            if not mine:
                report.setdefault(category, {})[name] = {"note": "no unique synthetic records"}
                continue
            theirs = same_token_count(pool, sum(len(words(t)) for t in mine), seed)
            n = min(len(mine), len(theirs), params.self_bleu_sample)  # self-BLEU grows with the number of references
            cell = {side: measure(texts, params, seed, embedder, n) for side, texts in (("synthetic", mine),
                                                                                         ("real", theirs))}
            cell["ratio"] = {k: round(v / cell["real"][k], 4) if cell["real"][k] else None
                             for k, v in cell["synthetic"].items()}
            cell["by_template"] = by_template(records, pool, params, seed)
            report.setdefault(category, {})[name] = cell
    return report


def by_template(records: list[dict], pool: list[dict], params: DiversityParams, seed: int) -> dict:
    """Per template version (generation mode): synthetic / real ratios of distinct-1, distinct-2 and MTLD, each against
    its own real sample of as many tokens, so that modes can be compared side by side."""
    out = {}
    for template in sorted({r["template"] for r in records if r.get("template")}):
        texts = [r["text"] for r in records if r.get("template") == template]
        tokens = [words(t) for t in texts]
        real = [words(t) for t in same_token_count(pool, sum(map(len, tokens)), seed)]
        mine_m, real_m = ({"distinct_1": distinct(t, 1), "distinct_2": distinct(t, 2),
                           "mtld": mtld([w for x in t for w in x], params.mtld_threshold)} for t in (tokens, real))
        out[template] = {"texts": len(texts), **{f"{k}_ratio": round(v / real_m[k], 4) if real_m[k] else None
                                                 for k, v in mine_m.items()}}
    return out


def same_token_count(pool: list[dict], tokens: int, seed: int) -> list[str]:
    """Texts of a seeded shuffle of `pool`, the shortest prefix with at least `tokens` words (or all of them)."""
    texts, total = [], 0
    for r in random.Random(seed).sample(pool, len(pool)):
        if total >= tokens:
            break
        texts.append(r["text"])
        total += len(words(r["text"]))
    return texts


def distinct2_plot(report: dict) -> dict[str, list[dict]]:
    """Rows for the distinct-2 bar chart: one file per side, one row per category/label."""
    rows: dict[str, list[dict]] = {"synthetic": [], "real": []}
    for category, cells in report.items():
        for name, cell in cells.items():
            for side in rows:
                if side in cell:
                    rows[side].append({"set": f"{category}/{name}", "distinct_2": cell[side]["distinct_2"]})
    return rows
