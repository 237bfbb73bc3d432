"""Where a bundle's batch time goes: onnxruntime's own profile, per operator type and per node, on one thread.

The batches are the benchmark stage's (every category's eval texts interleaved, in file order, 20 batches of 256),
and as there the first batch runs once untimed before them. Prints milliseconds per batch, so the parts can be held
against the 12.8 ms a batch that 20,000 texts/s allows. Run after `dvc repro export`:

    python benchmarks/profile_bundle.py
    python benchmarks/profile_bundle.py /tmp/other.onnx --shuffle
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import onnxruntime as ort

from toxsynth.classifier.artifacts import BUNDLE, eval_splits
from toxsynth.classifier.latency import interleaved_texts, throughput_batches
from toxsynth.config import Params

TARGET_TEXTS_PER_S = 20_000


def profiled_nodes(path: str, batches: list[np.ndarray]) -> list[dict]:
    """The node events of one run of every batch after an untimed first one (batches[0], the warm-up)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 1, 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.enable_profiling = True
    options.profile_file_prefix = str(Path(tempfile.gettempdir()) / "toxsynth_profile")
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    for batch in batches[:1] + batches:
        session.run(None, {name: batch})
    profile = Path(session.end_profiling())
    events = json.loads(profile.read_text())
    profile.unlink()
    runs = sorted(e["ts"] for e in events if e.get("cat") == "Session" and e["name"] == "model_run")
    return [e for e in events if e.get("cat") == "Node" and e["name"].endswith("_kernel_time") and e["ts"] >= runs[1]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle", nargs="?", default=f"models/onnx/{BUNDLE}")
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--eval", type=Path, default=Path("data/prepared/eval.jsonl"))
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--shuffle", action="store_true", help="shuffled texts instead of the stage's order")
    parser.add_argument("--top", type=int, default=12, help="nodes listed")
    args = parser.parse_args()
    if args.batches < 1 or args.batch_size < 1:
        parser.error("--batches and --batch-size must be at least 1")
    splits = eval_splits(args.eval, Params(args.params).categories())
    texts = interleaved_texts(splits)
    if args.shuffle:
        texts = [texts[i] for i in np.random.default_rng(0).permutation(len(texts))]
    size = args.batch_size
    nodes = profiled_nodes(args.bundle, throughput_batches(texts, size, args.batches))
    by_type, by_node, shapes = Counter(), Counter(), {}
    for e in nodes:
        node = e["name"].removesuffix("_kernel_time")
        by_type[e["args"]["op_name"]] += e["dur"]
        by_node[node] += e["dur"]
        shapes[node] = [next(iter(s.values())) for s in e["args"].get("output_type_shape", [])]
    per_batch = 1000 * args.batches  # microseconds in all -> milliseconds per batch
    total = sum(by_type.values()) / per_batch
    budget = 1000 * size / TARGET_TEXTS_PER_S
    print(f"{args.bundle}: {total:.2f} ms of kernel time per batch of {size} ({1000 * size / total:,.0f} texts/s "
          f"without the call overhead); {TARGET_TEXTS_PER_S:,} texts/s allows {budget:.1f} ms")
    print("per operator type (ms per batch):")
    for op, dur in by_type.most_common():
        if dur / per_batch >= 0.05:
            print(f"  {op:24s} {dur / per_batch:6.2f}")
    print(f"the {args.top} slowest nodes (ms per batch, output shape of the last batch):")
    for node, dur in by_node.most_common(args.top):
        print(f"  {node:36s} {dur / per_batch:6.2f}  {shapes[node]}")


if __name__ == "__main__":
    main()
