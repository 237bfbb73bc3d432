"""Stage benchmark: single-text latency and batched throughput of each shipped ONNX model and of the bundle."""

import argparse
import logging
from pathlib import Path

from toxsynth import stage
from toxsynth.classifier.artifacts import BUNDLE, eval_splits, onnx_path
from toxsynth.classifier.latency import BenchmarkParams, interleaved_texts, measure
from toxsynth.classifier.runtime import Detector
from toxsynth.config import Params
from toxsynth.jsonl import write_json


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--onnx", type=Path, default=Path("models/onnx"))
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    parser.add_argument("--report", default="reports/latency.json")
    args = parser.parse_args()
    params = Params(args.params)
    bench = params.section(BenchmarkParams, "benchmark")
    report = {}
    splits = eval_splits(args.eval, params.categories())
    for category, (texts, _) in splits.items():
        report[category] = measure(Detector(onnx_path(args.onnx, category, "augmented"), bench.threads), texts, bench)
        logging.info("%s: %s", category, report[category])
    every_text = interleaved_texts(splits)
    report["bundle"] = measure(Detector(args.onnx / BUNDLE, bench.threads), every_text, bench)  # all five at once
    logging.info("bundle: %s", report["bundle"])
    write_json(args.report, report)
    slow = [c for c, r in report.items() if not r["meets_requirement"]]
    if slow and not bench.report_only:
        logging.error("p99 over %s ms for %s (set benchmark.report_only: true to only report)", bench.requirement_ms, slow)
        return 1
    return 0


if __name__ == "__main__":
    stage.run(main)
