"""ConvAbuse: user turns to conversational agents (ELIZA, CarbonBot), each rated by 2-7 expert annotators."""

import csv
import io

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import Row, read_text, shown
from toxsynth.errors import InputError

# Each annotator k has one block of these columns, after the 7 columns example_id ... bot. is_abuse.* is the
# one-hot severity: 1 not abusive, 0 ambiguous, -1/-2/-3 mildly/strongly/very strongly abusive.
FIELDS = ("is_abuse.1", "is_abuse.0", "is_abuse.-1", "is_abuse.-2", "is_abuse.-3", "ableist", "homophobic",
          "intellectual", "racist", "sexist", "sex_harassment", "transphobic", "target.generalised",
          "target.individual", "target.system", "explicit", "implicit")
FIRST = 7
ABUSIVE = ("is_abuse.-1", "is_abuse.-2", "is_abuse.-3")
IDENTITY = ("racist", "homophobic", "transphobic", "ableist", "sexist")


def read_rows(path):
    """read_delimited, but the header names annotator 7's and 8's transphobic columns "Annotator6_transphobic"
    (one name, three columns), so every annotator column is renamed by its position: "<k>:<field>"."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = next(reader)
        for i in range(FIRST, len(header)):
            k, field = divmod(i - FIRST, len(FIELDS))
            if not header[i].endswith("_" + FIELDS[field]):
                raise InputError(path, 1, f"column {i + 1} is {header[i]!r}, expected a *_{FIELDS[field]} column")
            header[i] = f"{k}:{FIELDS[field]}"
        start = reader.line_num + 1
        for fields in reader:
            if len(fields) != len(header):
                raise InputError(path, start, f"{len(fields)} fields, the header has {len(header)}")
            yield Row(path, start, dict(zip(header, fields)))
            start = reader.line_num + 1
    except csv.Error as e:
        raise InputError(path, reader.line_num, f"malformed CSV: {e}") from None


def annotations(row):
    """Each annotation of the row as {field: 0 or 1}. An annotator who rated a turn several times has cells
    like "0, 0" or "1, 0" (one value per rating, aligned across the annotator's cells): each value is one
    annotation, i.e. one vote. This gives SOURCE.md's 578 majority-abusive rows."""
    for k in range((len(row.values) - FIRST) // len(FIELDS)):
        cells = [row[f"{k}:{field}"].strip() for field in FIELDS]
        if not any(cells):
            continue  # the annotator did not see this turn
        values = [cell.replace(" ", "").split(",") for cell in cells]
        if len({len(v) for v in values}) != 1 or not all(x in ("0", "1") for v in values for x in v):
            raise row.error(f"annotator {k + 1}: cells are not aligned lists of 0/1: {[shown(c) for c in cells]}")
        for one in zip(*values):
            vote = dict(zip(FIELDS, map(int, one)))
            if sum(vote[f] for f in FIELDS[:5]) != 1:
                raise row.error(f"annotator {k + 1}: not exactly one is_abuse severity")
            yield vote


def marked(votes, types):
    """POS when most annotations mark one of `types`, NEG when none does, None (no label) in between."""
    n = sum(any(v[t] for t in types) for v in votes)
    return POS if 2 * n > len(votes) else NEG if n == 0 else None


@register("convabuse")
def read(files, options):
    for name in ("ConvAbuseEMNLPtrain.csv", "ConvAbuseEMNLPvalid.csv", "ConvAbuseEMNLPtest.csv"):  # disjoint
        for row in read_rows(need(files, name)):
            votes = list(annotations(row))
            if not votes:
                raise row.error("no annotator rated this turn")
            # Abusive when most annotations say -1..-3: `sexual` = most mark sex_harassment, `hate` = most mark
            # one identity type; abusive turns with no such mark at all are hard negatives (abuse of another
            # kind, mostly insults); a minority mark gets no label. Non-abusive when most say 1: negative
            # for both. No majority (ambiguous): no label. Turns of one conversation stay in one split.
            if 2 * sum(any(v[a] for a in ABUSIVE) for v in votes) > len(votes):
                labels = {"sexual": marked(votes, ("sex_harassment",)), "hate": marked(votes, IDENTITY)}
            elif 2 * sum(v["is_abuse.1"] for v in votes) > len(votes):
                labels = {"sexual": NEG, "hate": NEG}
            else:
                labels = {}
            labels = {c: label for c, label in labels.items() if label is not None}
            yield emit(row, row["user"], labels, group=f"convabuse:{row['conv_id']}")
