"""Leave one source out: per category, train on every source but one and score the source left out.

For each category and each source with both labels in train, the shipped recipe (shared TF-IDF fitted without that
source, MLP with its validation-chosen threshold) and the reference (TF-IDF + LogisticRegression, balanced) are
trained on the other sources' train rows, and both score the held-out source's train rows (at most --max-test,
stratified). The eval split is not touched. With several --seeds, each fold trains the MLP once per seed (its
validation split, threshold, initial weights, batch order and dropout masks; the fold's features and the reference
do not depend on the seed) and the MLP's figures are the mean over seeds. Each fold and the mean over a category's
folds get a paired bootstrap of MLP minus reference (the held-out rows resampled, each fold on its own, and the
seeds resampled with them, so the interval carries the training noise too; 95% intervals): an interval that
contains 0 is no difference. With --betas, each model is also scored at the F-beta cut of each beta on its own
validation rows (threshold_study.py's rule), reported as `<category> F<beta>`; the same models serve every cut.
Run after `dvc repro prepare`:

    python benchmarks/leave_one_source_out.py --categories hate --seeds 42 43 44 --out reports/loso.json
    python benchmarks/leave_one_source_out.py --set train.input_dropout=0.15 --out /tmp/loso-dropout.json
    python benchmarks/leave_one_source_out.py --categories hate --seeds 42 43 44 --betas 1 1.5 --out /tmp/cuts.json
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

import numpy as np
from detector_study import overrides, with_overrides
from joblib import Parallel, delayed
from sklearn.metrics import average_precision_score
from sklearn.model_selection import train_test_split

from toxsynth import CATEGORIES
from toxsynth.classifier.confidence import bootstrap_indices, f1_from_predictions, interval, seed_mean_resamples
from toxsynth.classifier.features import FeatureParams, feature_rows, fit_features
from toxsynth.classifier.model import TrainParams, best_threshold, train
from toxsynth.classifier.reference import train_reference
from toxsynth.classifier.rows import cap_real_rows, validation_split
from toxsynth.config import Params
from toxsynth.jsonl import read_records, write_json

MIN_PER_LABEL = 50  # a held-out source needs this many rows of each label to give an F1


def held_out_rows(rows: list[dict], max_test: int, seed: int) -> list[dict]:
    rows = sorted(rows, key=lambda r: r["id"])
    if len(rows) <= max_test:
        return rows
    return train_test_split(rows, train_size=max_test, stratify=[r["label"] for r in rows], random_state=seed)[0]


def held_out_sources(rows: list[dict]) -> list[str]:
    """The sources of a category's `rows` with at least MIN_PER_LABEL rows of each label, sorted."""
    counts = defaultdict(lambda: [0, 0])
    for r in rows:
        counts[r["source"]][r["label"]] += 1
    return sorted(s for s, (neg, pos) in counts.items() if min(neg, pos) >= MIN_PER_LABEL)


def validation_scores(model, rows: list[dict], params: TrainParams, category: str, seed: int):
    """(fit rows, validation rows, their labels, the model's probabilities on them): the split `train` carves for
    `category` with `seed`, recomputed."""
    capped = cap_real_rows([r for r in rows if r["category"] == category], params.max_rows, seed)
    fit, val = validation_split(capped, params.validation_fraction, seed)
    return fit, val, np.array([r["label"] for r in val]), model.predict_proba([r["text"] for r in val])[:, 1]


def fbeta_cuts(y: np.ndarray, prob: np.ndarray, betas: list[float]) -> dict:
    return {f"F{beta:g}": best_threshold(y, prob, beta) for beta in betas}


def score(y: np.ndarray, prob: np.ndarray, threshold: float) -> dict:
    return {"f1": round(float(f1_from_predictions(y, (prob > threshold).astype(int))), 4),
            "pr_auc": round(float(average_precision_score(y, prob)), 4)}


def rounded(delta: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in delta.items()}


def resampled_delta(fold: tuple, rounds: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(F1, PR-AUC) of the MLP's seed mean minus the reference's, per bootstrap round of the fold's held-out rows
    (seeds resampled too). `fold`: (y, MLP runs [(prob, cut) per seed], reference (prob, cut))."""
    y, runs, reference = fold
    idx = bootstrap_indices(len(y), rounds, seed)
    (mlp_f1, mlp_pr), (ref_f1, ref_pr) = (seed_mean_resamples(y, r, idx, seed) for r in (runs, [reference]))
    return mlp_f1 - ref_f1, mlp_pr - ref_pr


def delta(folds: list[tuple], rounds: int, seed: int) -> dict:
    """The bootstrap interval of the mean over `folds` of MLP minus reference: each round resamples every fold's rows
    (seed + fold number) and seeds on its own and averages the folds' differences."""
    f1, pr_auc = zip(*(resampled_delta(fold, rounds, seed + k) for k, fold in enumerate(folds)))
    f1, pr_auc = np.mean(f1, axis=0), np.nanmean(pr_auc, axis=0)
    (f1_low, f1_high), (pr_low, pr_high) = interval(f1), interval(pr_auc)
    return rounded({"f1_ci_low": f1_low, "f1_ci_high": f1_high, "pr_auc_ci_low": pr_low, "pr_auc_ci_high": pr_high,
                    "significant": bool(f1_low > 0 or f1_high < 0)})


def seed_mean_score(y: np.ndarray, runs: list[tuple]) -> dict:
    scores = [score(y, prob, cut) for prob, cut in runs]
    out = {key: round(float(np.mean([s[key] for s in scores])), 4) for key in ("f1", "pr_auc")}
    return out if len(runs) == 1 else {**out, "f1_by_seed": [s["f1"] for s in scores]}


def shared_features(records: list[dict], feature_params: FeatureParams, train_params: TrainParams, seed: int):
    """The shared features fitted on `records` as the features stage fits them (the detectors' fit rows, `seed`)."""
    texts, labelled = feature_rows(records, CATEGORIES, train_params.max_rows, train_params.validation_fraction, seed)
    return fit_features(texts, feature_params, labelled)


def features_without(by_category: dict, source: str, feature_params: FeatureParams, train_params: TrainParams,
                     seed: int):
    """The shared features, fitted on every category's rows but `source`'s."""
    others = [r for c in CATEGORIES for r in by_category[c] if r["source"] != source]
    return shared_features(others, feature_params, train_params, seed)


def fold_runs(rows: list[dict], category: str, source: str, features, train_params: TrainParams, seeds: list[int],
              betas: list[float] | None, max_test: int, seed: int):
    """One fold: the held-out labels, report name -> [(MLP probabilities, cut) per seed], and the reference's."""
    rest = [r for r in rows if r["source"] != source]
    test = held_out_rows([r for r in rows if r["source"] == source], max_test, seed)
    y, texts = np.array([r["label"] for r in test]), [r["text"] for r in test]
    reference, ref_meta = train_reference(rest, category, train_params, seed)
    runs = defaultdict(list)
    for run_seed in seeds:
        model, meta = train(rest, category, features, train_params, run_seed)
        prob = model.predict_proba(texts)[:, 1]
        runs[category].append((prob, meta["threshold"]))
        if betas:
            _, _, val_y, val_prob = validation_scores(model, rest, train_params, category, run_seed)
            for name, cut in fbeta_cuts(val_y, val_prob, betas).items():
                runs[f"{category} {name}"].append((prob, cut))
    return y, dict(runs), (reference.predict_proba(texts)[:, 1], ref_meta["threshold"])


def fold_report(name: str, source: str, scored: list[tuple], rounds: int, seed: int) -> dict:
    """The last of `scored`'s folds: its figures and the paired bootstrap of MLP minus reference, also printed."""
    y, runs, reference = scored[-1]
    fold = {"rows": len(y), "positives": int(y.sum()), "mlp": seed_mean_score(y, runs),
            "reference": score(y, *reference)}
    difference = fold["mlp_minus_reference"] = {key: round(fold["mlp"][key] - fold["reference"][key], 4)
                                                for key in ("f1", "pr_auc")}
    difference.update(delta(scored[-1:], rounds, seed + len(scored) - 1))
    print(f"{name:<10} {source:<25} {fold['rows']:>5} {fold['positives']:>5}  {fold['mlp']['f1']:.3f}   "
          f"{fold['reference']['f1']:.3f}   {difference['f1']:+.3f} [{difference['f1_ci_low']:+.3f}, "
          f"{difference['f1_ci_high']:+.3f}]  {fold['mlp']['pr_auc']:.3f}       {fold['reference']['pr_auc']:.3f}",
          flush=True)
    return fold


def summary(folds: dict) -> dict:
    out = {}
    for model in ("mlp", "reference"):
        f1 = {source: fold[model]["f1"] for source, fold in folds.items()}
        worst = min(f1, key=f1.get)
        out[model] = {"mean_f1": round(float(np.mean(list(f1.values()))), 4),
                      "mean_pr_auc": round(float(np.mean([fold[model]["pr_auc"] for fold in folds.values()])), 4),
                      "worst_source": worst, "worst_f1": f1[worst]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--train", default="data/prepared/train.jsonl")
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES))
    parser.add_argument("--max-test", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap resamples per fold")
    parser.add_argument("--seeds", type=int, nargs="+", help="the MLP's training seeds (default: params.yaml's seed)")
    parser.add_argument("--set", default="", help="section.key=value,... e.g. train.input_dropout=0.15")
    parser.add_argument("--betas", type=float, nargs="+", help="also score each model at these F-beta cuts")
    parser.add_argument("--jobs", type=int, default=1, help="folds trained at once (one process each)")
    parser.add_argument("--out", default="reports/loso.json")
    args = parser.parse_args()
    params, (_, changes) = Params(args.params), overrides(f"set={args.set}")
    seed = params.seed()
    seeds = args.seeds or [seed]
    feature_params, train_params = with_overrides(changes, params.section(FeatureParams, "features"),
                                                  params.section(TrainParams, "train"))
    records = read_records(args.train, ("id", "text", "label", "category", "source"))
    by_category = {c: [r for r in records if r["category"] == c] for c in CATEGORIES}
    report = defaultdict(dict)
    print("category   held-out source            rows  pos   MLP F1  ref F1  MLP - ref F1 [95%]      "
          "MLP PR-AUC  ref PR-AUC", flush=True)
    held_out = {category: held_out_sources(by_category[category]) for category in args.categories}
    needed = sorted({source for sources in held_out.values() for source in sources})  # once, whatever the category
    features = dict(zip(needed, Parallel(n_jobs=args.jobs)(
        delayed(features_without)(by_category, source, feature_params, train_params, seed) for source in needed)))
    for category, sources in held_out.items():
        folds = Parallel(n_jobs=args.jobs, return_as="generator")(  # in order, as each is done
            delayed(fold_runs)(by_category[category], category, source, features[source], train_params, seeds,
                               args.betas, args.max_test, seed) for source in sources)
        scored = defaultdict(list)
        for source, (y, runs, reference_run) in zip(sources, folds):
            for name, name_runs in runs.items():
                scored[name].append((y, name_runs, reference_run))
                report[name][source] = fold_report(name, source, scored[name], args.rounds, seed)
        for name in scored:
            report[name] = {"folds": report[name], **summary(report[name])}
            mean = report[name]["mlp_minus_reference"] = {
                **{key: round(report[name]["mlp"][key] - report[name]["reference"][key], 4)
                   for key in ("mean_f1", "mean_pr_auc")}, **delta(scored[name], args.rounds, seed)}
            print(f"{name:<10} mean F1: MLP {report[name]['mlp']['mean_f1']:.3f}, reference "
                  f"{report[name]['reference']['mean_f1']:.3f}; worst: MLP {report[name]['mlp']['worst_source']} "
                  f"{report[name]['mlp']['worst_f1']:.3f}, reference {report[name]['reference']['worst_source']} "
                  f"{report[name]['reference']['worst_f1']:.3f}; MLP - reference mean F1 {mean['mean_f1']:+.3f} "
                  f"[{mean['f1_ci_low']:+.3f}, {mean['f1_ci_high']:+.3f}]", flush=True)
    write_json(args.out, json.loads(json.dumps({"set": args.set, "seeds": seeds, **report})))


if __name__ == "__main__":
    main()
