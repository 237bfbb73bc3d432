"""Stage generate: batched, resumable generation -> data/synthetic/{generated,rejected}.jsonl, reports/generate.json."""

import argparse
import json
import logging
import time
from dataclasses import asdict
from pathlib import Path

from toxsynth import stage
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json, write_jsonl
from toxsynth.llm import base
from toxsynth.llm.backend import TransformersBackend
from toxsynth.llm.generate import GenerateParams, run, score
from toxsynth.llm.journal import Journal
from toxsynth.llm.openai_backend import OpenAIBackend
from toxsynth.llm.prompts import templates_fingerprint
from toxsynth.hashing import json_sha256, sha256_of, source_sha256, tree_sha256
from toxsynth.llm.resources import peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--base", type=Path, default=Path("models/base"))
    parser.add_argument("--adapter", type=Path, default=Path("models/adapter"))
    parser.add_argument("--train", type=Path, default=Path("data/prepared/train.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("data/synthetic/generated.jsonl"))
    parser.add_argument("--rejected", type=Path, default=Path("data/synthetic/rejected.jsonl"))
    parser.add_argument("--report", type=Path, default=Path("reports/generate.json"))
    parser.add_argument("--journal", type=Path, default=Path("data/synthetic/.journal"))
    args = parser.parse_args()
    params = Params(args.params)
    gen, llm, seed = params.section(GenerateParams, "generate"), params.section(base.LLMParams, "llm"), params.seed()
    if outside := [c for c in gen.categories if c not in params.categories()]:
        raise params.error(("generate", "categories"), f"{outside} are not in the top-level categories (none prepared)")
    train = [r for r in read_records(args.train) if r["category"] in gen.categories]
    adapter = json.loads((args.adapter / "adapter_info.json").read_text())
    adapter_sha = adapter.get("sha256")
    shaping = {**asdict(gen), "openai": gen.openai.shaping()}  # a server's address or timeouts change no response
    fingerprint = json_sha256([shaping, llm, seed, tree_sha256(args.base), adapter_sha, sha256_of(args.train),
                               templates_fingerprint(), source_sha256(Path(base.__file__).parent, Path(__file__))])[:16]
    journal = Journal(args.journal, fingerprint)
    resumed = len(journal.batches)
    if resumed:
        logging.info("resuming: %d finished batches in %s", len(journal.batches), journal.path)
    backend, device, dtype = make_backend(gen, llm, args.base, args.adapter if adapter["enabled"] else None)
    start = time.time()
    requests, fresh_valid = run(backend, journal, train, gen, seed)
    seconds = time.time() - start
    provenance = {"model": llm.base_model, "adapter": adapter_sha, "backend": backend.name}
    valid, rejected, report = score(requests, journal, gen, provenance, seed)
    report["run"] = {"seconds": round(seconds, 1), "new_tokens": backend.new_tokens,
                     "new_tokens_per_s": round(backend.new_tokens / max(seconds, 1e-9), 1),
                     "valid_per_minute": round(60 * fresh_valid / max(seconds, 1e-9), 1),  # this run's own
                     "batch_size": gen.batch_size, "device": device, "dtype": dtype,
                     "peak_rss_mb": peak_rss_mb(), "resumed_batches": resumed}
    write_jsonl(args.out, valid)
    write_jsonl(args.rejected, rejected)
    write_json(args.report, report)
    logging.info("generate: %d valid, %d rejected entries from %d requests", len(valid), len(rejected), len(requests))


def make_backend(gen, llm, base_dir: Path, adapter_dir: Path | None):
    """(backend, device, dtype): the model in this process, or a server checked to serve generate.openai.model."""
    if gen.backend == "openai":
        tokenizer = base.load_tokenizer(base_dir)  # the chat template, for the completions endpoint
        backend = OpenAIBackend(gen.openai, gen.sampling, tokenizer)
        backend.check_model()
        return backend, "server", None
    model, tokenizer = base.load(base_dir, llm, adapter_dir, merge_adapter=True)
    return TransformersBackend(model, tokenizer, gen.sampling), model.device.type, str(model.dtype).replace("torch.", "")


if __name__ == "__main__":
    stage.run(main)
