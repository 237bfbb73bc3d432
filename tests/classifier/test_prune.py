"""Pruning never-active hidden units: the same function on every input, and a smaller bundle."""

from __future__ import annotations

import copy

import numpy as np
import onnx
from onnx import numpy_helper
from sklearn.neural_network import MLPClassifier

from tests.classifier.conftest import tame_records
from toxsynth.classifier.export import ExportParams, export_bundle
from toxsynth.classifier.prune import live_units, pruned_layers
from toxsynth.classifier.runtime import Detector


def random_mlp(rng: np.random.Generator, inputs: int = 40, hidden=(30, 20)) -> MLPClassifier:
    mlp = MLPClassifier(hidden_layer_sizes=hidden)
    sizes = [inputs, *hidden, 1]
    mlp.coefs_ = [rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:])]
    mlp.intercepts_ = [rng.normal(size=b) - 1.0 for b in sizes[1:]]
    mlp.n_layers_, mlp.out_activation_, mlp.classes_ = len(sizes), "logistic", np.array([0, 1])
    mlp.n_outputs_ = 1
    return mlp


def forward(layers, x: np.ndarray) -> np.ndarray:
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        x = np.maximum(x, 0) if i < len(layers) - 1 else 1 / (1 + np.exp(-x))
    return x[:, 0]


def unit_inputs(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """Non-negative rows of length 1 (what L2-normalized TF-IDF gives), some sparse, plus the empty text's zeros."""
    x = rng.exponential(size=(n, dim)) * (rng.random((n, dim)) < rng.random((n, 1)))
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return np.vstack([x, np.zeros((1, dim))])


def test_pruned_network_computes_the_same_function():
    rng = np.random.default_rng(0)
    for _ in range(20):
        mlp = random_mlp(rng)
        layers = pruned_layers(mlp)
        x = unit_inputs(rng, 2000, 40)
        np.testing.assert_allclose(forward(layers, x), mlp.predict_proba(x)[:, 1], atol=1e-12)


def test_a_unit_that_some_input_activates_is_kept():
    """Each first-layer unit is driven by its own best input (its positive weights, normalized): the units pruned are
    exactly those that stay inactive even then."""
    rng = np.random.default_rng(1)
    mlp = random_mlp(rng, hidden=(50, 10))
    w, b = mlp.coefs_[0], mlp.intercepts_[0]
    best = np.clip(w, 0, None) / np.maximum(np.linalg.norm(np.clip(w, 0, None), axis=0), 1e-12)
    reachable = (best.T @ w).diagonal() + b > 0
    assert 0 < reachable.sum() < len(b)  # the draw has both kinds
    np.testing.assert_array_equal(live_units(mlp)[0], reachable)


def test_bundle_drops_dead_units_and_keeps_parity(tame_model, tmp_path):
    pipeline, meta = tame_model
    dead = copy.deepcopy(pipeline)
    mlp = dead.named_steps["mlp"]
    mlp.intercepts_[0][:5] = -1e3  # five first-layer units that no text can switch on
    texts = [r["text"] for r in tame_records(100, seed=4)] + [""]
    out = tmp_path / "toxsynth.onnx"
    result = export_bundle({"hate": pipeline, "violence": dead}, {"hate": meta, "violence": meta}, texts, out,
                           ExportParams())
    assert result["label_agreement"] == 1.0 and result["max_abs_prob_diff"] <= 1e-5
    weights = {i.name: numpy_helper.to_array(i) for i in onnx.load(out).graph.initializer}
    live, live_dead = (live_units(p.named_steps["mlp"])[0] for p in (pipeline, dead))
    assert not live_dead[:5].any() and live_dead.sum() <= len(live_dead) - 5
    assert weights["bundle_b1"].shape == (live.sum() + live_dead.sum(),)
    np.testing.assert_allclose(Detector(out).scores(texts)[:, 1], dead.predict_proba(texts)[:, 1], atol=1e-5)
