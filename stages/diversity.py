"""Stage diversity: unique synthetic vs real samples of as many tokens -> reports/diversity.json."""

import argparse
from pathlib import Path

from toxsynth import stage
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json
from toxsynth.synthetic.diversity import DiversityParams, distinct2_plot, diversity_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--unique", default="data/synthetic/unique.jsonl")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--report", default="reports/diversity.json")
    parser.add_argument("--plots", default="reports/diversity", type=Path)
    args = parser.parse_args()
    params = Params(args.params)
    diversity = params.section(DiversityParams, "diversity")
    embedder = None
    if diversity.embeddings:
        from toxsynth.synthetic.semantic import Embedder
        embedder = Embedder()
    report = diversity_report(read_records(args.unique, allow_empty=True), read_records(args.train),
                              params.categories(), diversity, params.seed(),
                              embedder)
    write_json(args.report, report)
    for side, rows in distinct2_plot(report).items():
        write_json(args.plots / f"distinct2_{side}.json", rows)


if __name__ == "__main__":
    stage.run(main)
