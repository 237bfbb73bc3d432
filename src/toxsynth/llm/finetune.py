"""LoRA supervised fine-tuning on Alpaca-style records built from the real train split (peft + transformers Trainer).

Each record's instruction is a rendered prompt template with a few real examples of one category and label;
its response is a numbered list of other real examples of the same category and label. The loss is computed on
the response only. Checkpoints let a killed run resume; the loss goes to dvclive. Under `accelerate launch` or
`torchrun` the Trainer runs data-parallel (DDP, or DeepSpeed ZeRO from the accelerate config); only the main
process logs.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from toxsynth import CATEGORIES
from toxsynth.config import FieldError, in_range, one_of, some_of
from toxsynth.errors import InputError
from toxsynth.llm.prompts import MODES, PAPER_VERSIONS, prompt_id, render, sample_examples
from toxsynth.llm.resources import derived_seed, peak_rss_mb

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FinetuneParams:
    enabled: bool = True  # false: prompt engineering only (the paper's stage 1); generate uses the base model
    categories: tuple[str, ...] = ("hate", "violence", "sexual")  # the paper's best mixture
    examples_per_label: int = 40  # real examples drawn per category and label (paper: 3,000)
    few_shot: int = 3  # examples shown in each instruction ...
    entries_per_response: int = 5  # ... and listed in its response
    sample_mode: str = "short"
    versions: tuple[str, ...] = PAPER_VERSIONS  # v4 and rewrite prompts would not match a record's real answer
    num_train_epochs: float = 1.0  # paper: 1, 3 and 5
    learning_rate: float = 5e-4  # paper: 1e-5 for a 7B model; a 135M model on a CPU budget needs more
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01  # AdamW
    lora_rank: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.1
    lora_target: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
    per_device_train_batch_size: int = 2
    gradient_accumulation_steps: int = 2
    gradient_checkpointing: bool = False  # trades time for memory
    cutoff_len: int = 512  # tokens per record (instruction + response)
    save_steps: int = 4  # checkpoint every this many optimizer steps, so a killed run resumes
    max_steps: int = -1  # > 0 overrides epochs (tests)
    launcher: str = "python"  # the stage's command prefix in dvc.yaml; "accelerate launch --config_file ..." for GPUs

    def __post_init__(self):
        some_of(self, "categories", CATEGORIES)
        some_of(self, "versions", PAPER_VERSIONS)
        one_of(self, "sample_mode", MODES)
        in_range(self, "[1, inf)", "few_shot", "entries_per_response", "lora_rank", "per_device_train_batch_size",
               "gradient_accumulation_steps", "cutoff_len", "save_steps")
        in_range(self, "(0, inf)", "num_train_epochs", "learning_rate", "lora_alpha")
        in_range(self, "[0, inf)", "weight_decay")
        in_range(self, "[0, 1)", "warmup_ratio", "lora_dropout")  # Trainer takes a warmup >= 1 as steps
        if not self.launcher.strip():
            raise FieldError("launcher", "launcher must name a command, e.g. python or accelerate launch")
        if not self.lora_target:
            raise FieldError("lora_target", "lora_target must name at least one module")
        if self.max_steps != -1 and self.max_steps < 1:
            raise FieldError("max_steps", f"max_steps must be -1 (use num_train_epochs) or >= 1, got {self.max_steps}")
        per_record = self.few_shot + self.entries_per_response
        if self.examples_per_label < per_record:
            raise FieldError("examples_per_label",
                             f"examples_per_label must be at least few_shot + entries_per_response = {per_record}")


def alpaca_records(train: list[dict], params: FinetuneParams, seed: int) -> list[dict]:
    """Instruction / response pairs from real train records; every example is used once."""
    records = []
    per_record = params.few_shot + params.entries_per_response
    for category in params.categories:
        for label in (1, 0):
            pool = [r for r in train if r["category"] == category and r["label"] == label]
            rng = random.Random(derived_seed(seed, "finetune", category, label))
            drawn = sample_examples(pool, min(params.examples_per_label, len(pool)), params.sample_mode, rng)
            for i in range(len(drawn) // per_record):
                chunk = drawn[i * per_record:(i + 1) * per_record]
                shots, answer = chunk[: params.few_shot], chunk[params.few_shot:]
                version = params.versions[i % len(params.versions)]
                instruction = render(version, category, label, [r["text"] for r in shots], len(answer))
                output = "\n".join(f"{n}. {r['text']}" for n, r in enumerate(answer, start=1))
                records.append({"instruction": instruction, "input": "", "output": output, "category": category,
                                "label": label, "template": version, "prompt_id": prompt_id(instruction),
                                "example_ids": [r["id"] for r in chunk]})
    random.Random(seed).shuffle(records)
    return records


def tokenize(record: dict, tokenizer, cutoff_len: int) -> dict:
    """Chat-formatted ids with the loss masked (-100) everywhere but the response, cut at `cutoff_len` tokens.

    The mask comes from character offsets in the one tokenization of prompt + response: a token counts as response
    when it starts at or after the response's first character (a token merged across the boundary is prompt).
    Tokenizing the prompt apart would shift the mask whenever such a merge happens. `truncated` says whether the
    cut removed tokens; a record with no response token left has an all -100 `labels` (the caller drops it).
    """
    prompt = tokenizer.apply_chat_template([{"role": "user", "content": record["instruction"]}], tokenize=False,
                                           add_generation_prompt=True)
    encoded = tokenizer(prompt + record["output"] + tokenizer.eos_token, add_special_tokens=False,
                        return_offsets_mapping=True)
    ids, offsets = encoded["input_ids"], encoded["offset_mapping"]
    labels = [token if start >= len(prompt) else -100 for token, (start, _) in zip(ids, offsets)]
    return {"input_ids": ids[:cutoff_len], "attention_mask": [1] * min(len(ids), cutoff_len),
            "labels": labels[:cutoff_len], "truncated": len(ids) > cutoff_len}


def training_features(records: list[dict], tokenizer, cutoff_len: int) -> tuple[list[dict], dict]:
    """The tokenized records that keep at least one response token, and how many were cut or dropped."""
    features = [tokenize(r, tokenizer, cutoff_len) for r in records]
    kept = [{k: f[k] for k in ("input_ids", "attention_mask", "labels")} for f in features
            if any(label != -100 for label in f["labels"])]
    return kept, {"truncated": sum(f["truncated"] for f in features),
                  "dropped_no_response_tokens": len(features) - len(kept)}


def save_adapter(model, out: Path) -> None:
    """`save_pretrained`, with the config's target_modules sorted: peft keeps them as a set, whose order (and so the
    file's bytes) changes from one Python process to the next."""
    model.save_pretrained(out)
    path = out / "adapter_config.json"
    config = json.loads(path.read_text())
    if isinstance(config.get("target_modules"), list):
        config["target_modules"] = sorted(config["target_modules"])
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


def finetune(model, tokenizer, records: list[dict], params: FinetuneParams, seed: int, checkpoints: Path,
             live_dir: Path, device: str) -> tuple[object, dict]:
    """Train a LoRA adapter; resume from the newest checkpoint in `checkpoints` if there is one."""
    import torch
    from dvclive import Live
    from peft import LoraConfig, get_peft_model
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainerCallback, TrainingArguments, set_seed

    class LossToLive(TrainerCallback):
        """Every logged training loss (and learning rate) as one dvclive step."""

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs and state.is_world_process_zero:
                live.step = state.global_step
                live.log_metric("train/loss", float(logs["loss"]))
                live.log_metric("train/learning_rate", float(logs.get("learning_rate", 0.0)))
                live.next_step()

    config = LoraConfig(r=params.lora_rank, lora_alpha=params.lora_alpha, lora_dropout=params.lora_dropout,
                        target_modules=list(params.lora_target), task_type="CAUSAL_LM")
    set_seed(seed)  # LoRA's A matrices are drawn here, before the Trainer seeds anything: unseeded, every run differed
    model = get_peft_model(model, config)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    dataset, cut = training_features(records, tokenizer, params.cutoff_len)
    if cut["dropped_no_response_tokens"]:
        log.warning("finetune: %d of %d records have no response token within cutoff_len %d and are left out",
                    cut["dropped_no_response_tokens"], len(records), params.cutoff_len)
    if not dataset:
        raise InputError("params.yaml", None, f"finetune.cutoff_len {params.cutoff_len}: no record keeps a response token")
    cuda = device.startswith("cuda")
    args = TrainingArguments(
        output_dir=str(checkpoints), num_train_epochs=params.num_train_epochs, max_steps=params.max_steps,
        per_device_train_batch_size=params.per_device_train_batch_size,
        gradient_accumulation_steps=params.gradient_accumulation_steps, learning_rate=params.learning_rate,
        warmup_steps=params.warmup_ratio, weight_decay=params.weight_decay, optim="adamw_torch",  # a float < 1 is a ratio
        logging_steps=1, save_strategy="steps", save_steps=params.save_steps, save_total_limit=2,
        seed=seed, data_seed=seed, report_to=[], remove_unused_columns=False, use_cpu=not cuda,
        bf16=cuda and model.dtype == torch.bfloat16, fp16=cuda and model.dtype == torch.float16,
        gradient_checkpointing=params.gradient_checkpointing, dataloader_num_workers=0, disable_tqdm=False)
    resume = any(checkpoints.glob("checkpoint-*"))
    main = args.process_index == 0
    live = Live(dir=str(live_dir), resume=resume, save_dvc_exp=False, dvcyaml=None) if main else None
    trainer = Trainer(model=model, args=args, train_dataset=dataset,
                      data_collator=DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100),
                      callbacks=[LossToLive()])
    start = time.time()
    trainer.train(resume_from_checkpoint=True if resume else None)
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    report = {"enabled": True, "records": len(records), **cut, "steps": trainer.state.global_step,
              "epochs": trainer.state.epoch, "loss_first": losses[0] if losses else None,
              "loss_last": losses[-1] if losses else None, "resumed": resume,
              "train_seconds": round(time.time() - start, 1), "trainable_params": trainable,
              "world_size": args.world_size, "effective_batch": args.world_size * args.per_device_train_batch_size
              * args.gradient_accumulation_steps,
              "device": device, "dtype": str(model.dtype).replace("torch.", ""), "peak_rss_mb": peak_rss_mb(),
              "params": asdict(params)}
    if live is not None:
        live.end()
    return model, report
