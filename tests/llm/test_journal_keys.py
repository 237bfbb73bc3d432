"""The generation journal replays a batch only for the very same requests, and other code starts it afresh."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import toxsynth.llm as llm

from tests.llm.conftest import tame_train
from toxsynth.hashing import source_sha256
from toxsynth.llm.generate import GenerateParams, run
from toxsynth.llm.journal import Journal

PARAMS = GenerateParams(categories=("hate",), versions=("v1",), target_entries=4, max_requests=6,
                        expected_valid_share=1.0, entries_per_request=2, few_shot=2, batch_size=2)


class ScriptedBackend:
    """A stand-in for the LLM that answers every prompt with one valid entry: so each combo needs several rounds.

    It counts calls and can fail after some, like a killed process."""

    name = "scripted"

    def __init__(self, fail_after: int | None = None):
        self.calls, self.fail_after = 0, fail_after

    def generate(self, prompts: list[str], seed: int) -> list[str]:
        if self.fail_after is not None and self.calls >= self.fail_after:
            raise KeyboardInterrupt("killed")
        self.calls += 1
        return [f"1. the calm river ran past the town number {seed % 997} and {len(p)}" for p in prompts]


def test_resume_across_rounds_replays_finished_batches_and_asks_only_for_the_rest(tmp_path):
    straight_backend = ScriptedBackend()
    straight, _ = run(straight_backend, Journal(tmp_path / "a", "f"), tame_train(), PARAMS, seed=3)
    # round 0 plans 2 requests per combo (2 batches), finds 1 valid entry each, round 1 asks 2 more (2 batches)
    assert straight_backend.calls == 4 and {r.id[-4:] for r in straight} == {"0000", "0001", "0002", "0003"}
    killed = ScriptedBackend(fail_after=3)  # dies in round 1
    try:
        run(killed, Journal(tmp_path / "b", "f"), tame_train(), PARAMS, seed=3)
    except KeyboardInterrupt:
        pass
    resumed_backend = ScriptedBackend()
    journal = Journal(tmp_path / "b", "f")
    resumed, fresh_valid = run(resumed_backend, journal, tame_train(), PARAMS, seed=3)
    assert resumed_backend.calls == 1  # nothing asked twice
    assert [r.id for r in resumed] == [r.id for r in straight]
    assert journal.responses == Journal(tmp_path / "a", "f").responses


def test_a_batch_with_other_prompts_is_never_replayed(tmp_path):
    run(ScriptedBackend(), Journal(tmp_path, "f"), tame_train(), PARAMS, seed=3)
    other = dataclasses.replace(PARAMS, entries_per_request=3)  # same request ids and positions, other prompts
    fresh, reused = ScriptedBackend(), ScriptedBackend()
    run(fresh, Journal(tmp_path / "fresh", "f"), tame_train(), other, seed=3)
    run(reused, Journal(tmp_path, "f"), tame_train(), other, seed=3)
    assert reused.calls == fresh.calls == 4  # every batch asked anew: none of the old responses is replayed


def test_the_code_hash_changes_with_the_source_and_ignores_bytecode(tmp_path):
    package = tmp_path / "llm"
    shutil.copytree(Path(llm.__file__).parent, package)
    before = source_sha256(package)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert source_sha256(package) == before
    (package / "parse.py").write_text((package / "parse.py").read_text() + "\n# edited\n")
    edited = source_sha256(package)
    assert edited != before
    (package / "templates" / "v1_pos.txt").write_text("another template")
    assert source_sha256(package) not in (before, edited)
