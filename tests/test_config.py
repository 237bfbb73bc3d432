"""params.yaml loading: unknown keys, wrong types and bad sources are errors that name the line."""

from __future__ import annotations

import pytest

from tests.conftest import write_params
from toxsynth.augment import AugmentParams
from toxsynth.classifier.confidence import EvaluateParams
from toxsynth.classifier.export import ExportParams
from toxsynth.classifier.features import FeatureParams
from toxsynth.classifier.latency import BenchmarkParams
from toxsynth.classifier.model import TrainParams
from toxsynth.config import Params, key_lines
from toxsynth.data.prepare import PrepareParams
from toxsynth.errors import InputError
from toxsynth.fetch import FetchParams
from toxsynth.llm.base import LLMParams
from toxsynth.llm.finetune import FinetuneParams
from toxsynth.llm.generate import GenerateParams
from toxsynth.sources import load_sources
from toxsynth.synthetic.dedup import DedupParams
from toxsynth.synthetic.diversity import DiversityParams
from toxsynth.synthetic.minhash import MinHashParams

SHA = "a" * 64
SECTIONS = {("fetch",): FetchParams, ("prepare",): PrepareParams, ("dedup", "minhash"): MinHashParams,
            ("llm",): LLMParams, ("finetune",): FinetuneParams, ("generate",): GenerateParams, ("dedup",): DedupParams,
            ("diversity",): DiversityParams, ("augment",): AugmentParams, ("features",): FeatureParams,
            ("train",): TrainParams, ("export",): ExportParams, ("evaluate",): EvaluateParams,
            ("benchmark",): BenchmarkParams}  # every section a stage reads, and its dataclass


def params_file(tmp_path, text: str) -> Params:
    path = tmp_path / "params.yaml"
    path.write_text(text)
    return Params(path)


def test_repo_params_load(sources):
    assert len(sources) == 20
    assert all(f.url.startswith("https://") for s in sources.values() for f in s.files)


def test_section_with_defaults_and_int_to_float(tmp_path):
    p = params_file(tmp_path, "fetch:\n  timeout_s: 5\n")
    assert p.section(FetchParams, "fetch") == FetchParams(timeout_s=5.0)


def test_unknown_key_names_its_line(tmp_path):
    p = params_file(tmp_path, "fetch:\n  timeout_s: 5\n  retires: 2\n")
    with pytest.raises(InputError) as e:
        p.section(FetchParams, "fetch")
    assert e.value.line == 3 and "fetch.retires: unknown key" in str(e.value)


def test_wrong_type_names_its_line(tmp_path):
    p = params_file(tmp_path, "prepare:\n  eval_size: lots\n")
    with pytest.raises(InputError) as e:
        p.section(PrepareParams, "prepare")
    assert e.value.line == 2 and "expected int" in str(e.value)


def test_missing_section(tmp_path):
    p = params_file(tmp_path, "seed: 1\n")
    with pytest.raises(InputError, match="prepare: missing"):
        p.section(PrepareParams, "prepare")


@pytest.mark.parametrize(
    "file_entry, message",
    [
        (f"{{name: a.csv, sha256: '{SHA}'}}", "exactly one of `url` or `path`"),
        (f"{{name: a.csv, sha256: '{SHA}', url: u, path: p}}", "exactly one of `url` or `path`"),
        ("{name: a.csv, sha256: abc, url: u}", "64 lowercase hex"),
        (f"{{name: ../a.csv, sha256: '{SHA}', url: u}}", "plain file name"),
        ("{name: a.csv, url: u}", "sha256: missing"),
    ],
    ids=["no-location", "two-locations", "short-sha", "path-in-name", "no-sha"],
)
def test_bad_source_file_entries(tmp_path, file_entry, message):
    p = params_file(tmp_path, f"data:\n  sources:\n    - name: s\n      adapter: davidson\n      files:\n        - {file_entry}\n")
    with pytest.raises(InputError, match=message) as e:
        load_sources(p)
    assert e.value.line == 6


def test_unknown_adapter(tmp_path):
    p = params_file(tmp_path, f"data:\n  sources:\n    - name: s\n      adapter: nope\n      files: [{{name: a, sha256: '{SHA}', url: u}}]\n")
    with pytest.raises(InputError, match="unknown adapter 'nope'") as e:
        load_sources(p)
    assert e.value.line == 4


def test_invalid_yaml(tmp_path):
    with pytest.raises(InputError, match="invalid YAML") as e:
        params_file(tmp_path, "seed: 1\nprepare: [\n")
    assert e.value.path.endswith("params.yaml")


def leaf(change: dict) -> tuple:
    """The key path of the one value in a nested one-key mapping, e.g. {"a": {"b": 1}} -> ("a", "b")."""
    (key, value), = change.items()
    return (key, *leaf(value)) if isinstance(value, dict) else (key,)


@pytest.mark.parametrize("change", [
    {"generate": {"top_p": 1.5}}, {"generate": {"sample_mode": "medium"}}, {"finetune": {"warmup_ratio": 1.0}},
    {"finetune": {"categories": []}}, {"prepare": {"eval_max_fraction": 1.5}}, {"prepare": {"categories": ["spam"]}},
    {"fetch": {"retries": -1}}, {"fetch": {"timeout_s": 0}}, {"dedup": {"semantic": {"batch_size": 0}}},
    {"dedup": {"minhash": {"shingle_words": 0}}}, {"diversity": {"self_bleu_max_n": 0}},
    {"augment": {"max_synthetic_share": -1.0}}, {"features": {"min_df": 0}}, {"train": {"learning_rate_init": 0}},
    {"train": {"hidden_layers": [600, 0]}}, {"train": {"max_rows": -1}}, {"export": {"opset": 15}},
    {"evaluate": {"bootstrap_rounds": 0}}, {"benchmark": {"threads": 0}}, {"benchmark": {"warmup": -1}},
    {"llm": {"dtype": "int4"}},
], ids=lambda change: ".".join(leaf(change)))
def test_a_bad_value_names_its_own_line(tmp_path, change):
    path = write_params(tmp_path / "params.yaml", change)
    section = leaf(change)[:1]
    with pytest.raises(InputError) as e:
        Params(path).section(SECTIONS[section], *section)
    assert e.value.line == key_lines(path)[leaf(change)], str(e.value)
    assert f"{'.'.join(leaf(change))}: " in str(e.value)
