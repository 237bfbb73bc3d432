"""The all-category bundle: one pass of shared features, [N, K] probabilities, thresholds, parity with each model."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import onnx
import pytest

from tests.classifier.conftest import SMALL, tame_features, tame_records
from toxsynth.classifier.export import ExportParams, ParityError, export, export_bundle
from toxsynth.classifier.model import train
from toxsynth.classifier.runtime import Detector

CATEGORIES = ("hate", "violence", "political")
TEXTS = [r["text"] for r in tame_records(200, seed=9)] + ["", "naïve café 😀", "x" * 5000]


@pytest.fixture(scope="module")
def heads():
    """Three detectors on one shared TF-IDF: the same tame task with labels flipped or shuffled per category."""
    features = tame_features()
    models = {}
    for k, category in enumerate(CATEGORIES):
        records = [dict(r, category=category, label=(r["label"] if k != 1 else 1 - r["label"]) if k < 2
                        else int(i % 3 == 0)) for i, r in enumerate(tame_records())]
        params = dataclasses.replace(SMALL, threshold=[0.3, 0.5, 0.7][k])
        models[category] = train(records, category, features, params, seed=k)
    return models


@pytest.fixture(scope="module")
def bundle(heads, tmp_path_factory):
    path = tmp_path_factory.mktemp("bundle") / "toxsynth.onnx"
    result = export_bundle({c: p for c, (p, _) in heads.items()}, {c: m for c, (_, m) in heads.items()}, TEXTS, path,
                           ExportParams())
    return path, result


def test_bundle_matches_every_per_category_model(bundle, heads, tmp_path):
    path, result = bundle
    assert result["label_agreement"] == 1.0 and result["max_abs_prob_diff"] <= 1e-5
    probabilities = Detector(path).scores(TEXTS)
    assert probabilities.shape == (len(TEXTS), len(CATEGORIES))
    for k, (category, (pipeline, meta)) in enumerate(heads.items()):
        single = tmp_path / f"{category}.onnx"
        export(pipeline, meta, TEXTS, single, ExportParams())
        np.testing.assert_allclose(probabilities[:, k], Detector(single).predict_proba(TEXTS), atol=1e-5)
        np.testing.assert_allclose(probabilities[:, k], pipeline.predict_proba(TEXTS)[:, 1], atol=1e-5)


def test_bundle_metadata_and_labels_output(bundle, heads):
    path, _ = bundle
    detector = Detector(path)
    assert detector.categories == CATEGORIES and list(detector.thresholds) == [0.3, 0.5, 0.7]
    probabilities, labels = (detector.run(detector.batch(TEXTS))[i] for i in (0, 1))
    np.testing.assert_array_equal(labels, detector.predict(TEXTS))
    np.testing.assert_array_equal(labels, (probabilities > np.array([0.3, 0.5, 0.7], dtype=np.float32)).astype(int))
    meta = onnx.load(path).metadata_props
    props = {p.key: p.value for p in meta}
    assert json.loads(props["train_data_sha256"])["hate"] == heads["hate"][1]["train_data_sha256"]


def test_the_features_are_computed_once(bundle):
    ops = [n.op_type for n in onnx.load(bundle[0]).graph.node]
    assert ops.count("Tokenizer") == 1 and ops.count("Unique") == 1 and ops.count("LabelEncoder") == 2
    assert "TfIdfVectorizer" not in ops and "NonZero" not in ops  # no dense [N, vocabulary] count matrix
    # the frequent n-grams' part of layer 1 for all heads at once; then layers 2 and 3 of each head
    assert ops.count("MatMul") == 1 + 2 * len(CATEGORIES)


def test_detectors_on_different_features_cannot_be_bundled(heads, tmp_path):
    other = train(tame_records(), "hate", tame_features(tame_records(300, seed=4)), SMALL, seed=0)
    pipelines = {"hate": other[0], "violence": heads["violence"][0]}
    with pytest.raises(ValueError, match="share one TF-IDF"):
        export_bundle(pipelines, {"hate": other[1], "violence": heads["violence"][1]}, TEXTS, tmp_path / "b.onnx",
                      ExportParams())
    assert not (tmp_path / "b.onnx").exists()


def test_parity_failure_writes_no_bundle(heads, tmp_path, monkeypatch):
    from toxsynth.classifier import export as export_module
    monkeypatch.setattr(export_module, "MAX_ABS_PROB_DIFF", -1.0)
    with pytest.raises(ParityError):
        export_bundle({c: p for c, (p, _) in heads.items()}, {c: m for c, (_, m) in heads.items()}, TEXTS,
                      tmp_path / "toxsynth.onnx", ExportParams())
    assert list(tmp_path.iterdir()) == []


def test_score_prints_every_category_per_line(bundle):
    import subprocess
    import sys
    from pathlib import Path

    toxsynth = Path(sys.executable).parent / "toxsynth"
    result = subprocess.run([str(toxsynth), "score", "--model", str(bundle[0]), "--batch-size", "2"],
                            input="the rain is awful today\nthe train left on time\n\n", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3 and all(list(line) == list(CATEGORIES) for line in lines)
    expected = Detector(bundle[0]).predict(["the rain is awful today", "the train left on time", ""])
    assert [[line[c]["label"] for c in CATEGORIES] for line in lines] == expected.tolist()
