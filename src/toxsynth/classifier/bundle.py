"""One ONNX file for all categories: the shared TF-IDF computed once, then every category's MLP as one batched head.

text [N, 1] -> n-gram counts (skl2onnx's tokenizer, as in the per-category files) -> one sparse gather of all
first layers (F x 600K) -> per head: ReLU, then the remaining layers as batched MatMuls over [K, N, 600] ->
`probabilities` [N, K] (sigmoid of each head's output: the positive-class probability) and `labels` [N, K]
(probability > that category's threshold). Categories and thresholds are in the metadata.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from skl2onnx import to_onnx
from skl2onnx.common.data_types import StringTensorType
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from toxsynth import __version__
from toxsynth.classifier.features import TOKEN_PATTERN
from toxsynth.classifier.sparse_layer import sparse_product, tfidf_inputs


def shared_vectorizer(pipelines: list[Pipeline]) -> TfidfVectorizer:
    """The one TF-IDF all pipelines use; an error when they differ (a bundle computes the features once)."""
    first = pipelines[0].named_steps["tfidf"]
    for p in pipelines[1:]:
        other = p.named_steps["tfidf"]
        if other.vocabulary_ != first.vocabulary_ or not np.array_equal(other.idf_, first.idf_):
            raise ValueError("the detectors do not share one TF-IDF: retrain them on the features stage's output")
    return first


def _layers(pipelines: list[Pipeline]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per layer after the first: weights stacked [K, in, out] and biases [K, 1, out]."""
    mlps = [p.named_steps["mlp"] for p in pipelines]
    if any(m.activation != "relu" or m.out_activation_ != "logistic" for m in mlps):
        raise ValueError("a bundle needs ReLU MLPs with one logistic output (binary detectors)")
    if len({tuple(w.shape for w in m.coefs_) for m in mlps}) != 1:
        raise ValueError("a bundle needs MLPs of one shape")
    return [(np.stack([m.coefs_[i] for m in mlps]).astype(np.float32),
             np.stack([m.intercepts_[i][None, :] for m in mlps]).astype(np.float32))
            for i in range(1, len(mlps[0].coefs_))]


def build_bundle(pipelines: dict[str, Pipeline], thresholds: dict[str, float], meta: dict,
                 opset: int, dense_ngrams: int = 0) -> onnx.ModelProto:
    categories = list(pipelines)
    heads = [pipelines[c] for c in categories]
    vectorizer = shared_vectorizer(heads)
    options = {TfidfVectorizer: {"tokenexp": TOKEN_PATTERN, "locale": "C"}}
    model = to_onnx(vectorizer, initial_types=[("text", StringTensorType([None, 1]))], options=options,
                    target_opset=opset)
    graph = model.graph
    counter, _, idf = tfidf_inputs(graph)
    keep = list(graph.node)[: list(graph.node).index(counter) + 1]  # normalizer, tokenizer, n-gram counts
    del graph.node[:], graph.output[:]
    graph.node.extend(keep)

    def const(name: str, value: np.ndarray) -> str:
        graph.initializer.append(numpy_helper.from_array(value, name))
        return name

    k, hidden = len(heads), heads[0].named_steps["mlp"].coefs_[0].shape[1]
    mlps = [p.named_steps["mlp"] for p in heads]
    first = const("bundle_w1", np.concatenate([m.coefs_[0] for m in mlps], axis=1).astype(np.float32))
    b1 = const("bundle_b1", np.concatenate([m.intercepts_[0] for m in mlps]).astype(np.float32))
    nodes = sparse_product(graph, counter.output[0], idf, first, "bundle_h1_raw", prefix="bundle_sparse_",
                           dense_ngrams=dense_ngrams)
    nodes += [helper.make_node("Add", ["bundle_h1_raw", b1], ["bundle_h1_lin"]),
              helper.make_node("Relu", ["bundle_h1_lin"], ["bundle_h1_flat"]),
              helper.make_node("Reshape", ["bundle_h1_flat", const("bundle_shape", np.array([-1, k, hidden]))],
                               ["bundle_h1_nkh"]),
              helper.make_node("Transpose", ["bundle_h1_nkh"], ["bundle_h1"], perm=[1, 0, 2])]  # [K, N, hidden]
    current, layers = "bundle_h1", _layers(heads)
    for i, (weights, bias) in enumerate(layers, start=2):
        w, b = const(f"bundle_w{i}", weights), const(f"bundle_b{i}", bias)
        nodes += [helper.make_node("MatMul", [current, w], [f"bundle_mm{i}"]),
                  helper.make_node("Add", [f"bundle_mm{i}", b], [f"bundle_lin{i}"])]
        last = i == len(layers) + 1
        nodes.append(helper.make_node("Sigmoid" if last else "Relu", [f"bundle_lin{i}"], [f"bundle_h{i}"]))
        current = f"bundle_h{i}"
    cut = const("bundle_thresholds", np.array([thresholds[c] for c in categories], dtype=np.float32))
    nodes += [helper.make_node("Squeeze", [current, const("bundle_axis2", np.array([2]))], ["bundle_kn"]),
              helper.make_node("Transpose", ["bundle_kn"], ["probabilities"], perm=[1, 0]),
              helper.make_node("Greater", ["probabilities", cut], ["bundle_positive"]),
              helper.make_node("Cast", ["bundle_positive"], ["labels"], to=TensorProto.INT64)]
    graph.node.extend(nodes)
    graph.output.extend([helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, k]),
                         helper.make_tensor_value_info("labels", TensorProto.INT64, [None, k])])
    used = {i for n in graph.node for i in n.input}
    for init in [i for i in graph.initializer if i.name not in used]:
        graph.initializer.remove(init)
    model.doc_string = ("toxsynth detector bundle: text -> probabilities [N, K] (positive class, columns in the "
                        "`categories` metadata order) and labels [N, K] (probability > the category's threshold)")
    onnx.helper.set_model_props(model, {"categories": json.dumps(categories),
                                        "thresholds": json.dumps([thresholds[c] for c in categories]),
                                        "toxsynth_version": __version__, **meta})
    onnx.checker.check_model(model)
    return model
