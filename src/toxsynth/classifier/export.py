"""Convert a trained pipeline to ONNX (string input), make its first layer sparse, stamp metadata, check parity."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from skl2onnx import to_onnx
from skl2onnx.common.data_types import StringTensorType
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline

from toxsynth import __version__
from toxsynth.classifier.bundle import build_bundle
from toxsynth.classifier.features import TOKEN_PATTERN
from toxsynth.classifier.runtime import Detector, decide
from toxsynth.classifier.sparse_layer import sparsify_first_layer
from toxsynth.config import in_range

# What "parity" means; part of the contract, not a knob: every eval text gets the same label, probabilities
# agree to 1e-4.
MIN_LABEL_AGREEMENT = 1.0
MAX_ABS_PROB_DIFF = 1e-4
# A probability this close to the threshold is a tie at float32 precision: ONNX (float32) and scikit-learn may put it
# on either side. Labels must agree on every other text; ties are counted (`borderline`) and held to the 1e-4 bound.
TIE = 1e-6


def agreement(onnx_probs: np.ndarray, sk_probs: np.ndarray, threshold: float) -> tuple[float, int]:
    """(share of non-tied texts with the same decision, number of tied texts)."""
    clear = np.abs(np.asarray(sk_probs, dtype=float) - threshold) > TIE
    same = decide(onnx_probs, threshold) == decide(sk_probs, threshold)
    return (float(np.mean(same[clear])) if clear.any() else 1.0), int((~clear).sum())


@dataclass(frozen=True)
class ExportParams:
    opset: int = 18  # ScatterND with reduction="add" needs 16+
    sparse_first_layer: bool = True  # see sparse_layer.py; false keeps skl2onnx's dense MatMul
    dense_ngrams: int = 256  # of the sparse first layer: the most frequent n-grams go through a small dense MatMul

    def __post_init__(self):
        in_range(self, "[0, inf)", "dense_ngrams")
        in_range(self, "[16, 22]", "opset")  # sparse first layer: 16+; 22: the newest skl2onnx 1.20 has tested


class ParityError(Exception):
    """The ONNX model disagrees with scikit-learn beyond the contract."""


def convert(pipeline: Pipeline, meta: dict, params: ExportParams) -> onnx.ModelProto:
    vectorizer = pipeline.named_steps["tfidf"]
    if vectorizer.token_pattern != TOKEN_PATTERN or vectorizer.sublinear_tf:
        raise ValueError("the pipeline's TF-IDF settings cannot be exported with parity (token pattern / sublinear_tf)")
    # `locale`: onnxruntime's StringNormalizer would otherwise ask for en_US.UTF-8, missing on many servers.
    # `tokenexp`: the same ASCII pattern as scikit-learn's token_pattern (skl2onnx's default regex differs).
    options = {TfidfVectorizer: {"tokenexp": TOKEN_PATTERN, "locale": "C"}, MLPClassifier: {"zipmap": False}}
    model = to_onnx(pipeline, initial_types=[("text", StringTensorType([None, 1]))], options=options,
                    target_opset=params.opset)
    if params.sparse_first_layer:
        model = sparsify_first_layer(model, params.dense_ngrams)
    # skl2onnx lists the opset domains in set order, which changes with Python's hash seed: sorted, the same model
    # gives the same bytes in every process (and DVC sees no change where there is none)
    imports = sorted(model.opset_import, key=lambda o: o.domain)
    del model.opset_import[:]
    model.opset_import.extend(imports)
    model.doc_string = (f"toxsynth {meta['category']} detector: text -> label (argmax, a 0.5 cut), probabilities "
                        f"[not, is {meta['category']}]; the trained rule is probability > the `threshold` metadata")
    stamp = {"category": meta["category"], "threshold": str(meta["threshold"]),
             "train_data_sha256": meta["train_data_sha256"], "toxsynth_version": __version__,
             "model": meta.get("model", ""), "train_rows": str(meta["train_rows"])}
    onnx.helper.set_model_props(model, stamp)
    return model


def parity(pipeline: Pipeline, onnx_path: Path, texts: list[str], threshold: float) -> dict:
    """Agreement of the shipped decision (probability > threshold, ties left out) and largest probability gap
    between scikit-learn and onnxruntime on `texts`."""
    onnx_probs = Detector(onnx_path).predict_proba(texts)
    sk_probs = pipeline.predict_proba(texts)[:, 1]
    label_agreement, borderline = agreement(onnx_probs, sk_probs, threshold)
    return {"label_agreement": label_agreement, "borderline": borderline,
            "max_abs_prob_diff": float(np.max(np.abs(onnx_probs - sk_probs))),
            "texts": len(texts), "onnx_bytes": onnx_path.stat().st_size}


def check(result: dict, name: str) -> None:
    if result["label_agreement"] < MIN_LABEL_AGREEMENT or result["max_abs_prob_diff"] > MAX_ABS_PROB_DIFF:
        raise ParityError(f"{name}: ONNX disagrees with scikit-learn on {result['texts']} eval texts: {result}")


def export(pipeline: Pipeline, meta: dict, texts: list[str], out: Path, params: ExportParams) -> dict:
    """Write `out` only if parity holds on `texts`; return the parity figures."""
    model = convert(pipeline, meta, params)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        candidate = Path(tmp) / out.name
        onnx.save(model, candidate)
        result = parity(pipeline, candidate, texts, float(meta["threshold"]))
        check(result, out.name)
        candidate.replace(out)
    return result


def export_bundle(pipelines: dict[str, Pipeline], metas: dict[str, dict], texts: list[str], out: Path,
                  params: ExportParams) -> dict:
    """Write the all-category bundle `out` only if, on `texts`, every category's column matches its scikit-learn
    pipeline (decision at its threshold, probability to 1e-4); return the parity figures."""
    thresholds = {c: float(m["threshold"]) for c, m in metas.items()}
    stamp = {"train_data_sha256": json.dumps({c: m["train_data_sha256"] for c, m in metas.items()}),
             "model": next(iter(metas.values())).get("model", "")}
    model = build_bundle(pipelines, thresholds, stamp, params.opset, params.dense_ngrams)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        candidate = Path(tmp) / out.name
        onnx.save(model, candidate)
        onnx_probs = Detector(candidate).scores(texts)
        agreements, borderline, gap = [], 0, 0.0
        for k, (category, pipeline) in enumerate(pipelines.items()):
            sk_probs = pipeline.predict_proba(texts)[:, 1]
            share, ties = agreement(onnx_probs[:, k], sk_probs, thresholds[category])
            agreements.append(share)
            borderline += ties
            gap = max(gap, float(np.max(np.abs(onnx_probs[:, k] - sk_probs))))
        result = {"label_agreement": float(min(agreements)), "borderline": borderline, "max_abs_prob_diff": gap,
                  "texts": len(texts), "onnx_bytes": candidate.stat().st_size}
        check(result, out.name)
        candidate.replace(out)
    return result
