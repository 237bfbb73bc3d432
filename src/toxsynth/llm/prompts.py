"""Prompt rendering for synthesis: Role + Requirement + Few-shot examples (Hui et al., Appendix A, own words).

Template versions, each with a positive form (entries harmful in the category) and a negative form (harmless):
v1-v3 follow the paper (the negative form asks for text unrelated to the category; its samples are the category's
real negative texts, shown as style references); v4 adds a setting drawn per request from `templates/attributes.yaml`
(platform, length, register, tone, and a target or topic); `rewrite` shows real texts of the other label and asks
for each to be rewritten into this label (harmful rewrites of real harmless posts, harmless rewrites of harmful ones). The templates live in `templates/` as `<version>_<pos|neg>.txt`
(`string.Template` placeholders `$name`, `$definition`, `$n_entries`, `$examples`, and v4's attributes); the category names and
definitions in `templates/categories.yaml`. Both ship as package data and are read with importlib.resources.
"""

from __future__ import annotations

import functools
import hashlib
import random
from importlib import resources
from string import Template

import yaml

from toxsynth import CATEGORIES

VERSIONS = ("v1", "v2", "v3", "v4", "rewrite")
REWRITE = "rewrite"  # its examples are the texts to rewrite, of the other label; one entry per example
PAPER_VERSIONS = ("v1", "v2", "v3")  # those a fine-tuning record can use: its answer is more real texts of the label
ATTRIBUTES = ("platform", "length", "register", "tone")  # v4 also draws a target (positive) or topic (negative)
LABELS = (1, 0)  # 1 = harmful in the category (positive form), 0 = unrelated to it (negative form)
FORMS = {1: "pos", 0: "neg"}

SHORT_MAX_WORDS = 30  # "short" few-shot examples: at most this many words ...
SHORT_MAX_CHARS = 300  # ... and at most this many characters
LONG_MAX_WORDS = 120  # "long" examples: more than SHORT_MAX_WORDS and at most this many (never truncated)
MODES = ("short", "long")
TEMPLATE_SUFFIXES = (".txt", ".yaml")  # what counts as a template file (stray editor files do not)


def _templates_dir():
    return resources.files("toxsynth.llm").joinpath("templates")


def _template_files() -> list:
    """All template files (.txt, .yaml) in templates/, sorted by name."""
    files = (f for f in _templates_dir().iterdir() if f.is_file() and f.name.endswith(TEMPLATE_SUFFIXES))
    return sorted(files, key=lambda f: f.name)


@functools.cache
def _template(version: str, label: int) -> Template:
    return Template(_templates_dir().joinpath(f"{version}_{FORMS[label]}.txt").read_text(encoding="utf-8"))


@functools.cache
def categories() -> dict[str, dict[str, str]]:
    """{category: {"name": ..., "definition": ...}} from templates/categories.yaml."""
    data = yaml.safe_load(_templates_dir().joinpath("categories.yaml").read_text(encoding="utf-8"))
    missing = set(CATEGORIES) - set(data)
    if missing:
        raise ValueError(f"templates/categories.yaml lacks {sorted(missing)}")
    return data


@functools.cache
def _attribute_lists() -> dict:
    return yaml.safe_load(_templates_dir().joinpath("attributes.yaml").read_text(encoding="utf-8"))


def draw_attributes(category: str, label: int, rng: random.Random) -> dict[str, str]:
    """v4's setting for one request: one value of each list, and a target (positive form) or topic (negative)."""
    lists = _attribute_lists()
    drawn = {name: rng.choice(lists[name]) for name in ATTRIBUTES}
    key = "target" if label == 1 else "topic"
    drawn[key] = rng.choice(lists["targets" if label == 1 else "topics"][category])
    return drawn


def _one_line(text: str) -> str:
    """An example as one line: runs of whitespace (newlines included) become one space."""
    return " ".join(text.split())


def render(version: str, category: str, label: int, examples: list[str], n_entries: int,
           attributes: dict[str, str] | None = None) -> str:
    """The full user prompt asking for `n_entries` numbered entries of `category` with `label`; v4 needs the
    `attributes` of draw_attributes."""
    if version not in VERSIONS:
        raise ValueError(f"unknown template version {version!r}; expected one of {VERSIONS}")
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of {CATEGORIES}")
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {LABELS}")
    if not isinstance(n_entries, int) or n_entries < 1:
        raise ValueError(f"n_entries must be an integer >= 1, got {n_entries!r}")
    lines = [_one_line(text) for text in examples]
    if not lines or not all(lines):
        raise ValueError("render needs at least one few-shot example, and no empty ones")
    if version == "v4" and not attributes:
        raise ValueError("template v4 needs the attributes drawn for its request (draw_attributes)")
    info = categories()[category]
    return _template(version, label).substitute(
        **(attributes or {}),
        name=info["name"],
        definition=_one_line(info["definition"]),
        n_entries=n_entries,
        examples="\n".join(f"- {line}" for line in lines),
    ).strip()


def prompt_id(prompt: str) -> str:
    """Stable id of a rendered prompt: the first 16 hex digits of its sha256."""
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()[:16]


def templates_fingerprint() -> str:
    """sha256 over every template file (name and bytes, sorted by name): changes when any template changes."""
    digest = hashlib.sha256()
    for f in _template_files():
        data = f.read_bytes()
        digest.update(f"{f.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _words(text: str) -> int:
    return len(text.split())


def _in_mode(text: str, mode: str) -> bool:
    words = _words(text)
    if mode == "short":
        return 1 <= words <= SHORT_MAX_WORDS and len(text) <= SHORT_MAX_CHARS
    return SHORT_MAX_WORDS < words <= LONG_MAX_WORDS


def sample_examples(pool: list[dict], k: int, mode: str, rng: random.Random) -> list[dict]:
    """k distinct records ({"id", "text", ...}) from `pool` for a few-shot block, drawn with `rng`.

    "short" takes texts of at most 30 words and 300 characters; "long" takes texts of 31-120 words (longer
    texts are skipped, never truncated). When the mode's records number fewer than k, all of them are taken
    and the rest is drawn from the other usable records (non-empty, at most 120 words). Texts over 120
    words are never used; ValueError when fewer than k usable records exist. The pool is sorted by
    (id, text) first, so the result depends only on its content and the rng state, not on its order.
    """
    if mode not in MODES:
        raise ValueError(f"unknown sampling mode {mode!r}; expected one of {MODES}")
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    ordered = sorted(pool, key=lambda r: (str(r["id"]), r["text"]))
    usable = [r for r in ordered if 1 <= _words(r["text"]) <= LONG_MAX_WORDS]
    primary = [r for r in usable if _in_mode(r["text"], mode)]
    others = [r for r in usable if not _in_mode(r["text"], mode)]
    if len(usable) < k:
        raise ValueError(f"need {k} few-shot examples, the pool has only {len(usable)} usable texts")
    chosen = rng.sample(primary, min(k, len(primary)))
    return chosen + rng.sample(others, k - len(chosen))
