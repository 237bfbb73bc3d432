"""The bundle's sparse n-gram counts equal scikit-learn's, text by text, edge cases included."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper
from sklearn.feature_extraction.text import CountVectorizer

from toxsynth.classifier.features import TOKEN_PATTERN
from toxsynth.classifier.ngram_counts import ML, MS, count_nodes

VOCABULARY = ["rain", "awful", "the", "rain is", "is", "the rain", "is awful", "cold", "wind", "cold wind", "train"]
TEXTS = ["the rain is awful", "The RAIN, the rain... is AWFUL!", "", "   ", "rain rain rain", "cold fog wind",
         "cold wind cold wind", "naïve café 😀 rain", "the_train trains train", "x" * 3000 + " rain",
         "is awful is awful is awful", "a b c d"]


def sparse_counts(texts: list[str], vocabulary: list[str], dense: int) -> tuple[np.ndarray, np.ndarray]:
    """(counts rebuilt as a dense matrix from the graph's triplets, the graph's dense frequent block)."""
    columns = {term: i for i, term in enumerate(vocabulary)}
    graph = helper.make_graph([], "t", [helper.make_tensor_value_info("text", TensorProto.STRING, [None, 1])], [])
    graph.node.extend(count_nodes(graph, "text", columns, "c_", dense))
    names = ["c_texts", "c_ngrams", "c_tf"] + (["c_frequent_counts"] if dense else [])
    kinds = {"c_tf": TensorProto.FLOAT, "c_frequent_counts": TensorProto.FLOAT}
    graph.output.extend(helper.make_tensor_value_info(n, kinds.get(n, TensorProto.INT64), None) for n in names)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid(ML, 3),
                                                    helper.make_opsetid(MS, 1)])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    out = session.run(names, {"text": np.array(texts, dtype=object).reshape(-1, 1)})
    counts = np.zeros((len(texts), len(vocabulary)))
    np.add.at(counts, (out[0], out[1]), out[2])
    return counts, (out[3] if dense else None)


@pytest.mark.parametrize("dense", [0, 3])
def test_counts_match_scikit_learn(dense):
    counts, frequent = sparse_counts(TEXTS, VOCABULARY, dense)
    expected = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2),
                               vocabulary={t: i for i, t in enumerate(VOCABULARY)}).transform(TEXTS).toarray()
    np.testing.assert_array_equal(counts, expected)
    if dense:
        np.testing.assert_array_equal(frequent, expected[:, :dense])


def test_a_bigram_needs_neighbouring_tokens():
    """'cold fog wind' has both words of 'cold wind' but not side by side; an unknown word between them breaks it."""
    counts, _ = sparse_counts(["cold fog wind", "cold wind"], VOCABULARY, 0)
    assert counts[0, VOCABULARY.index("cold wind")] == 0 and counts[1, VOCABULARY.index("cold wind")] == 1


def test_texts_without_tokens():
    """(An empty batch never reaches the graph: onnxruntime's string normalizer refuses it, so Detector answers it.)"""
    counts, frequent = sparse_counts(["", "!!", "é"], VOCABULARY, 2)
    assert not counts.any() and frequent.shape == (3, 2) and not frequent.any()


def test_bigram_words_must_be_unigrams():
    with pytest.raises(ValueError, match="not unigrams"):
        sparse_counts(["x"], ["rain", "rain is"], 0)
