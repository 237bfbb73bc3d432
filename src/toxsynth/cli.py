"""The `toxsynth` command. `toxsynth score --model m.onnx < texts.txt` prints one JSON line per input line
(all categories per line for the bundle `toxsynth.onnx`).

Scoring imports only numpy and onnxruntime, so it runs the shipped artifact exactly as production would.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import islice


def score(args: argparse.Namespace) -> int:
    from toxsynth.classifier.runtime import Detector, decide

    detector = Detector(args.model, threads=args.threads)
    lines = (line.rstrip("\n") for line in sys.stdin)
    while chunk := list(islice(lines, args.batch_size)):
        probabilities = detector.scores(chunk)
        for row, labels in zip(probabilities, decide(probabilities, detector.thresholds)):
            scored = {c: {"probability": round(float(p), 6), "label": int(label)}
                      for c, p, label in zip(detector.categories, row, labels)}
            print(json.dumps(scored if detector.bundle else scored[detector.categories[0]]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="toxsynth", description="toxsynth command line")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("score", help="score texts from stdin (one per line) with an ONNX detector")
    p.add_argument("--model", required=True, help="an ONNX file from models/onnx/ (toxsynth.onnx: all categories)")
    p.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    p.add_argument("--batch-size", type=int, default=256)
    p.set_defaults(run=score)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
