"""One ONNX file for all categories: the shared TF-IDF computed once, then every category's MLP.

text [N, 1] -> each text's non-zero n-gram counts (ngram_counts.py: the tokenizer of the per-category files, then
vocabulary lookups, no dense [N, vocabulary] matrix) -> one sparse gather of all first layers (F x 600K, less the
hidden units that can never activate: prune.py) -> ReLU, then per head its remaining layers as MatMuls ->
`probabilities` [N, K] (sigmoid of each head's output: the positive-class probability) and `labels` [N, K]
(probability > that category's threshold). Categories and thresholds are in the metadata.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from toxsynth import __version__
from toxsynth.classifier.features import TOKEN_PATTERN
from toxsynth.classifier.ngram_counts import ML, MS, count_nodes
from toxsynth.classifier.prune import pruned_layers
from toxsynth.classifier.sparse_layer import frequent_first, weighted_sum


def shared_vectorizer(pipelines: list[Pipeline]) -> TfidfVectorizer:
    """The one TF-IDF all pipelines use; an error when they differ (a bundle computes the features once)."""
    first = pipelines[0].named_steps["tfidf"]
    for p in pipelines[1:]:
        other = p.named_steps["tfidf"]
        if other.vocabulary_ != first.vocabulary_ or not np.array_equal(other.idf_, first.idf_):
            raise ValueError("the detectors do not share one TF-IDF: retrain them on the features stage's output")
    return first


def _pruned_heads(pipelines: list[Pipeline]) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Per head, its layers without the hidden units that never activate (prune.py: the same function)."""
    mlps = [p.named_steps["mlp"] for p in pipelines]
    if any(m.activation != "relu" or m.out_activation_ != "logistic" for m in mlps):
        raise ValueError("a bundle needs ReLU MLPs with one logistic output (binary detectors)")
    return [[(w.astype(np.float32), b.astype(np.float32)) for w, b in pruned_layers(m)] for m in mlps]


def build_bundle(pipelines: dict[str, Pipeline], thresholds: dict[str, float], meta: dict,
                 opset: int, dense_ngrams: int = 0) -> onnx.ModelProto:
    categories = list(pipelines)
    heads = [pipelines[c] for c in categories]
    vectorizer = shared_vectorizer(heads)
    settings = {"token_pattern": TOKEN_PATTERN, "sublinear_tf": False, "ngram_range": (1, 2), "lowercase": True,
                "analyzer": "word", "stop_words": None, "strip_accents": None, "norm": "l2", "use_idf": True}
    differ = {key: getattr(vectorizer, key) for key, value in settings.items() if getattr(vectorizer, key) != value}
    if differ:
        raise ValueError(f"the shared TF-IDF cannot be bundled with parity: {differ} (supported: {settings})")
    graph = helper.make_graph([], "toxsynth_bundle", [helper.make_tensor_value_info("text", TensorProto.STRING,
                                                                                    [None, 1])], [])

    def const(name: str, value: np.ndarray) -> str:
        graph.initializer.append(numpy_helper.from_array(value, name))
        return name

    k, layers = len(heads), _pruned_heads(heads)
    widths = [head[0][0].shape[1] for head in layers]
    idf = vectorizer.idf_.astype(np.float32)
    dense_ngrams = min(dense_ngrams, len(idf))
    order = frequent_first(idf, dense_ngrams)  # new column j is the vectorizer's column order[j]
    new_of_old = np.argsort(order)
    columns = {term: int(new_of_old[old]) for term, old in vectorizer.vocabulary_.items()}
    first = np.concatenate([head[0][0] for head in layers], axis=1)[order]
    b1 = const("bundle_b1", np.concatenate([head[0][1] for head in layers]))
    nodes = count_nodes(graph, "text", columns, "bundle_sparse_", dense_ngrams)
    nodes += weighted_sum(graph, const("bundle_sparse_idf_column", idf[order]), idf[order], first, "bundle_h1_raw",
                          "bundle_sparse_", dense_ngrams)
    nodes += [helper.make_node("Add", ["bundle_h1_raw", b1], ["bundle_h1_lin"]),
              helper.make_node("Relu", ["bundle_h1_lin"], ["bundle_h1"]),
              helper.make_node("Split", ["bundle_h1", const("bundle_widths", np.array(widths))],
                               [f"bundle_head{j}_h1" for j in range(k)], axis=1)]  # [N, live units] per head
    outputs = []
    for j, head in enumerate(layers):
        current = f"bundle_head{j}_h1"
        for i, (weights, bias) in enumerate(head[1:], start=2):
            name = f"bundle_head{j}_"
            w, b = const(f"{name}w{i}", weights), const(f"{name}b{i}", bias)
            nodes += [helper.make_node("MatMul", [current, w], [f"{name}mm{i}"]),
                      helper.make_node("Add", [f"{name}mm{i}", b], [f"{name}lin{i}"])]
            last = i == len(head)
            nodes.append(helper.make_node("Sigmoid" if last else "Relu", [f"{name}lin{i}"], [f"{name}h{i}"]))
            current = f"{name}h{i}"
        outputs.append(current)  # [N, 1]
    cut = const("bundle_thresholds", np.array([thresholds[c] for c in categories], dtype=np.float32))
    nodes += [helper.make_node("Concat", outputs, ["probabilities"], axis=1),
              helper.make_node("Greater", ["probabilities", cut], ["bundle_positive"]),
              helper.make_node("Cast", ["bundle_positive"], ["labels"], to=TensorProto.INT64)]
    graph.node.extend(nodes)
    graph.output.extend([helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, k]),
                         helper.make_tensor_value_info("labels", TensorProto.INT64, [None, k])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset), helper.make_opsetid(ML, 3),
                                                    helper.make_opsetid(MS, 1)])
    graph = model.graph
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
