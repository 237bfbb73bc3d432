"""Plan, run and score generation requests for every category x label x template version.

Requests are planned in rounds: round 0 asks each category x label x version for enough requests to reach
`target_entries` valid entries if `expected_valid_share` of the requested entries were valid (few, large
batches are faster than many small ones); later rounds ask again, sized by the valid
entries per request seen so far, until the target or `max_requests` is reached. Everything that decides a request (its few-shot sample,
its batch, the batch's seed) derives from `seed` and the request id, and finished batches go to a journal, so a
killed run resumes to exactly the records an uninterrupted run produces.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from tqdm import tqdm

from toxsynth import CATEGORIES, LABEL_NAMES
from toxsynth.config import FieldError, in_range, one_of, some_of
from toxsynth.hashing import json_sha256
from toxsynth.llm.backend import Backend, SamplingParams
from toxsynth.llm.journal import Journal
from toxsynth.llm.openai_backend import OpenAIParams
from toxsynth.llm.parse import classify, parse_entries
from toxsynth.llm.prompts import (MODES, PAPER_VERSIONS, REWRITE, VERSIONS, draw_attributes, prompt_id, render,
                                  sample_examples)
from toxsynth.llm.resources import derived_seed


BACKENDS = ("transformers", "openai")


@dataclass(frozen=True)
class GenerateParams:
    categories: tuple[str, ...] = CATEGORIES
    versions: tuple[str, ...] = PAPER_VERSIONS
    target_entries: int = 10  # valid entries wanted per category x label x version
    max_requests: int = 8  # per category x label x version, however poorly responses parse
    expected_valid_share: float = 0.4  # round 0 plans as if this share of the requested entries will be valid
    entries_per_request: int = 6  # "N" in the prompt (paper: 30)
    few_shot: int = 3
    sample_mode: str = "short"  # short | long few-shot examples
    batch_size: int = 64
    temperature: float = 0.9
    top_p: float = 0.95
    repetition_penalty: float = 1.1
    max_new_tokens: int = 224
    response_prefix: str = "1."  # the reply starts as a numbered list
    min_words: int = 3  # shorter entries are rejected as too_short
    max_words: int = 80  # longer entries are rejected as too_long
    backend: str = "transformers"  # transformers: in this process | openai: an OpenAI-compatible server
    openai: OpenAIParams = field(default_factory=OpenAIParams)

    def __post_init__(self):
        one_of(self, "backend", BACKENDS)
        some_of(self, "categories", CATEGORIES)
        some_of(self, "versions", VERSIONS)
        one_of(self, "sample_mode", MODES)
        in_range(self, "[1, inf)", "target_entries", "max_requests", "entries_per_request", "few_shot", "batch_size",
               "max_new_tokens", "min_words")
        in_range(self, "(0, 1]", "expected_valid_share", "top_p")
        in_range(self, "(0, inf)", "temperature", "repetition_penalty")
        if self.min_words > self.max_words:
            raise FieldError("min_words", f"min_words must be <= max_words ({self.max_words}), got {self.min_words}")

    @property
    def combos(self) -> list[tuple[str, int, str]]:
        """Every category x label x template version, in generation order."""
        return [(c, label, v) for c in self.categories for label in LABEL_NAMES for v in self.versions]

    @property
    def sampling(self) -> SamplingParams:
        return SamplingParams(self.temperature, self.top_p, self.repetition_penalty, self.max_new_tokens,
                              self.response_prefix)


@dataclass(frozen=True)
class Request:
    id: str
    category: str
    label: int
    version: str
    prompt: str
    few_shot: tuple[dict, ...]

    @property
    def combo(self) -> tuple[str, int, str]:
        return self.category, self.label, self.version

    def judge(self, response: str, params: GenerateParams) -> list[tuple[str, str | None]]:
        """Each entry parsed from this request's response, with its rejection reason (None: valid)."""
        shots = [s["text"] for s in self.few_shot]
        return [(entry, classify(entry, shots, self.prompt, params.min_words, params.max_words))
                for entry in parse_entries(response)]

    def valid_count(self, response: str, params: GenerateParams) -> int:
        return sum(reason is None for _, reason in self.judge(response, params))


def make_request(combo: tuple[str, int, str], index: int, pools: dict, params: GenerateParams, seed: int) -> Request:
    category, label, version = combo
    request_id = f"{category}-{LABEL_NAMES[label]}-{version}-{index:04d}"
    rng = random.Random(derived_seed(seed, "few-shot", request_id))
    if version == REWRITE:  # the texts to rewrite: real ones of the other label, one entry each
        shots = sample_examples(pools[(category, 1 - label)], params.entries_per_request, params.sample_mode, rng)
        prompt = render(version, category, label, [s["text"] for s in shots], len(shots))
    else:
        shots = sample_examples(pools[(category, label)], params.few_shot, params.sample_mode, rng)
        attributes = draw_attributes(category, label, rng) if version == "v4" else None
        prompt = render(version, category, label, [s["text"] for s in shots], params.entries_per_request, attributes)
    return Request(request_id, category, label, version, prompt, tuple({"id": s["id"], "text": s["text"]} for s in shots))


def few_shot_pools(train: list[dict], categories: tuple[str, ...]) -> dict:
    pools = defaultdict(list)
    for r in train:
        if r["category"] in categories:
            pools[(r["category"], r["label"])].append(r)
    return pools


def plan_round(issued: dict, valid: dict, params: GenerateParams) -> dict[tuple, int]:
    """How many more requests each combo needs, from what earlier rounds issued and how many entries were valid."""
    wanted = {}
    for combo, n in issued.items():
        deficit = params.target_entries - valid[combo]
        if deficit <= 0 or n >= params.max_requests:
            continue
        first_guess = params.entries_per_request * params.expected_valid_share
        per_request = valid[combo] / n if n and valid[combo] else (first_guess if n == 0 else 1)
        wanted[combo] = min(params.max_requests - n, math.ceil(deficit / max(per_request, 1)))
    return wanted


def run(backend: Backend, journal: Journal, train: list[dict], params: GenerateParams,
        seed: int) -> tuple[list[Request], int]:
    """Generate until every combo reaches its target or cap.

    Returns all requests in order (their responses are in the journal) and the number of valid entries this call
    generated itself, i.e. not counting batches resumed from the journal.
    """
    pools = few_shot_pools(train, params.categories)
    combos = params.combos
    issued, valid = dict.fromkeys(combos, 0), dict.fromkeys(combos, 0)
    requests: list[Request] = []
    fresh_valid = 0
    bar = tqdm(desc="generate: requests", unit="req")
    for round_index in range(params.max_requests + 1):
        wanted = plan_round(issued, valid, params)
        if not wanted:
            break
        batch_requests = [make_request(combo, issued[combo] + k, pools, params, seed)
                          for combo in combos for k in range(wanted.get(combo, 0))]
        bar.total = (bar.total or 0) + len(batch_requests)
        for b, batch in enumerate(chunks(batch_requests, params.batch_size)):
            position = f"{round_index}-{b}"
            key = batch_key(position, batch)
            fresh = key not in journal.batches
            if fresh:
                journal.append(key, answer(backend, journal, key, batch, derived_seed(seed, "batch", position)))
            for r in batch:
                n = r.valid_count(journal.batches[key][r.id], params)
                valid[r.combo] += n
                fresh_valid += n if fresh else 0
            bar.update(len(batch))
            bar.set_postfix(valid_entries=sum(valid.values()))
        for combo, n in wanted.items():
            issued[combo] += n
        requests += batch_requests
    bar.close()
    return requests, fresh_valid


def answer(backend: Backend, journal: Journal, key: str, batch: list[Request], seed: int) -> dict[str, str]:
    """Each request's response; a per-request backend journals each as it arrives and skips those already there."""
    if not getattr(backend, "per_request", False):
        return {r.id: text for r, text in zip(batch, backend.generate([r.prompt for r in batch], seed))}
    done = dict(journal.partial.get(key, {}))
    missing = [(i, r.prompt) for i, r in enumerate(batch) if r.id not in done]
    for i, text in backend.generate_each(missing, seed):
        journal.append_request(key, batch[i].id, text)
        done[batch[i].id] = text
    return {r.id: done[r.id] for r in batch}


def batch_key(position: str, batch: list[Request]) -> str:
    """The journal key of a batch: its position (which fixes its seed) and every request's id and prompt."""
    return json_sha256([position, [[r.id, r.prompt] for r in batch]])[:16]


def chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def score(requests: list[Request], journal: Journal, params: GenerateParams, provenance: dict, seed: int):
    """(valid records, rejected records, report) from the journal's responses."""
    valid, rejected = [], []
    stats = defaultdict(Counter)
    for r in requests:
        entries = r.judge(journal.responses[r.id], params)
        key = (r.category, LABEL_NAMES[r.label])
        stats[key]["requests"] += 1
        stats[key]["entries"] += len(entries)
        for i, (text, reason) in enumerate(entries):
            digest = hashlib.sha256(f"{r.id}:{i}:{text}".encode()).hexdigest()[:16]
            record = {"id": f"synthetic:{digest}", "text": text, "label": r.label, "category": r.category,
                      "source": "synthetic", **provenance, "template": r.version, "prompt_id": prompt_id(r.prompt),
                      "few_shot_ids": [s["id"] for s in r.few_shot], "request_id": r.id, "entry": i, "seed": seed}
            if r.version == REWRITE and i < len(r.few_shot):
                record["rewrite_of"] = r.few_shot[i]["id"]  # the real text this entry rewrites
            if reason is None:
                valid.append(record)
                stats[key]["valid"] += 1
            else:
                rejected.append({**record, "reason": reason})
                stats[key][reason] += 1
    report = {}
    for category in params.categories:
        report[category] = {}
        for label in LABEL_NAMES.values():
            s = stats[(category, label)]
            n = s["entries"] or 1
            report[category][label] = {"requests": s["requests"], "entries": s["entries"], "valid": s["valid"],
                                       "success_rate": round(s["valid"] / n, 4),
                                       "refusal_rate": round(s["refusal"] / n, 4),
                                       "garbage_rate": round(s["garbage"] / n, 4),
                                       "rejected": {k: v for k, v in sorted(s.items())
                                                    if k not in ("requests", "entries", "valid")}}
    return valid, rejected, report
