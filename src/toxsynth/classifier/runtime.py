"""Score texts with a shipped ONNX detector. Needs only numpy and onnxruntime, exactly as production runs it.

A file that is missing, not ONNX, or lacks toxsynth's metadata raises InputError naming the path and the reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort

from toxsynth.errors import InputError


def decide(probabilities: np.ndarray, threshold) -> np.ndarray:
    """The detector's label rule: 1 where the positive-class probability exceeds the threshold (strictly)."""
    return (np.asarray(probabilities) > threshold).astype(np.int64)


def _session(path: Path, options: ort.SessionOptions) -> ort.InferenceSession:
    if not path.exists():
        raise InputError(path, None, "no such file")
    if not path.is_file():
        raise InputError(path, None, "not a file")
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime's own types (InvalidProtobuf, Fail, ...) derive from Exception only
        reason = " ".join(str(e).rsplit("failed:", 1)[-1].split())  # its text repeats the path before "failed:"
        raise InputError(path, None, f"not an ONNX model onnxruntime can load ({reason})") from None


class Detector:
    """A toxsynth ONNX model: one category's file (`probabilities` [N, 2]) or the bundle (`probabilities` [N, K]),
    with the categories and thresholds its metadata names."""

    def __init__(self, path: str | Path, threads: int = 1):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = _session(Path(path), options)
        self.metadata = dict(self.session.get_modelmeta().custom_metadata_map)
        self.bundle = "categories" in self.metadata
        try:
            if self.bundle:
                self.categories = tuple(json.loads(self.metadata["categories"]))
                self.thresholds = np.array(json.loads(self.metadata["thresholds"]), dtype=np.float64)
            else:
                self.categories = (self.metadata["category"],)
                self.thresholds = np.array([float(self.metadata["threshold"])])
        except (KeyError, ValueError) as e:
            reason = f"not a toxsynth detector (metadata lacks categories / thresholds: {e})"
            raise InputError(path, None, reason) from None
        if len(self.thresholds) != len(self.categories):
            raise InputError(path, None, f"{len(self.categories)} categories but {len(self.thresholds)} thresholds")
        self.threshold = float(self.thresholds[0])
        self.input_name = self.session.get_inputs()[0].name
        names = [o.name for o in self.session.get_outputs()]
        self._probabilities = names.index("probabilities")

    @staticmethod
    def batch(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(list(texts), dtype=object).reshape(-1, 1)

    def run(self, batch: np.ndarray) -> list[np.ndarray]:
        """The graph's outputs for an already built batch."""
        return self.session.run(None, {self.input_name: batch})

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Positive-class probability per text and category, [N, K] in `categories` order."""
        if len(texts) == 0:
            return np.zeros((0, len(self.categories)), dtype=np.float32)
        probabilities = self.run(self.batch(texts))[self._probabilities]
        return probabilities if self.bundle else probabilities[:, 1:2]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Positive-class probability per text of a one-category model."""
        return self.scores(texts)[:, 0]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Labels at the thresholds stored in the model's metadata, [N] (one category) or [N, K] (bundle)."""
        labels = decide(self.scores(texts), self.thresholds)
        return labels if self.bundle else labels[:, 0]
