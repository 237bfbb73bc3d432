"""Stage evaluate: score the eval split with the shipped ONNX models and the reference; metrics with bootstrap
intervals, paired differences, per-source figures, and the PR-curve / confusion-matrix plot data."""

import argparse
import logging
from pathlib import Path

import numpy as np

from toxsynth import stage
from toxsynth.classifier.artifacts import DETECTORS, classifier_path, eval_records, onnx_path
from toxsynth.classifier.confidence import EvaluateParams, by_source, intervals, paired_delta
from toxsynth.classifier.evaluate import confusion_rows, metrics, pr_curve
from toxsynth.classifier.persist import load
from toxsynth.classifier.runtime import Detector
from toxsynth.config import Params
from toxsynth.jsonl import write_json


def score(category: str, texts: list[str], args) -> dict[str, tuple[np.ndarray, float]]:
    """model -> (positive-class probabilities, threshold): the ONNX detectors and the scikit-learn reference."""
    scored = {}
    for model in DETECTORS:
        detector = Detector(onnx_path(args.onnx, category, model))
        scored[model] = (detector.predict_proba(texts), detector.threshold)
    reference, meta = load(classifier_path(args.classifiers, category, "reference"))
    scored["reference"] = (reference.predict_proba(texts)[:, 1], float(meta["threshold"]))
    return scored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--onnx", type=Path, default=Path("models/onnx"))
    parser.add_argument("--classifiers", type=Path, default=Path("models/classifier"))
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    parser.add_argument("--metrics", default="reports/metrics.json")
    parser.add_argument("--plots", type=Path, default=Path("reports/plots"))
    args = parser.parse_args()
    params = Params(args.params)
    rounds, seed = params.section(EvaluateParams, "evaluate").bootstrap_rounds, params.seed()
    report = {}
    for category, rows in eval_records(args.eval, params.categories()).items():
        texts, labels, sources = [r["text"] for r in rows], np.array([r["label"] for r in rows]), [r["source"] for r in rows]
        scored = score(category, texts, args)
        report[category] = {model: {**metrics(labels, prob, thr), **intervals(labels, prob, thr, rounds, seed)}
                            for model, (prob, thr) in scored.items()}
        for other in ("baseline", "reference"):
            report[category][f"augmented_minus_{other}"] = paired_delta(labels, *scored["augmented"], *scored[other],
                                                                        rounds, seed)
        report[category]["by_source"] = {model: by_source(labels, prob, thr, sources)
                                         for model, (prob, thr) in scored.items() if model != "baseline"}
        for model, (prob, thr) in scored.items():
            write_json(args.plots / "pr" / f"{category}_{model}.json", {"pr": pr_curve(labels, prob)})
            if model in DETECTORS:
                write_json(args.plots / "confusion" / f"{category}_{model}.json",
                           {"confusion": confusion_rows(labels, prob, thr)})
        logging.info("%s: F1 augmented %.4f, baseline %.4f, reference %.4f", category,
                     *(report[category][m]["f1"] for m in ("augmented", "baseline", "reference")))
    write_json(args.metrics, report)


if __name__ == "__main__":
    stage.run(main)
