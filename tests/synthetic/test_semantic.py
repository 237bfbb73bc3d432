"""Optional semantic dedup with the bundled all-MiniLM-L6-v2: paraphrases go, unrelated texts stay."""

from __future__ import annotations

import numpy as np
import pytest

from tests.synthetic.conftest import real, syn
from toxsynth.synthetic.dedup import DedupParams, dedup
from toxsynth.synthetic.semantic import Embedder, SemanticParams

CAT = "the cat sat on the mat all afternoon"
CAT_AGAIN = "all afternoon a cat was sitting on the mat"  # a paraphrase MinHash cannot see (1 shared shingle)
MARKETS = "stock markets fell sharply on monday morning"
GARDEN = "we planted tomatoes and basil in the back garden"


@pytest.fixture(scope="module")
def embedder():
    return Embedder(batch_size=2)


def test_embeddings_are_unit_vectors_and_paraphrases_are_close(embedder):
    vectors = embedder.encode([CAT, CAT_AGAIN, MARKETS])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.85 > 0.3 > vectors[0] @ vectors[2]


def test_semantic_dedup_removes_paraphrases_within_and_of_eval(embedder):
    params = DedupParams(semantic=SemanticParams(enabled=True, threshold=0.85))
    synthetic = [syn("a", CAT), syn("b", CAT_AGAIN), syn("c", GARDEN), syn("d", "on monday morning the stock markets fell sharply")]
    unique, removed, report = dedup(synthetic, [], [real("e", MARKETS, category="violence")], params, 1, embedder)
    assert [r["id"] for r in unique] == ["synthetic:a", "synthetic:c"]
    assert {r["id"]: (r["reason"], r["duplicate_of"]) for r in removed} == {
        "synthetic:b": ("semantic_synthetic", "synthetic:a"), "synthetic:d": ("semantic_eval", "real:e")}
    assert report["total"]["duplicates"] == 1  # the paper's duplicate count includes semantic ones


def test_semantic_dedup_is_off_by_default(embedder):
    unique, removed, _ = dedup([syn("a", CAT), syn("b", CAT_AGAIN)], [], [], DedupParams(), 1, embedder)
    assert len(unique) == 2 and removed == []
