"""Stage features: fit the TF-IDF shared by all detectors on the real training rows each of them will sample."""

import argparse
import logging
from pathlib import Path

from toxsynth import stage
from toxsynth.classifier.features import FeatureParams, feature_rows, fit_features
from toxsynth.classifier.model import TrainParams
from toxsynth.classifier.persist import save
from toxsynth.config import Params
from toxsynth.jsonl import read_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--data", default="data/prepared/train.jsonl")
    parser.add_argument("--out", type=Path, default=Path("models/classifier/features.skops"))
    args = parser.parse_args()
    params = Params(args.params)
    train_params = params.section(TrainParams, "train")
    records = read_records(args.data, ("id", "text", "label", "category", "source"))
    texts, labelled = feature_rows(records, params.categories(), train_params.max_rows,
                                   train_params.validation_fraction, params.seed())
    features = fit_features(texts, params.section(FeatureParams, "features"), labelled)
    texts = len(set(texts))
    logging.info("features: %d n-grams from %d texts", len(features.vocabulary_), texts)
    save(features, {"features": len(features.vocabulary_), "texts": texts}, args.out)


if __name__ == "__main__":
    stage.run(main)
