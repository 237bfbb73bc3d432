"""End to end on a copy of the repository: real `dvc repro` on the real data, then the acceptance checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.stage_imports import closure, script_of, src_modules, stages
from toxsynth import CATEGORIES
from toxsynth.data.normalize import dedup_key
from toxsynth.jsonl import read_jsonl

pytestmark = pytest.mark.slow


def sh(*args: str, cwd: Path, stdin: Path | None = None) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    with open(stdin or os.devnull, encoding="utf-8") as f:
        result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, stdin=f)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


# The default run trains ten 600x600 MLPs on up to 30k rows each (about 10 minutes here); CI runs the same stages
# on small samples. `make repro` runs the defaults.
SMALL = {"train": {"max_rows": 1500, "max_iter": 3}, "features": {"max_features": 2000},
         "benchmark": {"batch_rounds": 5}, "evaluate": {"bootstrap_rounds": 100},
         "curve": {"budgets": [100, 300], "seeds": 2, "bootstrap_rounds": 50},
         "finetune": {"examples_per_label": 8, "few_shot": 2, "entries_per_response": 2, "max_steps": 2},
         "generate": {"categories": ["hate"], "versions": ["v1"], "target_entries": 4, "max_requests": 2,
                      "entries_per_request": 2, "batch_size": 4, "max_new_tokens": 64}}


@pytest.fixture(scope="module")
def repo(mirror, tmp_path_factory) -> Path:
    """A fresh git + DVC checkout of the tracked files, with `dvc repro` run once on small training samples."""
    copy = tmp_path_factory.mktemp("repo")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, tracked.decode().split("\0")):
        if (ROOT / rel).is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, copy / rel)
    params = yaml.safe_load((copy / "params.yaml").read_text())
    for section, values in SMALL.items():
        params[section].update(values)
    (copy / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    sh("git", "init", "-q", cwd=copy)
    sh("git", "add", "-A", cwd=copy)  # like a user's checkout: a repository with a commit (dvclive needs one)
    sh("git", "-c", "user.name=ci", "-c", "user.email=ci@localhost", "commit", "-q", "-m", "copy", cwd=copy)
    sh("dvc", "repro", cwd=copy)
    return copy


def test_repro_twice_reruns_nothing_and_status_is_clean(repo):
    second = sh("dvc", "repro", cwd=repo)
    assert "Running stage" not in second
    assert "up to date" in sh("dvc", "status", cwd=repo)


def test_touching_a_module_marks_exactly_the_stages_that_import_it(repo):
    from dvc.repo import Repo

    for module in src_modules():
        copy = repo / module.relative_to(ROOT)
        original = copy.read_bytes()
        copy.write_bytes(original + b"\n# touched\n")
        try:
            with Repo(str(repo)) as dvc:  # names come back relative to our cwd: "<path>/dvc.yaml:<stage>"
                changed = {name.rsplit(":", 1)[-1] for name in dvc.status()}
        finally:
            copy.write_bytes(original)
        expected = {name for name, stage in stages().items() if module in closure(script_of(stage))}
        assert changed == expected, module.relative_to(ROOT)
    assert "up to date" in sh("dvc", "status", cwd=repo)


def test_dag_orders_the_stages(repo):
    edges = {line.strip().rstrip(";") for line in sh("dvc", "dag", "--dot", cwd=repo).splitlines() if "->" in line}
    expected = [("fetch", "prepare"), ("prepare", "augment"), ("base", "finetune"), ("finetune", "generate"),
                ("generate", "dedup"), ("dedup", "augment"),
                ("train_baseline", "augment"), ("dedup", "curve"), ("features", "curve"), ("prepare", "curve"),
                ("dedup", "diversity"), ("augment", "train_augmented"),
                ("prepare", "features"), ("features", "train_baseline"), ("prepare", "train_reference"),
                ("train_reference", "evaluate"), ("train_baseline", "export"), ("export", "evaluate"),
                ("export", "benchmark")]
    assert all(f'"{a}" -> "{b}"' in edges for a, b in expected), edges


def scalars(value, prefix=()) -> dict:
    """Flattened number leaves: what `dvc metrics show` carries (it leaves out lists such as params echoes)."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in scalars(item, prefix + (key,)).items()}
    return {prefix: value} if isinstance(value, (int, float)) else {}


def test_metrics_show_has_data_export_metrics_and_latency(repo):
    shown = next(iter(json.loads(sh("dvc", "metrics", "show", "--json", cwd=repo)).values()))["data"]
    for name in ("data", "finetune", "generate", "dedup", "diversity", "augment", "curve", "export", "metrics",
                 "latency"):
        on_disk = scalars(json.loads((repo / "reports" / f"{name}.json").read_text()))
        assert on_disk and scalars(shown[f"reports/{name}.json"]["data"]) == on_disk, name


def test_onnx_parity_holds_for_every_category_and_model(repo):
    export = json.loads((repo / "reports" / "export.json").read_text())
    for category in CATEGORIES:
        for result in (export[category], export[category]["baseline"]):
            assert result["label_agreement"] == 1.0 and result["max_abs_prob_diff"] <= 1e-4
            assert result["texts"] >= 1000
    bundle = export["bundle"]
    assert bundle["label_agreement"] == 1.0 and bundle["max_abs_prob_diff"] <= 1e-4
    assert bundle["texts"] == sum(export[c]["texts"] for c in CATEGORIES)


def test_bundle_scores_all_categories_like_the_per_category_models(repo, tmp_path):
    from toxsynth.classifier.runtime import Detector

    texts = [r["text"] for r in read_jsonl(repo / "data" / "prepared" / "eval.jsonl")][::50]
    bundle = Detector(repo / "models" / "onnx" / "toxsynth.onnx")
    assert bundle.categories == CATEGORIES
    probabilities = bundle.scores(texts)
    for k, category in enumerate(CATEGORIES):
        single = Detector(repo / "models" / "onnx" / f"{category}.onnx")
        assert abs(bundle.thresholds[k] - single.threshold) < 1e-12
        assert abs(probabilities[:, k] - single.predict_proba(texts)).max() <= 1e-4
    (tmp_path / "in.txt").write_text("a calm sentence\nanother one\n")
    out = sh("toxsynth", "score", "--model", str(repo / "models" / "onnx" / "toxsynth.onnx"),
             cwd=tmp_path, stdin=tmp_path / "in.txt")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 2 and list(lines[0]) == list(CATEGORIES)


def test_metrics_and_latency_are_complete(repo):
    metrics = json.loads((repo / "reports" / "metrics.json").read_text())
    latency = json.loads((repo / "reports" / "latency.json").read_text())
    for category in CATEGORIES:
        for model in ("baseline", "augmented", "reference"):
            m = metrics[category][model]
            assert {"precision", "recall", "f1", "accuracy", "roc_auc", "pr_auc"} <= set(m)
            assert m["roc_auc"] > 0.5  # better than chance even on the small CI sample
            assert m["f1_ci_low"] <= m["f1"] <= m["f1_ci_high"] and m["pr_auc_ci_low"] <= m["pr_auc_ci_high"]
        delta = metrics[category]["augmented_minus_baseline"]
        assert delta["f1_ci_low"] <= delta["f1"] <= delta["f1_ci_high"]
        by_source = metrics[category]["by_source"]["augmented"]
        assert sum(s["rows"] for s in by_source.values()) == m["eval_pos"] + m["eval_neg"]
        meta = json.loads((repo / "models" / "classifier" / "augmented" / f"{category}.json").read_text())
        assert metrics[category]["augmented"]["threshold"] == pytest.approx(meta["threshold"])  # chosen on validation
        assert latency[category]["calls"] >= 2000 and latency[category]["requirement_ms"] == 10
        assert isinstance(latency[category]["meets_requirement"], bool)
    assert latency["bundle"]["calls"] >= 2000 and latency["bundle"]["batch_texts_per_s"] > 0


def test_curve_and_filter_reports_cover_every_category(repo):
    curve = json.loads((repo / "reports" / "curve.json").read_text())
    augment = json.loads((repo / "reports" / "augment.json").read_text())
    for category in CATEGORIES:
        assert [p["real_rows"] for p in curve[category].values()] == [100, 300]
        for point in curve[category].values():
            assert {"baseline", "augmented", "augmented_filter"} <= set(point)
            assert "minus_baseline" in point["augmented_filter"]
        counts = augment[category]["filter"]
        assert counts["pos"]["scored"] == counts["pos"]["kept"] + counts["pos"]["removed"]
    filtered = list(read_jsonl(repo / "data" / "augmented" / "filtered.jsonl"))
    assert all(r["reason"].startswith("filter_") and 0 <= r["baseline_prob"] <= 1 for r in filtered)
    assert sum(augment[c]["filter"]["pos"]["removed"] + augment[c]["filter"]["neg"]["removed"]
               for c in CATEGORIES) == len(filtered)


def test_plots_show_renders_pr_curves_and_confusion_matrices(repo, tmp_path):
    sh("dvc", "plots", "show", "-o", str(tmp_path / "plots"), cwd=repo)
    html = (tmp_path / "plots" / "index.html").read_text()
    for category in CATEGORIES:
        assert f"PR curve ({category}" in html and f"Confusion matrix ({category}" in html
        assert f"PR-AUC curve ({category}" in html and f"F1 curve ({category}" in html
    assert "Distinct-2, unique synthetic vs real" in html


def test_every_category_has_1000_train_positives_and_a_stratified_eval(repo):
    report = json.loads((repo / "reports" / "data.json").read_text())
    for category in CATEGORIES:
        train, ev = report[category]["train"], report[category]["eval"]
        assert train["pos"] >= 1000, category
        assert ev["pos"] > 0 and ev["neg"] > 0, category
        train_share = train["pos"] / (train["pos"] + train["neg"])
        eval_share = ev["pos"] / (ev["pos"] + ev["neg"])
        assert abs(train_share - eval_share) < 0.05, category  # weak train-only rows shift it a little


def test_no_eval_text_in_train(repo):
    train = {dedup_key(r["text"]) for r in read_jsonl(repo / "data" / "prepared" / "train.jsonl")}
    evals = {dedup_key(r["text"]) for r in read_jsonl(repo / "data" / "prepared" / "eval.jsonl")}
    assert evals and not train & evals


def test_generate_wrote_records_with_provenance(repo):
    report = json.loads((repo / "reports" / "generate.json").read_text())
    assert report["hate"]["pos"]["requests"] >= 1 and report["hate"]["neg"]["requests"] >= 1
    finetune = json.loads((repo / "reports" / "finetune.json").read_text())
    assert finetune["enabled"] and finetune["steps"] == 2
    adapter = json.loads((repo / "models" / "adapter" / "adapter_info.json").read_text())
    for path in ("generated.jsonl", "rejected.jsonl"):
        for record in read_jsonl(repo / "data" / "synthetic" / path):
            assert record["adapter"] == adapter["sha256"] and record["model"] == "smollm2-135m"
            assert record["category"] == "hate" and record["template"] == "v1"


def test_augmented_models_train_on_the_unique_synthetic_records_and_none_leak_from_eval(repo):
    unique = list(read_jsonl(repo / "data" / "synthetic" / "unique.jsonl"))
    generated = list(read_jsonl(repo / "data" / "synthetic" / "generated.jsonl"))
    removed = list(read_jsonl(repo / "data" / "synthetic" / "removed.jsonl"))
    assert len(unique) + len(removed) == len(generated)
    evals = {dedup_key(r["text"]) for r in read_jsonl(repo / "data" / "prepared" / "eval.jsonl")}
    assert not evals & {dedup_key(r["text"]) for r in unique}
    augmented = [r for r in read_jsonl(repo / "data" / "augmented" / "train.jsonl") if r["source"] == "synthetic"]
    report = json.loads((repo / "reports" / "augment.json").read_text())
    assert len(augmented) == sum(report[c]["synthetic"]["pos"] + report[c]["synthetic"]["neg"] for c in CATEGORIES)
    assert {r["id"] for r in augmented} <= {r["id"] for r in unique}
    dedup = json.loads((repo / "reports" / "dedup.json").read_text())
    assert dedup["total"]["generated"] == len(generated) and dedup["total"]["unique"] == len(unique)
    meta = json.loads((repo / "models" / "classifier" / "augmented" / "hate.json").read_text())
    baseline = json.loads((repo / "models" / "classifier" / "baseline" / "hate.json").read_text())
    added = report["hate"]["synthetic"]["pos"] + report["hate"]["synthetic"]["neg"]
    assert meta["synthetic_rows"] == added and meta["train_rows"] == baseline["train_rows"] + added


def test_retraining_gives_byte_identical_model_files(repo):
    paths = [repo / "models" / "classifier" / "features.skops"] + [
        repo / "models" / "classifier" / kind / f"{category}.skops"
        for kind in ("baseline", "augmented", "reference") for category in CATEGORIES]
    before = [p.read_bytes() for p in paths]
    for stage in ("features", "train_baseline", "train_augmented", "train_reference"):
        sh("dvc", "repro", "--force", "--single-item", stage, cwd=repo)
    assert [p.read_bytes() for p in paths] == before
    assert "up to date" in sh("dvc", "status", cwd=repo)


def test_exp_run_with_the_openai_backend_against_a_served_adapter(repo, tmp_path):
    """Last in this module: it runs an experiment in the workspace, then puts the workspace back as it was."""
    from tests.llm.openai_server import LoopbackServer

    saved = {name: (repo / name).read_bytes() for name in ("params.yaml", "dvc.lock", "reports/generate.json")}
    before = list(read_jsonl(repo / "data" / "synthetic" / "generated.jsonl"))
    try:
        with LoopbackServer(repo / "models" / "base", "toxsynth", adapter_dir=repo / "models" / "adapter") as server:
            sh("dvc", "exp", "run", "generate", "-S", "generate.backend=openai",
               "-S", f"generate.openai.base_url={server.base_url}", "-S", "generate.openai.model=toxsynth", cwd=repo)
            assert server.attempts >= 2 and server.auth_headers
        served = list(read_jsonl(repo / "data" / "synthetic" / "generated.jsonl"))
        report = json.loads((repo / "reports" / "generate.json").read_text())
    finally:
        for name, data in saved.items():
            (repo / name).write_bytes(data)
        sh("dvc", "checkout", "--force", cwd=repo)  # outputs from the cache; uncached metrics were restored above
    assert report["run"]["device"] == "server"
    assert served and all(r["backend"] == "openai" for r in served)
    assert before and all(r["backend"] == "transformers" for r in before)
    assert {tuple(sorted(r)) for r in served} == {tuple(sorted(r)) for r in before}  # one record schema
    assert "up to date" in sh("dvc", "status", cwd=repo)
