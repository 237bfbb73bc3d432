"""A text's non-zero word 1-2-gram counts in an ONNX graph, without the dense [N, vocabulary] count matrix.

The TF-IDF operator that skl2onnx emits returns every text's counts over the whole vocabulary, which the sparse
first layer then scans for its non-zero entries (NonZero). Here the same tokens (onnxruntime's string normalizer and
tokenizer, with scikit-learn's token pattern) are looked up instead: each token's column (LabelEncoder, -1 when not
in the vocabulary), each pair of neighbouring tokens' bigram column (the two unigram columns as one int64 key, looked
up the same way: every word of a vocabulary bigram is a vocabulary unigram), and then the distinct (text, column)
pairs with their counts (Unique). The outputs are the names `weighted_sum` in sparse_layer.py reads.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper

from toxsynth.classifier.features import TOKEN_PATTERN

ML, MS = "ai.onnx.ml", "com.microsoft"


def count_nodes(graph: onnx.GraphProto, text: str, columns: dict[str, int], prefix: str,
                dense_ngrams: int = 0) -> list[onnx.NodeProto]:
    """Nodes from `text` ([N, 1] strings) to `prefix` + texts, ngrams (int64 [M]), tf (float [M]), n ([1]) and, with
    `dense_ngrams`, frequent_counts ([N, dense_ngrams]: the counts of columns below `dense_ngrams`). `columns` maps
    each 1- or 2-gram to its column."""
    unigrams = {t: c for t, c in columns.items() if " " not in t}
    bigrams = {t: c for t, c in columns.items() if " " in t}
    width = len(columns) + 1  # a (text, column) key is text * width + column
    missing = {w for t in bigrams for w in t.split(" ")} - set(unigrams)
    if missing:
        raise ValueError(f"the vocabulary's bigrams use {len(missing)} words that are not unigrams of it")
    pair_keys = [unigrams[a] * width + unigrams[b] for a, b in (t.split(" ") for t in bigrams)]

    def const(name: str, value, dtype=np.int64) -> str:
        graph.initializer.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), prefix + "count_" + name))
        return prefix + "count_" + name

    def node(op: str, inputs: list[str], out: str | list[str], **attrs) -> onnx.NodeProto:
        outs = [out] if isinstance(out, str) else out
        return helper.make_node(op, [i if i.startswith(prefix) or i == text else prefix + i for i in inputs],
                                [prefix + o for o in outs], **attrs)

    width_c, none = const("width", width), const("none", -1)
    nodes = [
        node("Reshape", [text, const("flat", [-1])], "strings"),
        node("StringNormalizer", ["strings"], "lower", case_change_action="LOWER", is_case_sensitive=0, locale="C"),
        node("Tokenizer", ["lower"], "tokens", domain=MS, mark=0, mincharnum=1, pad_value="#", tokenexp=TOKEN_PATTERN),
        node("LabelEncoder", ["tokens"], "unigram_cols", domain=ML, keys_strings=list(unigrams),
             values_int64s=list(unigrams.values()), default_int64=-1),  # [N, T]
        node("Slice", ["unigram_cols", const("s0", [0]), const("s_last", [-1]), const("s_axis", [1])], "left"),
        node("Slice", ["unigram_cols", const("s1", [1]), const("s_end", [2 ** 62]), const("s_axis2", [1])], "right"),
        node("Mul", ["left", width_c], "left_key"),
        node("Add", ["left_key", "right"], "pair_key"),
        node("Min", ["left", "right"], "pair_min"),
        node("Less", ["pair_min", const("zero", 0)], "pair_unknown"),
        node("Where", ["pair_unknown", none, "pair_key"], "pair"),
        node("LabelEncoder", ["pair"], "bigram_cols", domain=ML, keys_int64s=pair_keys or [-2],
             values_int64s=list(bigrams.values()) or [-1], default_int64=-1),  # [N, T - 1]
        node("Concat", ["unigram_cols", "bigram_cols"], "cols", axis=1),
        node("Shape", ["cols"], "n", start=0, end=1),
        node("Squeeze", ["n"], "n_scalar"),
        node("Range", [const("zero_r", 0), "n_scalar", const("one_r", 1)], "rows"),
        node("Unsqueeze", ["rows", const("axis1", [1])], "rows_col"),
        node("Mul", ["rows_col", width_c], "row_key"),
        node("Add", ["row_key", "cols"], "keys_2d"),
        node("Reshape", ["keys_2d", const("flat2", [-1])], "keys_all"),
        node("Reshape", ["cols", const("flat3", [-1])], "cols_all"),
        node("GreaterOrEqual", ["cols_all", const("zero2", 0)], "known"),
        node("Compress", ["keys_all", "known"], "keys", axis=0),
        node("Unique", ["keys"], ["keys_unique", "first_seen", "inverse", "counts"], sorted=1),
        node("Div", ["keys_unique", width_c], "texts"),
        node("Mod", ["keys_unique", width_c], "ngrams"),
        node("Cast", ["counts"], "tf", to=onnx.TensorProto.FLOAT),
    ]
    if dense_ngrams:  # the counts of the first columns as a dense [N, dense_ngrams] block
        zero = helper.make_tensor(prefix + "count_zero_f", onnx.TensorProto.FLOAT, [1], [0.0])
        nodes += [
            node("Less", ["ngrams", const("dense", dense_ngrams)], "frequent"),
            node("Compress", ["texts", "frequent"], "frequent_texts", axis=0),
            node("Compress", ["ngrams", "frequent"], "frequent_ngrams", axis=0),
            node("Compress", ["tf", "frequent"], "frequent_tf", axis=0),
            node("Unsqueeze", ["frequent_texts", const("axis1f", [1])], "frequent_t"),
            node("Unsqueeze", ["frequent_ngrams", const("axis1g", [1])], "frequent_c"),
            node("Concat", ["frequent_t", "frequent_c"], "frequent_index", axis=1),  # [M', 2]
            node("Concat", ["n", const("dense_shape", [dense_ngrams])], "frequent_shape", axis=0),
            node("ConstantOfShape", ["frequent_shape"], "frequent_zeros", value=zero),
            node("ScatterND", ["frequent_zeros", "frequent_index", "frequent_tf"], "frequent_counts")]
    return nodes
