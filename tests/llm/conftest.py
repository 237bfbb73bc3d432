"""The bundled base model materialized once per test session, and tame stand-in training records."""

from __future__ import annotations

import pytest

from toxsynth.llm.base import LLMParams, materialize


@pytest.fixture(scope="session")
def base_dir(tmp_path_factory):
    """models/base/ as the base stage writes it: the bundled SmolLM2-135M as safetensors (about 25 s)."""
    path = tmp_path_factory.mktemp("base")
    materialize(LLMParams(), path)
    return path


TAME = {1: ["the rain will not stop today", "grey clouds over the town again", "a cold wind blew all night",
            "the storm flooded the road", "hail hit the car roof", "fog hid the hills all day",
            "the drizzle soaked my coat", "thunder kept us awake", "snow blocked the lane",
            "the gale broke a fence"],
        0: ["the train left on time", "I like the new bus line", "the tram was quiet this morning",
            "our station got a new cafe", "the ferry crossing was smooth", "bikes ride free on the metro",
            "the night bus was warm", "the platform has new benches", "my ticket scanned first time",
            "the conductor smiled at everyone"]}


def tame_train(categories=("hate",)) -> list[dict]:
    return [{"id": f"tame:{c}:{label}:{i}", "text": f"{text} {c}", "label": label, "category": c, "source": "tame"}
            for c in categories for label, texts in TAME.items() for i, text in enumerate(texts)]
