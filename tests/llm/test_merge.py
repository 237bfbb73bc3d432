"""`toxsynth merge-adapter`: the merged model a server loads computes what base + LoRA computes."""

from __future__ import annotations

import torch

from toxsynth.cli import main
from toxsynth.llm import base


def test_merged_model_matches_base_plus_adapter(base_dir, tmp_path):
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM

    model, tokenizer = base.load(base_dir, base.LLMParams(dtype="float32"))
    lora = get_peft_model(model, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    lora.save_pretrained(tmp_path / "adapter")
    assert main(["merge-adapter", "--base", str(base_dir), "--adapter", str(tmp_path / "adapter"),
                 "--out", str(tmp_path / "merged"), "--dtype", "float32"]) == 0
    ids = tokenizer("the train left on time", return_tensors="pt")["input_ids"]
    plain, _ = base.load(base_dir, base.LLMParams(dtype="float32"))
    with_adapter = PeftModel.from_pretrained(plain, tmp_path / "adapter").eval()
    merged = AutoModelForCausalLM.from_pretrained(tmp_path / "merged", use_safetensors=True).eval()
    with torch.inference_mode():
        expected, got = with_adapter(ids).logits, merged(ids).logits
        untouched = base.load(base_dir, base.LLMParams(dtype="float32"))[0](ids).logits
    assert torch.allclose(got, expected, atol=1e-4)
    assert not torch.allclose(got, untouched, atol=1e-2)  # the adapter did change the model
    assert (tmp_path / "merged" / "model.safetensors").is_file()


def test_merge_without_an_adapter_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "adapter").mkdir()
    assert main(["merge-adapter", "--adapter", str(tmp_path / "adapter"), "--out", str(tmp_path / "m")]) == 2
    assert "no adapter_config.json" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()
