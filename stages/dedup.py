"""Stage dedup: generated records -> data/synthetic/unique.jsonl, removed.jsonl (with reasons), reports/dedup.json."""

import argparse
import logging

from toxsynth import stage
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json, write_jsonl
from toxsynth.synthetic.dedup import SYNTHETIC_KEYS, DedupParams, dedup

log = logging.getLogger("dedup")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--generated", default="data/synthetic/generated.jsonl")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--eval", default="data/prepared/eval.jsonl")
    parser.add_argument("--out", default="data/synthetic/unique.jsonl")
    parser.add_argument("--removed", default="data/synthetic/removed.jsonl")
    parser.add_argument("--report", default="reports/dedup.json")
    args = parser.parse_args()
    params = Params(args.params)
    dedup_params, seed = params.section(DedupParams, "dedup"), params.seed()
    synthetic = read_records(args.generated, SYNTHETIC_KEYS, allow_empty=True)  # generate may keep nothing
    unique, removed, report = dedup(synthetic, read_records(args.train), read_records(args.eval), dedup_params, seed)
    write_jsonl(args.removed, removed)
    write_jsonl(args.out, unique)
    write_json(args.report, report)
    log.info("%d generated -> %d unique, %d removed (%s)", len(synthetic), len(unique), len(removed),
             ", ".join(f"{k} {v}" for k, v in report["total"]["removed"].items() if v))


if __name__ == "__main__":
    stage.run(main)
