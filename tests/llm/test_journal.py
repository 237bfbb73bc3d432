"""The generation journal: appends survive, a torn last line is cut, other fingerprints are removed."""

from toxsynth.llm.journal import Journal


def test_round_trip_and_torn_tail(tmp_path):
    journal = Journal(tmp_path, "abc")
    journal.append("0-0", {"r1": "one", "r2": "two"})
    journal.append("0-1", {"r3": "three"})
    with open(journal.path, "a") as f:
        f.write('{"batch": "0-2", "responses": {"r4": "fo')  # killed mid-write
    again = Journal(tmp_path, "abc")
    assert again.batches == {"0-0": {"r1": "one", "r2": "two"}, "0-1": {"r3": "three"}}
    assert again.responses == {"r1": "one", "r2": "two", "r3": "three"}
    assert journal.path.read_text().endswith("}\n")
    again.append("0-2", {"r4": "four"})
    assert Journal(tmp_path, "abc").responses["r4"] == "four"


def test_a_new_fingerprint_starts_fresh(tmp_path):
    Journal(tmp_path, "old").append("0-0", {"r1": "one"})
    fresh = Journal(tmp_path, "new")
    assert fresh.batches == {} and [p.name for p in tmp_path.iterdir()] == []
