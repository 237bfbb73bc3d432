"""Score texts with a shipped ONNX detector. Needs only numpy and onnxruntime, exactly as production runs it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort


def decide(probabilities: np.ndarray, threshold: float) -> np.ndarray:
    """The detector's label rule: 1 where the positive-class probability exceeds the threshold (strictly,
    as scikit-learn's predict does at 0.5)."""
    return (np.asarray(probabilities) > threshold).astype(np.int64)


class Detector:
    """One category's ONNX model: positive-class probabilities and labels at the threshold in its metadata."""

    def __init__(self, path: str | Path, threads: int = 1):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.metadata = dict(self.session.get_modelmeta().custom_metadata_map)
        self.threshold = float(self.metadata.get("threshold", 0.5))
        self.input_name = self.session.get_inputs()[0].name

    @staticmethod
    def batch(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(list(texts), dtype=object).reshape(-1, 1)

    def run(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(labels, probabilities [N, 2]) as the graph computes them, for an already built batch.

        The graph's own label is the argmax, i.e. a 0.5 cut; `predict` applies the metadata threshold instead."""
        labels, probabilities = self.session.run(None, {self.input_name: batch})
        return labels, probabilities

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Positive-class probability per text."""
        if len(texts) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.run(self.batch(texts))[1][:, 1]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Labels at the threshold stored in the model's metadata."""
        return decide(self.predict_proba(texts), self.threshold)
