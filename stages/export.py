"""Stage export: every trained pipeline -> ONNX, plus the all-category bundle `toxsynth.onnx`, each written only
when it matches scikit-learn on the eval texts (the decision at the threshold, and the probability to 1e-4)."""

import argparse
import logging
from pathlib import Path

from toxsynth import stage
from toxsynth.classifier.artifacts import BUNDLE, DETECTORS, classifier_path, eval_splits, onnx_path
from toxsynth.classifier.export import ExportParams, ParityError, export, export_bundle
from toxsynth.classifier.persist import load
from toxsynth.config import Params
from toxsynth.jsonl import write_json


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--classifiers", type=Path, default=Path("models/classifier"))
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("models/onnx"))
    parser.add_argument("--report", default="reports/export.json")
    args = parser.parse_args()
    params = Params(args.params)
    export_params = params.section(ExportParams, "export")
    splits = eval_splits(args.eval, params.categories())
    report, shipped = {}, {}
    try:
        for category, (texts, _) in splits.items():
            results = {}
            for model in DETECTORS:
                pipeline, meta = load(classifier_path(args.classifiers, category, model))
                results[model] = export(pipeline, meta, texts, onnx_path(args.out, category, model), export_params)
                logging.info("%s %s: %s", category, model, results[model])
                if model == "augmented":
                    shipped[category] = (pipeline, meta)
            report[category] = {**results["augmented"], "baseline": results["baseline"]}
        all_texts = [t for texts, _ in splits.values() for t in texts]
        report["bundle"] = export_bundle({c: p for c, (p, _) in shipped.items()}, {c: m for c, (_, m) in shipped.items()},
                                         all_texts, args.out / BUNDLE, export_params)
        logging.info("bundle: %s", report["bundle"])
    except ParityError as e:
        logging.error("%s", e)
        return 1
    write_json(args.report, report)
    return 0


if __name__ == "__main__":
    stage.run(main)
