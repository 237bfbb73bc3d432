"""Which rows a detector trains and validates on: the capped real sample, synthetic rows, a grouped validation split."""

from __future__ import annotations

import hashlib
import json

from sklearn.model_selection import train_test_split

from toxsynth.data.split import Item, split_eval


def is_synthetic(record: dict) -> bool:
    return record["source"].startswith("synthetic")


def cap_real_rows(records: list[dict], max_rows: int, seed: int) -> list[dict]:
    """At most `max_rows` real rows, a label-stratified sample that is the same for every model of a category;
    synthetic rows are all kept."""
    real = sorted((r for r in records if not is_synthetic(r)), key=lambda r: r["id"])
    synthetic = [r for r in records if is_synthetic(r)]
    if max_rows and len(real) > max_rows:
        real, _ = train_test_split(real, train_size=max_rows, stratify=[r["label"] for r in real], random_state=seed)
    return sorted(real, key=lambda r: r["id"]) + sorted(synthetic, key=lambda r: r["id"])


def validation_split(rows: list[dict], fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    """(fit rows, validation rows): `fraction` of the real rows, stratified by label, seeded, and grouped like the
    eval split (rows of one `group`, e.g. one user's posts, stay on one side). Synthetic rows are never validated on,
    so baseline and augmented models of a category choose their epoch and threshold on the same real rows."""
    real = [r for r in rows if not is_synthetic(r)]
    items = [Item(r["id"], r["label"], r.get("group") or r["id"]) for r in real]
    chosen = split_eval(items, len(items), fraction, f"{seed}:validation")
    fit = [r for i, r in enumerate(real) if i not in chosen] + [r for r in rows if is_synthetic(r)]
    return fit, [real[i] for i in sorted(chosen)]


def data_hash(records: list[dict]) -> str:
    """sha256 of the exact training rows (id, label, text), in training order."""
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps([r["id"], r["label"], r["text"]], ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()
