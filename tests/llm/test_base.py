"""Base model resolution: bundled GGUF -> safetensors, device/dtype choice, Hub ids need a pinned revision."""

from __future__ import annotations

import json

import pytest
import torch

from toxsynth.llm import base
from toxsynth.llm.base import LLMParams


def test_bundled_gguf_is_found_without_importing_the_package():
    path = base.bundled_gguf("smollm2-135m")
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_materialized_model_reloads_offline_as_safetensors(base_dir, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert (base_dir / "model.safetensors").is_file() and not list(base_dir.glob("*.bin"))
    assert json.loads((base_dir / "source.json").read_text())["kind"] == "bundled"
    model, tokenizer = base.load(base_dir, LLMParams(), training=True)
    assert model.dtype == torch.float32 and model.device.type == "cpu"
    assert 130e6 < sum(p.numel() for p in model.parameters()) < 140e6
    assert tokenizer.chat_template and tokenizer.pad_token_id is not None


def test_kinds_and_hub_revision_pin(tmp_path):
    assert LLMParams().kind == "bundled"
    assert LLMParams(base_model=str(tmp_path)).kind == "local"
    hub = LLMParams(base_model="mistralai/Mistral-7B-Instruct-v0.2")
    assert hub.kind == "hub"
    with pytest.raises(ValueError, match="revision"):
        base.materialize(hub, tmp_path / "out")
    pinned = LLMParams(base_model="mistralai/Mistral-7B-Instruct-v0.2", revision="a" * 40)
    base.materialize(pinned, tmp_path / "out")
    assert base.model_location(tmp_path / "out") == ("mistralai/Mistral-7B-Instruct-v0.2", "a" * 40)


def test_device_and_dtype(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert base.device_and_dtype(LLMParams(), training=True) == ("cpu", torch.float32)
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    assert base.device_and_dtype(LLMParams()) == ("cpu", torch.bfloat16)  # sampling on a CPU with bf16 units
    assert base.device_and_dtype(LLMParams(), training=True) == ("cpu", torch.float32)
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False)
    assert base.device_and_dtype(LLMParams()) == ("cpu", torch.float32)
    assert base.device_and_dtype(LLMParams(dtype="float32")) == ("cpu", torch.float32)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    monkeypatch.delenv("LOCAL_RANK", raising=False)
    assert base.device_and_dtype(LLMParams()) == ("cuda:0", torch.bfloat16)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    assert base.device_and_dtype(LLMParams()) == ("cuda:0", torch.float16)
    monkeypatch.setenv("LOCAL_RANK", "3")  # the fourth process of accelerate launch / torchrun on this machine
    assert base.device_and_dtype(LLMParams()) == ("cuda:3", torch.float16)
    assert base.device_and_dtype(LLMParams(device="cuda:1")) == ("cuda:1", torch.float16)  # named: kept
    assert base.device_and_dtype(LLMParams(device="cpu", dtype="bfloat16")) == ("cpu", torch.bfloat16)
    with pytest.raises(ValueError):
        LLMParams(device="tpu")
