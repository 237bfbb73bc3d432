"""Turn every fetched source into canonical records: normalize, drop empties / duplicates / conflicts, split.

Train keeps no text that is, or nearly is (MinHash, as in the dedup stage), an eval text of any category.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from toxsynth.config import in_range
from toxsynth.data import adapters
from toxsynth.data.normalize import dedup_key, normalize
from toxsynth.data.records import Skip, SourceRow
from toxsynth.data.split import Item, split_eval
from toxsynth.errors import InputError
from toxsynth.sources import Source
from toxsynth.synthetic import minhash
from toxsynth.synthetic.minhash import MinHashParams, Signer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrepareParams:
    eval_size: int = 2500  # eval records per category (the paper held out 2,500 per dataset) ...
    eval_max_fraction: float = 0.2  # ... but never more than this share of the category's rows

    def __post_init__(self):
        in_range(self, "[0, inf)", "eval_size")
        in_range(self, "[0, 1]", "eval_max_fraction")


@dataclass
class Candidate:
    source: str
    text: str
    key: str
    label: int
    group: str
    train_only: bool

    def record(self, category: str) -> dict:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]
        record = {"id": f"{self.source}:{digest}", "text": self.text, "label": self.label,
                  "category": category, "source": self.source}
        if self.group != self.key:  # the adapter gave one (e.g. a user): a validation split keeps it together
            record["group"] = self.group
        return record


@dataclass
class Prepared:
    train: list[dict]
    eval: list[dict]
    report: dict


def source_files(source: Source, raw_dir: Path) -> dict[str, Path]:
    files = {f.name: raw_dir / source.name / f.name for f in source.files}
    for path in files.values():
        if not path.is_file():
            raise InputError(path, None, "missing: run the fetch stage first (dvc repro fetch)")
    return files


def read_source(source: Source, raw_dir: Path) -> Iterator[SourceRow | Skip]:
    """The adapter's items; an error in the source's options names its place in params.yaml."""
    try:
        yield from adapters.get(source.adapter)(source_files(source, raw_dir), source.options)
    except InputError as e:
        if e.path != "params.yaml" or e.line is not None:
            raise
        raise InputError(source.origin[0], source.origin[1], f"source {source.name!r}: {e.reason}") from None


class Tally:
    """Counts of dropped rows per reason and per source."""

    def __init__(self):
        self.by_source: dict[str, Counter] = defaultdict(Counter)

    def drop(self, source: str, reason: str, n: int = 1) -> None:
        self.by_source[source][reason] += n

    def totals(self) -> dict[str, int]:
        total = Counter()
        for counts in self.by_source.values():
            total.update(counts)
        return dict(sorted(total.items()))


def collect(sources, raw_dir, categories, tally, rows_read) -> dict[str, list[Candidate]]:
    pools: dict[str, list[Candidate]] = {c: [] for c in categories}
    for source in tqdm(sources, desc="prepare: read sources", unit="source"):
        for item in read_source(source, raw_dir):
            rows_read[source.name] += 1
            if isinstance(item, Skip):
                tally.drop(source.name, item.reason)
                continue
            text = normalize(item.text)
            if not text:
                tally.drop(source.name, "empty")
                continue
            key = dedup_key(text)
            wanted = {c: label for c, label in item.labels.items() if c in pools}
            if not wanted:
                tally.drop(source.name, "category_not_selected")
            for category, label in wanted.items():
                pools[category].append(Candidate(source.name, text, key, label, item.group or key, item.train_only))
    return pools


def dedup(pool: list[Candidate], tally: Tally) -> list[Candidate]:
    """Keep the first record of each text; drop every copy of a text that carries both labels."""
    by_key: dict[str, list[Candidate]] = defaultdict(list)
    for cand in pool:
        by_key[cand.key].append(cand)
    kept = []
    for copies in by_key.values():
        if len({c.label for c in copies}) > 1:
            for c in copies:
                tally.drop(c.source, "conflicting_labels")
            continue
        kept.append(copies[0])
        for c in copies[1:]:
            tally.drop(c.source, "duplicate")
    return kept


def near_eval(train: list[Candidate], evals: list[Candidate], signer: Signer) -> set[str]:
    """Keys of the train texts that are MinHash near duplicates of some eval text, whatever its category.

    Texts without a word (emoji, punctuation) all have the same empty shingle, so they take no part.
    """
    texts = {c.key: c.text for c in train if minhash.words(c.text)}  # a text in several categories: hashed once
    keys = sorted(texts)
    reference = sorted({c.text for c in evals if minhash.words(c.text)})
    found = minhash.near_any([texts[k] for k in keys], reference, signer)
    return {keys[i] for i in found}


def prepare(sources: tuple[Source, ...], raw_dir: Path, categories: tuple[str, ...], params: PrepareParams, seed: int,
            near: MinHashParams = MinHashParams()) -> Prepared:
    tally, rows_read = Tally(), Counter()
    pools = collect(sources, Path(raw_dir), categories, tally, rows_read)
    splits: dict[str, tuple[list[Candidate], list[Candidate]]] = {}
    for category, pool in pools.items():
        kept = dedup(pool, tally)
        items = [Item(c.key, c.label, c.group, c.train_only) for c in kept]
        chosen = split_eval(items, params.eval_size, params.eval_max_fraction, seed)
        splits[category] = ([c for i, c in enumerate(kept) if i not in chosen], [kept[i] for i in sorted(chosen)])
    eval_keys = {c.key for _, ev in splits.values() for c in ev}
    for category, (tr, ev) in splits.items():
        for c in tr:
            if c.key in eval_keys:  # same text in another category's eval split
                tally.drop(c.source, "in_eval_of_other_category")
        splits[category] = ([c for c in tr if c.key not in eval_keys], ev)
    near_keys = near_eval([c for tr, _ in splits.values() for c in tr],
                          [c for _, ev in splits.values() for c in ev], Signer(near, seed))
    train, evals, report = [], [], {}
    per_source: dict[str, dict] = defaultdict(lambda: defaultdict(Counter))
    for category, (tr, ev) in splits.items():
        for c in tr:
            if c.key in near_keys:
                tally.drop(c.source, "near_eval")
        tr = [c for c in tr if c.key not in near_keys]
        report[category] = {"train": count_labels(tr), "eval": count_labels(ev)}
        for c in tr + ev:
            per_source[c.source][category]["pos" if c.label else "neg"] += 1
        train += [c.record(category) for c in tr]
        evals += [c.record(category) for c in ev]
    report["dropped"] = tally.totals()
    report["dropped_by_source"] = {s: dict(sorted(c.items())) for s, c in sorted(tally.by_source.items())}
    report["sources"] = {
        s.name: {"rows": rows_read[s.name], **{cat: dict(v) for cat, v in sorted(per_source[s.name].items())}}
        for s in sources
    }
    order = lambda r: (r["category"], r["id"])  # noqa: E731
    return Prepared(sorted(train, key=order), sorted(evals, key=order), report)


def count_labels(cands: list[Candidate]) -> dict[str, int]:
    pos = sum(c.label for c in cands)
    return {"pos": pos, "neg": len(cands) - pos}
