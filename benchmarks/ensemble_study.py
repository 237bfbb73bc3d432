"""Does the MLP gain from a linear partner? MLP, TF-IDF + LogisticRegression and their average, on a dev split.

Same dev split as benchmarks/detector_study.py (carved from train; eval is never read). Per category it trains the
default MLP on the shared features, a balanced LogisticRegression on the same features and on a large vocabulary
(every 1-2-gram seen twice in the fit rows, the ASCII token pattern the ONNX export needs; optionally with
sublinear tf), and scores each alone and averaged with the MLP (mean probability), each at its F1-maximising
threshold on the validation split. The reference (sublinear TF-IDF + LogisticRegression at 0.5) is the bar.

    python benchmarks/ensemble_study.py --categories hate sexual violence
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from toxsynth import CATEGORIES
from toxsynth.classifier.confidence import f1_from_predictions
from toxsynth.classifier.features import TOKEN_PATTERN, FeatureParams, feature_rows, fit_features
from toxsynth.classifier.model import TrainParams, best_threshold, fit_mlp
from toxsynth.classifier.reference import train_reference
from toxsynth.classifier.rows import cap_real_rows, validation_split
from toxsynth.config import Params
from toxsynth.jsonl import read_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    parser.add_argument("--sublinear", action="store_true", help="sublinear tf for the MLP's features and the big LR")
    args = parser.parse_args()
    params = Params(args.params)
    seed, tp = params.seed(), params.section(TrainParams, "train")
    records = read_records(args.train, ("id", "text", "label", "category", "source"))
    capped = {c: cap_real_rows([r for r in records if r["category"] == c], tp.max_rows, seed) for c in CATEGORIES}
    splits = {c: validation_split(rows, 0.1, f"{seed}:dev") for c, rows in capped.items()}  # (fit, dev)
    texts, labelled = feature_rows([r for fit, _ in splits.values() for r in fit], CATEGORIES, 0,
                                   tp.validation_fraction, seed)
    features = fit_features(texts, params.section(FeatureParams, "features"), labelled)
    if args.sublinear:
        features.sublinear_tf = features._tfidf.sublinear_tf = True  # scikit-learn only: skl2onnx ignores it
    print(f"{'category':<10} {'model':<32} F1     PR-AUC", flush=True)
    for category in args.categories:
        fit, dev = splits[category]
        fit_rows, val_rows = validation_split(fit, tp.validation_fraction, seed)
        texts = [[r["text"] for r in part] for part in (fit_rows, val_rows, dev)]
        y, y_val, y_dev = (np.array([r["label"] for r in part]) for part in (fit_rows, val_rows, dev))
        x, x_val, x_dev = (features.transform(t) for t in texts)
        mlp, _ = fit_mlp(x, y, x_val, y_val, tp.for_category(category), seed)
        scores = {"MLP": (mlp.predict_proba(x_val)[:, 1], mlp.predict_proba(x_dev)[:, 1])}
        lr = LogisticRegression(class_weight="balanced", max_iter=2000).fit(x, y)
        scores["LR, shared features"] = (lr.predict_proba(x_val)[:, 1], lr.predict_proba(x_dev)[:, 1])
        big = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), min_df=2, sublinear_tf=args.sublinear,
                              dtype=np.float32).fit(texts[0])
        b, b_val, b_dev = (big.transform(t) for t in texts)
        lr = LogisticRegression(class_weight="balanced", max_iter=2000).fit(b, y)
        scores[f"LR, {len(big.vocabulary_) // 1000}k n-grams"] = (lr.predict_proba(b_val)[:, 1],
                                                                  lr.predict_proba(b_dev)[:, 1])
        for name in list(scores)[1:]:
            scores[f"mean(MLP, {name})"] = tuple((a + c) / 2 for a, c in zip(scores["MLP"], scores[name]))
        for name, (val, dev_prob) in scores.items():
            f1 = f1_from_predictions(y_dev, (dev_prob > best_threshold(y_val, val)).astype(int))
            print(f"{category:<10} {name:<32} {f1:.3f}  {average_precision_score(y_dev, dev_prob):.3f}", flush=True)
        reference, meta = train_reference(fit, category, dataclasses.replace(tp, max_rows=0), seed)
        prob = reference.predict_proba([r["text"] for r in dev])[:, 1]
        f1 = f1_from_predictions(y_dev, (prob > meta["threshold"]).astype(int))
        print(f"{category:<10} {'reference':<32} {f1:.3f}  {average_precision_score(y_dev, prob):.3f}", flush=True)


if __name__ == "__main__":
    main()
