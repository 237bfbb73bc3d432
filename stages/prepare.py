"""Stage prepare: data/raw/ -> data/prepared/{train,eval}.jsonl and reports/data.json."""

import argparse
import logging
from pathlib import Path

from toxsynth import stage
from toxsynth.config import Params
from toxsynth.data.prepare import PrepareParams, prepare
from toxsynth.jsonl import write_json, write_jsonl
from toxsynth.sources import load_sources
from toxsynth.synthetic.minhash import MinHashParams


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--raw", default="data/raw")
    parser.add_argument("--out", default="data/prepared")
    parser.add_argument("--report", default="reports/data.json")
    args = parser.parse_args()
    params = Params(args.params)
    categories = params.categories()
    split = params.section(PrepareParams, "prepare")
    if split.eval_size < 1 or not 0 < split.eval_max_fraction < 1:  # later stages need both splits non-empty
        raise params.error(("prepare",), "the pipeline needs eval_size >= 1 and 0 < eval_max_fraction < 1")
    near = params.section(MinHashParams, "dedup", "minhash")  # near duplicates of eval as the dedup stage sees them
    result = prepare(load_sources(params), Path(args.raw), categories, split, params.seed(), near)
    write_jsonl(Path(args.out) / "train.jsonl", result.train)
    write_jsonl(Path(args.out) / "eval.jsonl", result.eval)
    write_json(args.report, result.report)
    for category in categories:
        logging.info("%s: %s", category, result.report[category])


if __name__ == "__main__":
    stage.run(main)
