"""Stage finetune: LoRA on Alpaca-style records from the real train split -> models/adapter/, reports/finetune.json.

Runs as `python stages/finetune.py` or, data-parallel, under `accelerate launch` / `torchrun`: every process trains,
the main one (rank 0) alone removes and writes files.
"""

import argparse
import json
import logging
import shutil
from pathlib import Path

from toxsynth import stage
from toxsynth.config import Params
from toxsynth.data.normalize import dedup_key
from toxsynth.jsonl import read_records, write_json, write_jsonl
from toxsynth.llm import base
from toxsynth.llm.finetune import FinetuneParams, alpaca_records, finetune, save_adapter
from toxsynth.llm.resources import launch_rank
from toxsynth.hashing import json_sha256, source_sha256, tree_sha256


def write_disabled_marker(args) -> None:
    """finetune.enabled is false: empty records and loss curve, and an adapter folder that says so."""
    write_jsonl(args.records, [])
    (args.live / "plots" / "metrics" / "train").mkdir(parents=True, exist_ok=True)
    (args.live / "plots" / "metrics" / "train" / "loss.tsv").write_text("step\tloss\n")
    write_json(args.out / "adapter_info.json", {"enabled": False})
    write_json(args.report, {"enabled": False})
    logging.info("finetune.enabled is false: generation will use the base model")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--base", type=Path, default=Path("models/base"))
    parser.add_argument("--train", type=Path, default=Path("data/prepared/train.jsonl"))
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("models/adapter"))
    parser.add_argument("--records", type=Path, default=Path("data/finetune/train.jsonl"))
    parser.add_argument("--report", type=Path, default=Path("reports/finetune.json"))
    parser.add_argument("--live", type=Path, default=Path("reports/finetune"))
    parser.add_argument("--checkpoints", type=Path, default=Path("models/.checkpoints/finetune"))
    args = parser.parse_args()
    params = Params(args.params)
    ft, llm, seed = params.section(FinetuneParams, "finetune"), params.section(base.LLMParams, "llm"), params.seed()
    if outside := [c for c in ft.categories if c not in params.categories()]:
        raise params.error(("finetune", "categories"), f"{outside} are not in the top-level categories (none prepared)")
    if ft.enabled:  # checked before anything is removed or written
        records = alpaca_records(read_records(args.train), ft, seed)
        eval_keys = {dedup_key(r["text"]) for r in read_records(args.eval, ("text",))}
        if any(dedup_key(line.split(". ", 1)[-1]) in eval_keys for r in records for line in r["output"].splitlines()):
            raise RuntimeError("a fine-tuning response contains an eval text: the prepared splits overlap")
    rank, _, world_size = launch_rank()
    if rank == 0:
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True)
    if not ft.enabled:
        if rank == 0:
            write_disabled_marker(args)
        return
    fingerprint = json_sha256([ft, llm, seed, records, json.loads((args.base / base.SOURCE_FILE).read_text()),
                               tree_sha256(args.base), source_sha256(Path(base.__file__).parent, Path(__file__)),
                               world_size])[:16]  # a checkpoint from another world size has other batches
    checkpoints = args.checkpoints / fingerprint
    if rank == 0:
        write_jsonl(args.records, records)
    if rank == 0 and args.checkpoints.exists():
        for stale in args.checkpoints.iterdir():
            if stale != checkpoints:
                shutil.rmtree(stale)
    model, tokenizer = base.load(args.base, llm, training=True)
    device, _ = base.device_and_dtype(llm, training=True)
    model, report = finetune(model, tokenizer, records, ft, seed, checkpoints, args.live, device)
    if rank != 0:
        return
    save_adapter(model, args.out)
    write_json(args.out / "adapter_info.json", {"enabled": True, "base_model": llm.base_model,
                                                "sha256": tree_sha256(args.out)})
    write_json(args.report, report)
    shutil.rmtree(checkpoints, ignore_errors=True)
    logging.info("finetune: loss %s -> %s in %s steps", report["loss_first"], report["loss_last"], report["steps"])


if __name__ == "__main__":
    stage.run(main)
