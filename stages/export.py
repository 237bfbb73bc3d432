"""Stage export: every trained pipeline -> ONNX, written only when it matches scikit-learn on the whole eval split."""

import argparse
import logging
from pathlib import Path

from toxsynth import stage
from toxsynth.classifier.artifacts import MODELS, classifier_path, eval_splits, onnx_path
from toxsynth.classifier.export import ExportParams, ParityError, export
from toxsynth.classifier.model import load
from toxsynth.config import Params
from toxsynth.data.prepare import PrepareParams
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
    report = {}
    for category, (texts, _) in eval_splits(args.eval, params.section(PrepareParams, "prepare").categories).items():
        results = {}
        for model in MODELS:
            pipeline, meta = load(classifier_path(args.classifiers, category, model))
            try:
                results[model] = export(pipeline, meta, texts, onnx_path(args.out, category, model), export_params)
            except ParityError as e:
                logging.error("%s", e)
                return 1
            logging.info("%s %s: %s", category, model, results[model])
        report[category] = {**results["augmented"], "baseline": results["baseline"]}
    write_json(args.report, report)
    return 0


if __name__ == "__main__":
    stage.run(main)
