"""The `toxsynth` command. `toxsynth score --model m.onnx < texts.txt` prints one JSON line per input line
(all categories per line for the bundle `toxsynth.onnx`).

Scoring imports only numpy and onnxruntime, so it runs the shipped artifact exactly as production would.
stdin is read as UTF-8, one text per line (LF or CRLF). A line that is not valid UTF-8 is still scored, its
invalid bytes replaced with U+FFFD; after the last line one warning on stderr counts such lines and names the
first. A missing or unloadable model is one `error: <path>: <reason>` line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from toxsynth.errors import InputError


class Lines:
    """The texts of a byte stream, one per line, decoded as UTF-8 with replacement; counts the lines that needed it."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.invalid, self.first_invalid = stream, 0, None

    def __iter__(self) -> Iterator[str]:
        for number, raw in enumerate(self.stream, 1):
            raw = raw.removesuffix(b"\n").removesuffix(b"\r")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.invalid += 1
                self.first_invalid = self.first_invalid or number
                yield raw.decode("utf-8", errors="replace")

    def warning(self) -> str | None:
        if not self.invalid:
            return None
        were = "line was" if self.invalid == 1 else "lines were"
        return (f"warning: stdin: {self.invalid} {were} not valid UTF-8 (the first is line {self.first_invalid}); "
                "invalid bytes replaced with U+FFFD")


def score(args: argparse.Namespace) -> int:
    from toxsynth.classifier.runtime import Detector, decide

    try:
        detector = Detector(args.model, threads=args.threads)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    lines = Lines(sys.stdin.buffer)
    texts = iter(lines)
    while chunk := list(islice(texts, args.batch_size)):
        probabilities = detector.scores(chunk)
        for row, labels in zip(probabilities, decide(probabilities, detector.thresholds)):
            scored = {c: {"probability": round(float(p), 6), "label": int(label)}
                      for c, p, label in zip(detector.categories, row, labels)}
            print(json.dumps(scored if detector.bundle else scored[detector.categories[0]]))
    if warning := lines.warning():
        print(warning, file=sys.stderr)
    return 0


def merge_adapter(args: argparse.Namespace) -> int:
    from toxsynth.llm.merge import merge_and_save

    if not (args.adapter / "adapter_config.json").is_file():
        print(f"error: {args.adapter}: no adapter_config.json (finetune.enabled false, or not yet run)", file=sys.stderr)
        return 2
    info = merge_and_save(args.base, args.adapter, args.out, args.dtype)
    print(f"merged adapter {info['adapter_sha256'][:12]} into {args.out} ({args.dtype})", file=sys.stderr)
    return 0


def at_least_1(value: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {value}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="toxsynth", description="toxsynth command line")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("score", help="score texts from stdin (one per line) with an ONNX detector")
    p.add_argument("--model", required=True, help="an ONNX file from models/onnx/ (toxsynth.onnx: all categories)")
    p.add_argument("--threads", type=at_least_1, default=1, help="onnxruntime intra-op threads")
    p.add_argument("--batch-size", type=at_least_1, default=256)
    p.set_defaults(run=score)
    p = commands.add_parser("merge-adapter", help="fold models/adapter into the base weights, for a server to load")
    p.add_argument("--base", type=Path, default=Path("models/base"))
    p.add_argument("--adapter", type=Path, default=Path("models/adapter"))
    p.add_argument("--out", type=Path, default=Path("models/merged"))
    p.add_argument("--dtype", choices=("bfloat16", "float16", "float32"), default="bfloat16")
    p.set_defaults(run=merge_adapter)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
