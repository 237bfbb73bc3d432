"""A tame stand-in task (weather complaints = "positive", trains and buses = "negative") and a model trained on it."""

from __future__ import annotations

import random

import pytest

from toxsynth.classifier.features import FeatureParams, fit_features
from toxsynth.classifier.model import TrainParams, train

POSITIVE = ["the rain is awful today", "this storm ruined my weekend", "cold wind and grey skies again",
            "another wet and freezing morning", "the fog will not lift", "hail broke the greenhouse"]
NEGATIVE = ["the train left on time", "I like the new bus line", "the tram was quiet this morning",
            "our station got a new cafe", "the ferry crossing was smooth", "bikes are allowed on the metro"]
FILLER = ["honestly", "again", "said Anna", "on Monday", "in Leeds", "at noon", "as usual", "for once"]

SMALL_FEATURES = FeatureParams(max_features=60, min_df=1)  # 60 features: max_features really cuts
SMALL = TrainParams(hidden_layers=(16, 16), max_iter=30, n_iter_no_change=5, max_rows=0, batch_size=16,
                    learning_rate_init=0.01)


def tame_records(n: int = 240, seed: int = 0, source: str = "tame", category: str = "hate") -> list[dict]:
    rng = random.Random(seed)
    records = []
    for i in range(n):
        label = i % 2
        text = f"{rng.choice(POSITIVE if label else NEGATIVE)} {rng.choice(FILLER)} {rng.choice(FILLER)} {i}"
        records.append({"id": f"{source}:{i}", "text": text, "label": label, "category": category, "source": source})
    return records


def tame_features(records: list[dict] | None = None):
    return fit_features([r["text"] for r in records or tame_records()], SMALL_FEATURES)


@pytest.fixture(scope="session")
def tame_model():
    """(pipeline, meta) trained on the tame task."""
    return train(tame_records(), "hate", tame_features(), SMALL, seed=0)
