"""Stage evaluate: score the eval split with the ONNX models (what ships is what is measured); metrics + plots."""

import argparse
import logging
from pathlib import Path

from toxsynth import stage
from toxsynth.classifier.artifacts import MODELS, eval_splits, onnx_path
from toxsynth.classifier.evaluate import confusion_rows, metrics, pr_curve
from toxsynth.classifier.runtime import Detector
from toxsynth.config import Params
from toxsynth.data.prepare import PrepareParams
from toxsynth.jsonl import write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--onnx", type=Path, default=Path("models/onnx"))
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    parser.add_argument("--metrics", default="reports/metrics.json")
    parser.add_argument("--plots", type=Path, default=Path("reports/plots"))
    args = parser.parse_args()
    report = {}
    for category, (texts, labels) in eval_splits(args.eval, Params(args.params).section(PrepareParams,
                                                                                      "prepare").categories).items():
        report[category] = {}
        for model in MODELS:
            detector = Detector(onnx_path(args.onnx, category, model))
            prob = detector.predict_proba(texts)
            report[category][model] = metrics(labels, prob, detector.threshold)
            write_json(args.plots / "pr" / f"{category}_{model}.json", {"pr": pr_curve(labels, prob)})
            write_json(args.plots / "confusion" / f"{category}_{model}.json",
                       {"confusion": confusion_rows(labels, prob, detector.threshold)})
            logging.info("%s %s: f1 %.4f", category, model, report[category][model]["f1"])
    write_json(args.metrics, report)


if __name__ == "__main__":
    stage.run(main)
