"""Fold the LoRA adapter into the base weights and save a plain model that any server loads (vLLM, TGI, llama.cpp)."""

from __future__ import annotations

import json
from pathlib import Path

from toxsynth.hashing import tree_sha256
from toxsynth.llm import base


def merge_and_save(base_dir: Path, adapter_dir: Path, out_dir: Path, dtype: str = "bfloat16") -> dict:
    """models/base + models/adapter -> `out_dir` as safetensors with its tokenizer; returns what was merged."""
    model, tokenizer = base.load(base_dir, base.LLMParams(device="cpu", dtype=dtype), adapter_dir, merge_adapter=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    info = {"base": str(base_dir), "adapter_sha256": tree_sha256(adapter_dir), "dtype": dtype}
    (out_dir / "toxsynth_merge.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info
