"""Stage train: fit every category's detector (MLP on the shared features) or reference, in a pool of processes,
and save each with skops as <out>/<category>.skops (+ .json)."""

import argparse
import os
import shutil
from pathlib import Path

from toxsynth import CATEGORIES, stage
from toxsynth.classifier.model import TrainParams, train
from toxsynth.classifier.persist import load_model, save
from toxsynth.classifier.pool import map_categories
from toxsynth.classifier.reference import train_reference
from toxsynth.config import Params
from toxsynth.jsonl import read_records


def fit_and_save(kind: str, category: str, records: list[dict], features: Path | None, params: TrainParams,
                 seed: int, out: Path) -> None:
    """Loads the features itself: a copy sent through pickle to a worker would save with other skops ids."""
    if kind == "reference":
        model, meta = train_reference(records, category, params, seed)
    else:
        model, meta = train(records, category, load_model(features), params, seed)
    save(model, {**meta, "model": kind}, out / f"{category}.skops")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--model", required=True, choices=["baseline", "augmented", "reference"])
    parser.add_argument("--data", required=True, help="training JSONL (all categories)")
    parser.add_argument("--features", type=Path, help="the shared TF-IDF (stage features); not for the reference")
    parser.add_argument("--out", required=True, type=Path, help="folder for <category>.skops and <category>.json")
    parser.add_argument("--categories", nargs="+", choices=CATEGORIES, help="default: params.yaml's categories")
    parser.add_argument("--jobs", type=int, help="processes (default: one per core; 1: in this process)")
    args = parser.parse_args()
    params = Params(args.params)
    categories = args.categories or list(params.categories())
    records = read_records(args.data, ("id", "text", "label", "category", "source"))
    by_category = {c: [r for r in records if r["category"] == c] for c in categories}
    train_params, seed = params.section(TrainParams, "train"), params.seed()
    staging = args.out.with_name(args.out.name + ".partial")  # every file or none: a failed category leaves no output
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        map_categories(fit_and_save, {c: (args.model, c, rows, args.features, train_params, seed, staging)
                                      for c, rows in by_category.items()},
                       {c: len(rows) for c, rows in by_category.items()}, args.jobs)
        args.out.mkdir(parents=True, exist_ok=True)
        for path in sorted(staging.iterdir()):
            os.replace(path, args.out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    stage.run(main)
