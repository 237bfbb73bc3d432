"""Train the per-category detector: a stock scikit-learn Pipeline of TF-IDF word n-grams and a 600x600 MLP."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

# ASCII word characters, two or more, and no \b: onnxruntime's regex engine treats \w and \b as ASCII-only while
# Python's are Unicode, so this is the one pattern both sides tokenize identically (export checks it).
TOKEN_PATTERN = r"[a-zA-Z0-9_]{2,}"


@dataclass(frozen=True)
class TrainParams:
    max_features: int = 10_000  # TF-IDF vocabulary; the ONNX model's first layer is max_features x 600 floats
    ngram_max: int = 2  # word n-grams 1..ngram_max
    min_df: int = 2  # ignore n-grams seen in fewer texts
    hidden_layers: tuple[int, ...] = (600, 600)  # the paper's MLP: two hidden layers of 600
    alpha: float = 1e-4  # L2 penalty
    learning_rate_init: float = 1e-3
    batch_size: int = 200
    max_iter: int = 20  # epochs at most ...
    n_iter_no_change: int = 3  # ... stopping when the held-out 10% stops improving
    max_rows: int = 30_000  # real training rows per category (stratified sample); 0 = all. Synthetic rows always stay
    threshold: float = 0.5  # positive-class probability threshold, stored in the ONNX metadata

    def __post_init__(self):
        if not 0 < self.threshold < 1:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")


def build_pipeline(params: TrainParams, seed: int, vocabulary: dict[str, int] | None = None) -> Pipeline:
    # sublinear_tf stays off: skl2onnx ignores it, which would break ONNX parity.
    features = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, params.ngram_max), min_df=params.min_df,
                               max_features=params.max_features, vocabulary=vocabulary, sublinear_tf=False,
                               dtype=np.float32)
    mlp = MLPClassifier(hidden_layer_sizes=params.hidden_layers, alpha=params.alpha, batch_size=params.batch_size,
                        learning_rate_init=params.learning_rate_init, max_iter=params.max_iter, early_stopping=True,
                        n_iter_no_change=params.n_iter_no_change, random_state=seed, verbose=True)
    return Pipeline([("tfidf", features), ("mlp", mlp)])


def closed_vocabulary(params: TrainParams, texts: list[str]) -> dict[str, int]:
    """The top `max_features` n-grams plus every word inside them.

    onnxruntime's TfIdfVectorizer only finds a bigram when both of its words are unigrams of the vocabulary;
    scikit-learn's max_features may keep "again 177" but cut "177". Adding the member words back makes the
    two sides count the same n-grams (a few dozen extra unigrams), which export's parity check then confirms.
    """
    selector = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, params.ngram_max), min_df=params.min_df,
                               max_features=params.max_features, dtype=np.float32).fit(texts)
    terms = set(selector.vocabulary_)
    terms |= {word for term in terms for word in term.split(" ")}
    return {term: i for i, term in enumerate(sorted(terms))}


def cap_real_rows(records: list[dict], max_rows: int, seed: int) -> list[dict]:
    """At most `max_rows` real rows, a label-stratified sample that is the same for every model of a category;
    synthetic rows (source starting with "synthetic") are all kept."""
    real = sorted((r for r in records if not r["source"].startswith("synthetic")), key=lambda r: r["id"])
    synthetic = [r for r in records if r["source"].startswith("synthetic")]
    if max_rows and len(real) > max_rows:
        real, _ = train_test_split(real, train_size=max_rows, stratify=[r["label"] for r in real], random_state=seed)
    return sorted(real, key=lambda r: r["id"]) + sorted(synthetic, key=lambda r: r["id"])


def data_hash(records: list[dict]) -> str:
    """sha256 of the exact training rows (id, label, text), in training order."""
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps([r["id"], r["label"], r["text"]], ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def train(records: list[dict], category: str, params: TrainParams, seed: int) -> tuple[Pipeline, dict]:
    """Fit one category's pipeline; return it with its metadata (category, threshold, data hash, sizes)."""
    rows = cap_real_rows([r for r in records if r["category"] == category], params.max_rows, seed)
    labels = np.array([r["label"] for r in rows])
    if len(set(labels)) < 2:
        raise ValueError(f"{category}: training needs both labels, got {len(rows)} rows with labels {set(labels)}")
    log.info("%s: training on %d rows (%d positive)", category, len(rows), int(labels.sum()))
    texts = [r["text"] for r in rows]
    pipeline = build_pipeline(params, seed, closed_vocabulary(params, texts)).fit(texts, labels)
    mlp = pipeline.named_steps["mlp"]
    # Inference needs neither the optimizer state (two moment arrays as big as the weights) nor, in older
    # scikit-learn, the list of every n-gram cut from the vocabulary: drop both from the saved model.
    mlp._optimizer = None
    if hasattr(pipeline.named_steps["tfidf"], "stop_words_"):
        del pipeline.named_steps["tfidf"].stop_words_
    meta = {"category": category, "threshold": params.threshold, "train_data_sha256": data_hash(rows),
            "train_rows": len(rows), "train_positives": int(labels.sum()),
            "synthetic_rows": sum(r["source"].startswith("synthetic") for r in rows),
            "features": len(pipeline.named_steps["tfidf"].vocabulary_), "epochs": mlp.n_iter_,
            "final_loss": float(mlp.loss_), "best_validation_score": float(mlp.best_validation_score_),
            "params": asdict(params), "seed": seed}
    return pipeline, meta


def save(pipeline: Pipeline, meta: dict, path: Path) -> None:
    """The pipeline as skops (no pickle) and its metadata beside it as JSON."""
    from toxsynth.jsonl import atomic_path, write_json

    with atomic_path(path) as tmp:
        sio.dump(pipeline, tmp)
    write_json(path.with_suffix(".json"), meta)


def load(path: Path) -> tuple[Pipeline, dict]:
    """Load a pipeline saved by `save`, trusting only the scikit-learn / numpy types this module puts in it."""
    untrusted = sio.get_untrusted_types(file=path)
    unexpected = [t for t in untrusted if not t.startswith(("sklearn.", "numpy."))]
    if unexpected:
        raise ValueError(f"{path}: refusing to load unexpected types {unexpected}")
    pipeline = sio.load(path, trusted=untrusted)
    return pipeline, json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
