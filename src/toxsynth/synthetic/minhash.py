"""Near-duplicate search with MinHash LSH (datasketch) over word shingles, within a set or against a reference.

A text without a single word (emoji, punctuation) has no shingles, so it is nobody's near duplicate: without this
rule all such texts would share one empty shingle and match each other. Exact duplicates are caught before this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from toxsynth.config import FieldError, in_range

WORD = re.compile(r"\w+")
CHUNK = 4096  # texts hashed at a time: bounds memory on large reference sets


@dataclass(frozen=True)
class MinHashParams:
    shingle_words: int = 3  # a shingle is this many consecutive words
    threshold: float = 0.7  # estimated Jaccard similarity of shingle sets at which two texts are near duplicates
    permutations: int = 128  # MinHash signature length: more is more precise and slower

    def __post_init__(self):
        in_range(self, "(0, 1]", "threshold")
        in_range(self, "[1, inf)", "shingle_words")
        in_range(self, "[16, inf)", "permutations")
        try:  # datasketch refuses some threshold/permutations pairs (fewer than two LSH bands): say so up front
            MinHashLSH(threshold=self.threshold, num_perm=self.permutations)
        except ValueError as e:
            raise FieldError("threshold", f"threshold {self.threshold} with {self.permutations} permutations: {e}") \
                from None


def words(text: str) -> list[str]:
    """Lower-cased word tokens; the same tokenizer serves dedup shingles and the diversity measures."""
    return WORD.findall(text.lower())


def shingles(text: str, size: int) -> list[bytes]:
    """The text's distinct word n-grams of `size` words; a shorter text is one shingle of all its words."""
    tokens = words(text)
    if len(tokens) <= size:
        return [" ".join(tokens).encode()]
    return sorted({" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)})


class Signer:
    """MinHash signatures with fixed permutations (from the seed), so the same text always gets the same one."""

    def __init__(self, params: MinHashParams, seed: int):
        self.params, self.seed = params, seed

    def sign(self, texts: list[str]) -> list[MinHash]:
        return MinHash.bulk([shingles(t, self.params.shingle_words) for t in texts],
                            num_perm=self.params.permutations, seed=self.seed)

    def lsh(self) -> MinHashLSH:
        return MinHashLSH(threshold=self.params.threshold, num_perm=self.params.permutations)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity that two signatures estimate."""
    return float(np.mean(a == b))


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[tuple[int, Sequence]]:
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def within(texts: list[str], signer: Signer) -> dict[int, tuple[int, float]]:
    """For each text that nearly duplicates an earlier kept text: its index -> (that text's index, similarity).

    Texts are taken in order and only kept texts enter the index, so the first of a group is the one kept.
    Candidates from LSH are confirmed on the signatures; the most similar (then the earliest) wins.
    """
    lsh, kept, found = signer.lsh(), {}, {}
    for start, chunk in chunks(texts):
        for offset, minhash in enumerate(signer.sign(chunk)):
            i = start + offset
            if not words(texts[i]):
                continue
            match = best(minhash.hashvalues, lsh.query(minhash), kept, signer.params.threshold)
            if match is None:
                lsh.insert(i, minhash)
                kept[i] = minhash.hashvalues
            else:
                found[i] = match
    return found


def against(texts: list[str], groups: list[str], reference: Sequence[tuple[str, str, frozenset[str]]],
            signer: Signer) -> dict[int, tuple[str, float]]:
    """For each text that nearly duplicates a reference text of its group: its index -> (reference id, similarity).

    `reference` yields (id, text, the groups it belongs to), e.g. the categories a real text is labeled in.
    The (small) text set is indexed and the (large) reference is streamed past it in chunks, so memory stays
    flat however big the reference is. The most similar reference text wins, ties going to the smallest id.
    """
    lsh, minhashes, found = signer.lsh(), signer.sign(texts), {}
    for i, minhash in enumerate(minhashes):
        if words(texts[i]):
            lsh.insert(i, minhash)
    if not texts:
        return found
    for _, chunk in chunks([r for r in reference if words(r[1])]):
        for (ref_id, _, ref_groups), minhash in zip(chunk, signer.sign([text for _, text, _ in chunk])):
            for i in lsh.query(minhash):
                score = similarity(minhashes[i].hashvalues, minhash.hashvalues)
                if score < signer.params.threshold or groups[i] not in ref_groups:
                    continue
                if i not in found or (-score, ref_id) < (-found[i][1], found[i][0]):
                    found[i] = (ref_id, score)
    return found


def near_any(texts: Sequence[str], reference: list[str], signer: Signer) -> set[int]:
    """Indices of the texts that nearly duplicate any reference text (candidates confirmed on the signatures).

    The mirror of `against`, for a small reference and many texts: the reference is indexed and the texts are
    streamed past it in chunks, so memory stays flat however many texts there are.
    """
    lsh, minhashes, found = signer.lsh(), signer.sign(reference), set()
    for j, minhash in enumerate(minhashes):
        if words(reference[j]):
            lsh.insert(j, minhash)
    for start, chunk in chunks(texts):
        for offset, minhash in enumerate(signer.sign(list(chunk))):
            if words(chunk[offset]) and any(similarity(minhashes[j].hashvalues, minhash.hashvalues) >= signer.params.threshold
                   for j in lsh.query(minhash)):
                found.add(start + offset)
    return found


def best(signature: np.ndarray, candidates: Iterable[int], kept: dict[int, np.ndarray],
         threshold: float) -> tuple[int, float] | None:
    scored = [(similarity(kept[j], signature), -j) for j in candidates]
    scored = [s for s in scored if s[0] >= threshold]
    if not scored:
        return None
    score, neg_j = max(scored)
    return -neg_j, score

