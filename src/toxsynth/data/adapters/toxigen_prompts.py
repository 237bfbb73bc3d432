"""ToxiGen demonstration prompts: {hate,neutral}_<group>_1k.txt, lines of human-written sentences; label by file."""

import re

from toxsynth.data.adapters import register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import Row, read_text

# hate_* files are implicit-hate positives, neutral_* files (same groups, same style) are the negatives.
PREFIX_TO_HATE = {"hate": POS, "neutral": NEG}
SEPARATOR = "\\n-"  # a literal backslash, "n", "-": each line is "- s1\n- s2\n- ...\n-"
# Escape residue before a separator: 1 sentence ends in two backslashes (hate_black), 1 in backslash-backslash-n
# (hate_lgbtq). 3 lines end "<last sentence>-" without the backslash-n: the stray dash is stripped too.
RESIDUE = re.compile(r"(?:\\+n?)+$")


def sentences(line: str) -> list[str]:
    parts = (RESIDUE.sub("", p.strip().strip("-").strip()).strip() for p in line.split(SEPARATOR))
    return [p for p in parts if p]


@register("toxigen_prompts")
def read(files, options):
    for name, path in sorted(files.items()):
        prefix = name.split("_", 1)[0]
        if prefix not in PREFIX_TO_HATE:
            raise Row(path, None, {}).error(f"file name should start with one of {sorted(PREFIX_TO_HATE)}")
        # The prompts were sampled with repetition (~7,000 sentences per file, 5 to 113 distinct): the file
        # structure repeats content, so each distinct sentence is yielded once per file, at its first line.
        # Copies across files (several target groups share sentences) are left to prepare's dedup.
        seen = set()
        for number, line in enumerate(read_text(path).splitlines(), start=1):
            for sentence in sentences(line):
                if sentence not in seen:
                    seen.add(sentence)
                    yield emit(Row(path, number, {}), sentence, {"hate": PREFIX_TO_HATE[prefix]})
