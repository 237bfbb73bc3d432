"""params.yaml loading: unknown or missing keys, wrong types, bad values and bad sources are errors naming the line."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT, write_params
from tests.test_pipeline_e2e import SMALL
from toxsynth.augment import AugmentParams
from toxsynth.classifier.confidence import EvaluateParams
from toxsynth.classifier.curve import CurveParams
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
            ("benchmark",): BenchmarkParams, ("curve",): CurveParams}  # every section a stage reads, and its dataclass


def params_file(tmp_path, text: str) -> Params:
    path = tmp_path / "params.yaml"
    path.write_text(text)
    return Params(path)


def test_repo_params_load(sources):
    assert len(sources) == 20
    assert all(f.url.startswith("https://") for s in sources.values() for f in s.files)


REPO = yaml.safe_load((ROOT / "params.yaml").read_text())
EVERY_KEY = [(*section, key) for section in SECTIONS for key in REPO[section[0]] if len(section) == 1]


def test_every_section_the_stages_read_builds_from_the_repo_params():
    params = Params(ROOT / "params.yaml")
    for keys, cls in SECTIONS.items():
        assert isinstance(params.section(cls, *keys), cls)
    assert params.seed() == 42


def test_the_sections_listed_here_are_the_ones_stages_and_benchmarks_read():
    read, code = set(), [p.read_text() for p in sorted((ROOT / "stages").glob("*.py")) + sorted(
        (ROOT / "benchmarks").glob("*.py"))]
    for call in re.finditer(r"section\(([\w.]+), ((?:\"\w+\"(?:, )?)+)\)", "\n".join(code)):
        keys = tuple(re.findall(r'"(\w+)"', call[2]))
        assert SECTIONS[keys].__name__ == call[1].split(".")[-1]
        read.add(keys)
    assert read == set(SECTIONS)
    assert not any('get("seed")' in text for text in code)  # the seed is read by the typed Params.seed()


def test_the_e2e_overrides_only_replace_keys_that_exist(tmp_path):
    assert all(set(values) <= set(REPO[section]) for section, values in SMALL.items())
    params = Params(write_params(tmp_path / "params.yaml", SMALL))
    for keys, cls in SECTIONS.items():
        params.section(cls, *keys)


@pytest.mark.parametrize("keys", EVERY_KEY, ids=".".join)
def test_a_key_missing_from_params_yaml_is_an_error_at_its_section(tmp_path, keys):
    data = yaml.safe_load((ROOT / "params.yaml").read_text())
    del data[keys[0]][keys[1]]
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(InputError) as e:
        Params(tmp_path / "params.yaml").section(SECTIONS[keys[:1]], keys[0])
    assert e.value.line == key_lines(tmp_path / "params.yaml")[keys[:1]]
    assert e.value.reason == f"{'.'.join(keys)}: missing (every parameter must be in params.yaml)"


def test_a_missing_nested_key_names_the_nested_section(tmp_path):
    path = write_params(tmp_path / "params.yaml")
    path.write_text(path.read_text().replace("    permutations: 128\n", ""))
    with pytest.raises(InputError, match=r"dedup.minhash.permutations: missing") as e:
        Params(path).section(DedupParams, "dedup")
    assert e.value.line == key_lines(path)[("dedup", "minhash")]


@pytest.mark.parametrize("value", ["true", "-1", "1.5", "'42'", "null"])
def test_seed_must_be_an_int_of_at_least_zero(tmp_path, value):
    with pytest.raises(InputError, match=r"params.yaml:2: seed: expected an int >= 0, got ") as e:
        params_file(tmp_path, f"# the seed\nseed: {value}\n").seed()
    assert e.value.line == 2
    assert params_file(tmp_path, "seed: 0\n").seed() == 0


def test_an_int_is_taken_for_a_float(tmp_path):
    p = params_file(tmp_path, "fetch:\n  timeout_s: 5\n  retries: 3\n  backoff_s: 1\n")
    assert p.section(FetchParams, "fetch") == FetchParams(timeout_s=5.0, retries=3, backoff_s=1.0)
    assert type(p.section(FetchParams, "fetch").timeout_s) is float


def test_unknown_key_names_its_line(tmp_path):
    p = params_file(tmp_path, "fetch:\n  timeout_s: 5\n  retires: 2\n")
    with pytest.raises(InputError) as e:
        p.section(FetchParams, "fetch")
    assert e.value.line == 3 and "fetch.retires: unknown key" in str(e.value)


def test_wrong_type_names_its_line(tmp_path):
    p = params_file(tmp_path, "prepare:\n  eval_size: lots\n  eval_max_fraction: 0.2\n")
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


@pytest.mark.parametrize("value, reason", [("[]", "non-empty list"), ("hate", "non-empty list"),
                                           ("[hate, spam]", "unknown or repeated ['spam']"),
                                           ("[hate, hate]", "unknown or repeated")])
def test_categories_must_be_known_and_unique(tmp_path, value, reason):
    p = params_file(tmp_path, f"seed: 1\ncategories: {value}\n")
    with pytest.raises(InputError) as e:
        p.categories()
    assert e.value.line == 2 and reason in str(e.value)


def test_categories_keep_their_order(tmp_path):
    assert params_file(tmp_path, "categories: [violence, hate]\n").categories() == ("violence", "hate")


def leaf(change: dict) -> tuple:
    """The key path of the one value in a nested one-key mapping, e.g. {"a": {"b": 1}} -> ("a", "b")."""
    (key, value), = change.items()
    return (key, *leaf(value)) if isinstance(value, dict) else (key,)


@pytest.mark.parametrize("change", [
    {"generate": {"top_p": 1.5}}, {"generate": {"sample_mode": "medium"}}, {"finetune": {"warmup_ratio": 1.0}},
    {"finetune": {"categories": []}}, {"prepare": {"eval_max_fraction": 1.5}},
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
