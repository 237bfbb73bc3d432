"""The latency benchmark's bookkeeping (the figures themselves belong to the benchmark stage, not to tests)."""

from __future__ import annotations

import pytest

from tests.classifier.conftest import tame_records
from toxsynth.classifier.export import ExportParams, export
from toxsynth.classifier.latency import BenchmarkParams, interleaved_texts, measure, throughput_batches
from toxsynth.classifier.runtime import Detector


def test_measure_reports_ordered_percentiles_and_the_requirement(tame_model, tmp_path):
    texts = [r["text"] for r in tame_records(50)]
    export(*tame_model, texts, tmp_path / "m.onnx", ExportParams())
    params = BenchmarkParams(warmup=5, calls=50, batch_size=8, batch_rounds=3, requirement_ms=10_000)
    result = measure(Detector(tmp_path / "m.onnx"), texts, params)
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert result["batch_texts_per_s"] > 0 and result["meets_requirement"] is True
    detector = Detector(tmp_path / "m.onnx")
    strict = measure(detector, texts, BenchmarkParams(warmup=1, calls=5, batch_size=8, batch_rounds=1,
                                                      requirement_ms=1e-9))
    assert strict["meets_requirement"] is False


def test_params_are_checked():
    with pytest.raises(ValueError):
        BenchmarkParams(calls=0)
    with pytest.raises(ValueError):
        BenchmarkParams(batch_rounds=0)


def test_bundle_texts_take_each_category_in_turn_and_batches_cycle():
    splits = {"a": (["a1", "a2", "a3"], None), "b": (["b1", "b2"], None)}
    texts = interleaved_texts(splits)
    assert texts == ["a1", "b1", "a2", "b2"]
    batches = throughput_batches(texts, 3, 3)
    assert [b[:, 0].tolist() for b in batches] == [["a1", "b1", "a2"], ["b2", "a1", "b1"], ["a2", "b2", "a1"]]
    assert all(b.shape == (3, 1) and b.dtype == object for b in batches)
