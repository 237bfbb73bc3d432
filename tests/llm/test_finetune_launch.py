"""Fine-tuning under `accelerate launch` with the repository's DDP config: two data-parallel processes (gloo on the
CPU, NCCL on GPUs), one set of outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_params
from tests.llm.conftest import tame_train
from toxsynth.jsonl import write_jsonl
from toxsynth.llm import base
from toxsynth.llm.base import LLMParams

TINY = {"categories": ["hate"], "examples_per_label": 8, "few_shot": 1, "entries_per_response": 1,
        "per_device_train_batch_size": 1, "gradient_accumulation_steps": 1, "warmup_ratio": 0.0,
        "save_steps": 100, "lora_dropout": 0.0}  # 8 records: 8 steps alone, 4 on 2 ranks


def run_stage(tmp_path: Path, base_dir: Path, launcher: list[str]) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / "run"
    out.mkdir()
    params = write_params(out / "params.yaml", {"seed": 3, "finetune": TINY})
    write_jsonl(out / "train.jsonl", tame_train())
    write_jsonl(out / "eval.jsonl", [{"id": "e", "text": "the bus was late", "label": 0, "category": "hate"}])
    result = subprocess.run(
        [*launcher, str(ROOT / "stages" / "finetune.py"), "--params", str(params), "--base", str(base_dir),
         "--train", str(out / "train.jsonl"), "--eval", str(out / "eval.jsonl"), "--out", str(out / "adapter"),
         "--records", str(out / "records.jsonl"), "--report", str(out / "finetune.json"),
         "--live", str(out / "live"), "--checkpoints", str(out / "checkpoints")],
        capture_output=True, text=True, cwd=out, timeout=600,
        env={**os.environ, "OMP_NUM_THREADS": "1"})
    return result, out


@pytest.mark.slow
def test_accelerate_launch_shards_the_records_across_two_processes_and_rank_0_alone_writes(base_dir, tmp_path):
    launcher = [sys.executable, "-m", "accelerate.commands.launch", "--config_file",
                str(ROOT / "configs" / "accelerate" / "ddp.yaml"), "--num_processes", "2"]
    result, out = run_stage(tmp_path, base_dir, launcher)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((out / "finetune.json").read_text())
    assert report["records"] == 8 and report["world_size"] == 2 and report["effective_batch"] == 2
    assert report["steps"] == 4  # each process saw half of the 8 records: DDP, not two copies of one run
    rows = (out / "live" / "plots" / "metrics" / "train" / "loss.tsv").read_text().splitlines()
    assert len(rows) == 1 + 4  # header + one row per step: only rank 0 logged
    assert len((out / "records.jsonl").read_text().splitlines()) == 8
    assert not (out / "checkpoints").exists() or not any((out / "checkpoints").iterdir())
    model, _ = base.load(base_dir, LLMParams(dtype="float32"), out / "adapter", merge_adapter=True)
    assert not any("lora" in name for name, _ in model.named_parameters())


def test_finetune_launcher_in_params_becomes_the_stage_command_prefix(tmp_path, monkeypatch):
    """`dvc exp run -S finetune.launcher=...` changes the command DVC runs, so a GPU run is one parameter away."""
    from dvc.repo import Repo

    monkeypatch.chdir(tmp_path)  # DVC reads params.yaml for ${...} from the working directory
    subprocess.run(["dvc", "init", "--no-scm", "-q"], check=True)
    (tmp_path / "dvc.yaml").write_text((ROOT / "dvc.yaml").read_text())
    launcher = "accelerate launch --config_file configs/accelerate/ddp.yaml --num_processes 4"
    write_params(tmp_path / "params.yaml", {"finetune": {"launcher": launcher}})
    command = Repo(".").stage.collect("finetune")[0].cmd
    assert command.startswith(f"{launcher} stages/finetune.py --params params.yaml ")
    write_params(tmp_path / "params.yaml")
    assert Repo(".").stage.collect("finetune")[0].cmd.startswith("python stages/finetune.py ")
