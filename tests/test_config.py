"""params.yaml loading: unknown keys, wrong types and bad sources are errors that name the line."""

from __future__ import annotations

import pytest

from toxsynth.config import Params
from toxsynth.data.prepare import PrepareParams
from toxsynth.errors import InputError
from toxsynth.fetch import FetchParams
from toxsynth.sources import load_sources

SHA = "a" * 64


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
