"""Fine-tuning: Alpaca records from train data only, response-only loss, a few real LoRA steps lower the loss."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
import torch

from tests.conftest import ROOT, write_params
from tests.llm.conftest import tame_train
from toxsynth.jsonl import write_jsonl
from toxsynth.llm import base
from toxsynth.llm.base import LLMParams
from toxsynth.llm.finetune import FinetuneParams, alpaca_records, finetune, save_adapter, tokenize, training_features

PARAMS = FinetuneParams(categories=("hate",), examples_per_label=8, few_shot=2, entries_per_response=2,
                        per_device_train_batch_size=4, learning_rate=1e-3, warmup_ratio=0.0, max_steps=4,
                        save_steps=2, lora_dropout=0.0)


def test_alpaca_records_use_each_example_once():
    records = alpaca_records(tame_train(), PARAMS, seed=1)
    assert len(records) == 4  # 8 examples per label / (2 shown + 2 answered), two labels
    ids = [i for r in records for i in r["example_ids"]]
    assert len(ids) == len(set(ids)) == 16
    for r in records:
        assert r["output"].startswith("1. ") and "\n2. " in r["output"]
        answers = [line.split(". ", 1)[1] for line in r["output"].split("\n")]
        assert answers and all(text not in r["instruction"] for text in answers)


def test_examples_per_label_must_cover_one_record():
    with pytest.raises(ValueError):
        FinetuneParams(examples_per_label=3, few_shot=3, entries_per_response=5)


@pytest.mark.parametrize("bad", [
    {"sample_mode": "medium"}, {"categories": ()}, {"categories": ("spam",)}, {"categories": ("hate", "hate")},
    {"versions": ("v9",)}, {"few_shot": 0}, {"entries_per_response": 0}, {"num_train_epochs": 0.0},
    {"learning_rate": 0.0}, {"warmup_ratio": 1.0}, {"warmup_ratio": -0.1}, {"weight_decay": -0.1}, {"lora_rank": 0},
    {"lora_alpha": 0}, {"lora_dropout": 1.0}, {"lora_target": ()}, {"per_device_train_batch_size": 0},
    {"gradient_accumulation_steps": 0}, {"cutoff_len": 0}, {"save_steps": 0}, {"max_steps": 0},
], ids=lambda bad: ",".join(f"{k}={v}" for k, v in bad.items()))
def test_params_refuse_values_training_cannot_use(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        FinetuneParams(**bad)


def mean_loss(model, batch) -> float:
    model.eval()
    with torch.no_grad():
        return float(model(**batch).loss)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_adapter_whatever_ran_before(base_dir, tmp_path):
    records = alpaca_records(tame_train(), PARAMS, seed=1)
    params = dataclasses.replace(PARAMS, max_steps=1, save_steps=1)
    adapters = []
    for run in range(2):
        torch.manual_seed(100 + run)  # another global random state before each run
        model, tokenizer = base.load(base_dir, LLMParams(), training=True)
        tuned, _ = finetune(model, tokenizer, records, params, 1, tmp_path / f"ckpt{run}", tmp_path / f"live{run}",
                            "cpu")
        adapters.append({name: p.detach().clone() for name, p in tuned.named_parameters() if "lora" in name})
    assert adapters[0].keys() == adapters[1].keys() and adapters[0]
    assert all(torch.equal(adapters[0][name], adapters[1][name]) for name in adapters[0])


@pytest.mark.slow
def test_a_few_lora_steps_lower_the_loss(base_dir, tmp_path):
    model, tokenizer = base.load(base_dir, LLMParams(), training=True)
    records = alpaca_records(tame_train(), PARAMS, seed=1)
    features = [tokenize(r, tokenizer, 256) for r in records]
    width = max(len(f["input_ids"]) for f in features)
    batch = {k: torch.tensor([f[k] + [pad] * (width - len(f[k])) for f in features])
             for k, pad in (("input_ids", tokenizer.pad_token_id), ("attention_mask", 0), ("labels", -100))}
    assert (batch["labels"] != -100).sum() < (batch["attention_mask"] == 1).sum() / 2  # response-only loss
    before = mean_loss(model, batch)
    tuned, report = finetune(model, tokenizer, records, PARAMS, 1, tmp_path / "ckpt", tmp_path / "live", "cpu")
    after = mean_loss(tuned, batch)
    assert after < before - 0.1, (before, after)
    assert report["steps"] == 4 and report["trainable_params"] < 5_000_000
    assert (tmp_path / "live" / "plots" / "metrics" / "train" / "loss.tsv").is_file()
    save_adapter(tuned, tmp_path / "adapter")
    assert (tmp_path / "adapter" / "adapter_model.safetensors").is_file()
    targets = json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())["target_modules"]
    assert targets == sorted(PARAMS.lora_target)  # a set in peft: sorted, the file is the same in every process
    # generation folds the adapter into the base weights: the same function, no LoRA layers left
    merged, _ = base.load(base_dir, LLMParams(dtype="float32"), tmp_path / "adapter", merge_adapter=True)
    assert not any("lora" in name for name, _ in merged.named_parameters())
    assert mean_loss(merged, batch) == pytest.approx(after, abs=1e-4)


def test_disabled_finetune_writes_a_marker_without_loading_a_model(tmp_path):
    write_params(tmp_path / "params.yaml", {"seed": 1, "finetune": {"enabled": False}})
    result = subprocess.run(
        [sys.executable, str(ROOT / "stages" / "finetune.py"), "--params", str(tmp_path / "params.yaml"),
         "--out", str(tmp_path / "adapter"), "--records", str(tmp_path / "records.jsonl"),
         "--report", str(tmp_path / "finetune.json"), "--live", str(tmp_path / "live")],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "adapter" / "adapter_info.json").read_text()) == {"enabled": False}
    assert json.loads((tmp_path / "finetune.json").read_text()) == {"enabled": False}


def straddling_tokenizer():
    """A real (tiny) BPE tokenizer whose merge "bc" outranks "ab": the prompt "xab" + a response "c..." tokenizes
    as x | a | bc, so one token straddles the prompt/response boundary."""
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    vocab = {"<e>": 0, "x": 1, "a": 2, "b": 3, "c": 4, "bc": 5, "ab": 6}
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.BPE(vocab, [("b", "c"), ("a", "b")])),
                                        eos_token="<e>")
    tokenizer.chat_template = ("{% for m in messages %}{{ m['content'] }}{% endfor %}"
                               "{% if add_generation_prompt %}ab{% endif %}")
    return tokenizer


def test_loss_mask_comes_from_offsets_so_a_token_across_the_boundary_is_not_trained():
    features = tokenize({"instruction": "x", "output": "cc"}, straddling_tokenizer(), cutoff_len=16)
    assert features["input_ids"] == [1, 2, 5, 4, 0]  # x a bc c <e>
    assert features["labels"] == [-100, -100, -100, 4, 0]  # "bc" holds a prompt character: masked
    assert not features["truncated"]


def test_truncated_and_responseless_records_are_counted_and_dropped():
    records = [{"instruction": "x", "output": "cc"},  # 5 tokens
               {"instruction": "xxxxxx", "output": "c"},  # the prompt alone fills the cutoff: no response token
               {"instruction": "x", "output": "cccccc"}]  # cut inside the response
    kept, counts = training_features(records, straddling_tokenizer(), cutoff_len=6)
    assert counts == {"truncated": 2, "dropped_no_response_tokens": 1}
    assert len(kept) == 2 and set(kept[0]) == {"input_ids", "attention_mask", "labels"}
    assert [len(f["input_ids"]) for f in kept] == [5, 6]


def test_a_string_label_in_train_stops_finetune_before_any_output(tmp_path):
    params = write_params(tmp_path / "params.yaml", {"finetune": {"categories": ["hate"], "examples_per_label": 8,
                                                                  "few_shot": 2, "entries_per_response": 2}})
    train = tame_train()
    train[2] = {**train[2], "label": str(train[2]["label"])}  # "1" would train string classes
    write_jsonl(tmp_path / "train.jsonl", train)
    write_jsonl(tmp_path / "eval.jsonl", [{"id": "e", "text": "the bus was late", "label": 0, "category": "hate"}])
    result = subprocess.run(
        [sys.executable, str(ROOT / "stages" / "finetune.py"), "--params", str(params),
         "--base", str(tmp_path / "base"), "--train", str(tmp_path / "train.jsonl"),
         "--eval", str(tmp_path / "eval.jsonl"),
         "--out", str(tmp_path / "adapter"), "--records", str(tmp_path / "records.jsonl"),
         "--report", str(tmp_path / "finetune.json"), "--live", str(tmp_path / "live")],
        capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"error: {tmp_path / 'train.jsonl'}:3: label must be 0 or 1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eval.jsonl", "params.yaml", "train.jsonl"]
