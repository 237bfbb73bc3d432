"""Rewrite TF-IDF weighting, L2 normalization and the first dense layer of the exported graph as sparse work.

skl2onnx's graph turns n-gram counts into a dense [N, F] tensor and then multiplies by IDF, L2-normalizes and
multiplies by the F x 600 first-layer weights, all densely: every call touches the whole vocabulary and reads
the whole weight matrix (24 MB for F = 10k), although a text has only a few dozen n-grams. This replaces

    counts -> Mul(idf) -> Normalizer(L2) -> Cast -> MatMul(W)

with: the non-zero counts (NonZero + GatherND), the rows of W of those n-grams (Gather) summed per text (ScatterND,
reduction="add"), divided by each text's L2 norm (computed from the TF-IDF values; 1 for a text without n-grams, as
scikit-learn does). The IDF is folded into W at export (row i of W times idf_i), so each n-gram's row is added as
it is, with no multiply over the [n-grams, hidden] rows; an n-gram counted c > 1 times adds its row c - 1 more
times in a second, small pass. The `dense_ngrams` most frequent n-grams (lowest IDF), which make up about half of
all non-zero counts, skip the gather: the TF-IDF operator's output columns are renumbered so that they come first,
and their counts (a Slice) go through one small dense MatMul, into which the other rows are scatter-added.
Normalizing after the product is the same number, (x / |x|) W = (x W) / |x|;
results match the dense graph to float rounding, and the export stage checks parity with scikit-learn on every
eval text.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

P = "sparse_"


def _consumer(graph: onnx.GraphProto, name: str, op_type: str) -> onnx.NodeProto:
    users = [n for n in graph.node if name in n.input]
    if len(users) != 1 or users[0].op_type != op_type:
        raise ValueError(f"unexpected graph: {name!r} should feed one {op_type}, feeds {[n.op_type for n in users]}")
    return users[0]


def _chain(graph: onnx.GraphProto) -> list[onnx.NodeProto]:
    """The Mul(idf) -> Normalizer -> Cast -> MatMul nodes after the TfIdfVectorizer, checked."""
    vectorizer = next(n for n in graph.node if n.op_type == "TfIdfVectorizer")
    mul = _consumer(graph, vectorizer.output[0], "Mul")
    normalizer = _consumer(graph, mul.output[0], "Normalizer")
    if helper.get_attribute_value(normalizer.attribute[0]) != b"L2":
        raise ValueError("only L2-normalized TF-IDF can be rewritten")
    cast = _consumer(graph, normalizer.output[0], "Cast")
    matmul = _consumer(graph, cast.output[0], "MatMul")
    return [vectorizer, mul, normalizer, cast, matmul]


def frequent_first(idf: np.ndarray, dense_ngrams: int) -> np.ndarray:
    """A column order with the `dense_ngrams` most frequent n-grams (lowest IDF) first, each part in column order:
    entry j is the old column of new column j."""
    frequent = np.sort(np.argsort(idf, kind="stable")[:dense_ngrams])
    return np.concatenate([frequent, np.setdiff1d(np.arange(len(idf)), frequent)])


def sparse_product(graph: onnx.GraphProto, counts: str, idf: str, weights: str, output: str,
                   prefix: str = P, dense_ngrams: int = 0) -> list[onnx.NodeProto]:
    """Nodes that compute L2-normalized(counts * idf) @ weights into `output`, reading only the weight rows of the
    n-grams each text contains, except the `dense_ngrams` most frequent ones (a dense product). `weights` is an
    initializer [F, H], replaced in `graph` by its IDF-scaled copy; with `dense_ngrams`, the columns of `counts`
    (its TfIdfVectorizer's ngram_indexes) and the `idf` initializer are renumbered in place, frequent n-grams first;
    constants are added to `graph`."""
    initializers = {i.name: i for i in graph.initializer}
    idf_column = numpy_helper.to_array(initializers[idf])
    order = frequent_first(idf_column, dense_ngrams)
    if dense_ngrams:
        _renumber_counts(graph, counts, order)
    idf_column = idf_column[order]  # new column j is old column order[j]
    initializers[idf].CopyFrom(numpy_helper.from_array(idf_column.astype(np.float32), idf))
    rows = numpy_helper.to_array(initializers[weights])[order]
    graph.initializer.remove(initializers[weights])

    def s(name: str) -> str:
        return prefix + name

    row, col = (_const(graph, prefix + name, value) for name, value in (("row", 0), ("col", 1)))
    nodes = [
        helper.make_node("NonZero", [counts], [s("nz")]),  # [2, M]: (text, n-gram) of every non-zero count
        helper.make_node("Transpose", [s("nz")], [s("nz_t")], perm=[1, 0]),
        helper.make_node("GatherND", [counts, s("nz_t")], [s("tf")]),  # [M] counts
        helper.make_node("Gather", [s("nz"), row], [s("texts")], axis=0),  # [M]
        helper.make_node("Gather", [s("nz"), col], [s("ngrams")], axis=0),  # [M]
        helper.make_node("Shape", [counts], [s("n")], start=0, end=1)]
    if dense_ngrams:  # the frequent n-grams' counts: the first columns
        nodes.append(helper.make_node("Slice", [counts, _const(graph, s("start"), [0]),
                                                _const(graph, s("dense"), [dense_ngrams]),
                                                _const(graph, s("axis1s"), [1])], [s("frequent_counts")]))
    return nodes + weighted_sum(graph, idf, idf_column, rows, output, prefix, dense_ngrams)


def _const(graph: onnx.GraphProto, name: str, value, dtype=np.int64) -> str:
    graph.initializer.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
    return name


def weighted_sum(graph: onnx.GraphProto, idf: str, idf_column: np.ndarray, rows: np.ndarray, output: str,
                 prefix: str, dense_ngrams: int) -> list[onnx.NodeProto]:
    """From the non-zero counts, as `prefix` + texts / ngrams / tf ([M]: text, column, count), n (the batch size, [1])
    and, with `dense_ngrams`, frequent_counts ([N, dense_ngrams]: the first columns' counts), the nodes that compute
    L2-normalized TF-IDF times `rows` ([F, H], in column order) into `output`. `idf` names the IDF initializer
    (`idf_column`, in column order); the IDF-scaled rows are added to `graph`."""
    hidden = rows.shape[1]
    scaled = idf_column.reshape(-1, 1) * rows
    graph.initializer.append(numpy_helper.from_array(scaled.astype(np.float32), prefix + "idf_weights"))

    def const(name: str, value, dtype=np.int64) -> str:
        return _const(graph, prefix + name, value, dtype)

    def node(op: str, inputs: list[str], out: str, **attrs) -> onnx.NodeProto:
        return helper.make_node(op, inputs, [output if out == output else prefix + out], **attrs)

    def s(name: str) -> str:
        return prefix + name

    zero = helper.make_tensor(prefix + "zero", TensorProto.FLOAT, [1], [0.0])
    nodes = [
        node("Gather", [idf, s("ngrams")], "idf"),
        node("Mul", [s("tf"), s("idf")], "tfidf"),  # [M] un-normalized TF-IDF values
        node("Unsqueeze", [s("texts"), const("axis1", [1])], "text_index"),  # [M, 1]
        # per-text L2 norm of the TF-IDF values
        node("ConstantOfShape", [s("n")], "zeros_n", value=zero),
        node("Mul", [s("tfidf"), s("tfidf")], "squares"),
        node("ScatterND", [s("zeros_n"), s("text_index"), s("squares")], "sum_squares", reduction="add"),
        node("Sqrt", [s("sum_squares")], "norm"),
        node("Equal", [s("norm"), const("zero_f", 0.0, np.float32)], "empty"),
        node("Where", [s("empty"), const("one_f", 1.0, np.float32), s("norm")], "safe_norm"),
        node("Unsqueeze", [s("safe_norm"), const("axis1b", [1])], "norm_col"),
    ]
    if dense_ngrams:  # the frequent n-grams' counts times their rows; the others are added into this
        nodes += [
            node("MatMul", [s("frequent_counts"), const("frequent_weights", scaled[:dense_ngrams], np.float32)],
                 "base"),
            node("GreaterOrEqual", [s("ngrams"), const("first_rare", dense_ngrams)], "rare"),
            node("Compress", [s("ngrams"), s("rare")], "ngrams_rest", axis=0),
            node("Compress", [s("text_index"), s("rare")], "text_index_rest", axis=0),
            node("Compress", [s("tf"), s("rare")], "tf_rest", axis=0)]
        rest = "_rest"
    else:
        nodes += [node("Concat", [s("n"), const("hidden", [hidden])], "out_shape", axis=0),
                  node("ConstantOfShape", [s("out_shape")], "base", value=zero)]
        rest = ""
    return nodes + [
        # first layer: each (remaining) n-gram's IDF-scaled weight row once per text ...
        node("Gather", [s("idf_weights"), s("ngrams" + rest)], "weight_rows", axis=0),  # [M, hidden]
        node("ScatterND", [s("base"), s("text_index" + rest), s("weight_rows")], "once", reduction="add"),
        # ... plus (count - 1) times more for the n-grams a text repeats
        node("Greater", [s("tf" + rest), s("one_f")], "repeated"),
        node("Compress", [s("ngrams" + rest), s("repeated")], "repeated_ngrams", axis=0),
        node("Compress", [s("text_index" + rest), s("repeated")], "repeated_texts", axis=0),
        node("Compress", [s("tf" + rest), s("repeated")], "repeated_tf", axis=0),
        node("Sub", [s("repeated_tf"), s("one_f")], "extra"),
        node("Unsqueeze", [s("extra"), const("axis1c", [1])], "extra_col"),
        node("Gather", [s("idf_weights"), s("repeated_ngrams")], "repeated_rows", axis=0),
        node("Mul", [s("repeated_rows"), s("extra_col")], "extra_terms"),
        node("ScatterND", [s("once"), s("repeated_texts"), s("extra_terms")], "raw", reduction="add"),
        node("Div", [s("raw"), s("norm_col")], output),
    ]


def _renumber_counts(graph: onnx.GraphProto, counts: str, order: np.ndarray) -> None:
    """Renumber the TF-IDF operator's output columns: new column j is old column order[j] (so a Slice, not a column
    Gather, takes the frequent n-grams' counts). Nothing else reads the counts."""
    attribute = _ngram_indexes(graph, counts)
    old_indexes = np.asarray(attribute.ints, dtype=np.int64)
    if int(old_indexes.max()) + 1 != len(order):
        raise ValueError(f"unexpected graph: {len(order)} IDF values for {int(old_indexes.max()) + 1} count columns")
    new_of_old = np.empty(len(order), dtype=np.int64)
    new_of_old[order] = np.arange(len(order))
    del attribute.ints[:]
    attribute.ints.extend(new_of_old[old_indexes].tolist())


def _ngram_indexes(graph: onnx.GraphProto, counts: str) -> onnx.AttributeProto:
    producer = next(n for n in graph.node if counts in n.output)
    if producer.op_type != "TfIdfVectorizer":
        raise ValueError(f"unexpected graph: {counts!r} comes from {producer.op_type}, not a TfIdfVectorizer")
    return next(a for a in producer.attribute if a.name == "ngram_indexes")


def tfidf_inputs(graph: onnx.GraphProto) -> tuple[onnx.NodeProto, onnx.NodeProto, str]:
    """(TfIdfVectorizer node, the Mul by IDF after it, the IDF initializer's name) of a skl2onnx TF-IDF graph."""
    vectorizer = next(n for n in graph.node if n.op_type == "TfIdfVectorizer")
    mul = _consumer(graph, vectorizer.output[0], "Mul")
    return vectorizer, mul, next(i for i in mul.input if i != vectorizer.output[0])


def sparsify_first_layer(model: onnx.ModelProto, dense_ngrams: int = 0) -> onnx.ModelProto:
    graph = model.graph
    vectorizer, mul, normalizer, cast, matmul = _chain(graph)
    _, _, idf = tfidf_inputs(graph)
    nodes = sparse_product(graph, vectorizer.output[0], idf, matmul.input[1], matmul.output[0],
                           dense_ngrams=dense_ngrams)
    position = list(graph.node).index(mul)
    for old in (mul, normalizer, cast, matmul):
        graph.node.remove(old)
    for offset, new in enumerate(nodes):
        graph.node.insert(position + offset, new)
    onnx.checker.check_model(model)
    return model
