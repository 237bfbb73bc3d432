"""ThreatGram101: Telegram replies in political channels; Label 0 no threat, 1 non-violent threat, 2 violent threat."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import json_rows

# Violent threats are the positives. Non-violent threats (calls for jail, prosecution) are kept as hard
# negatives: they teach that hostility towards a person is not by itself a threat of violence.
# Label is a JSON integer in the file.
LABEL_TO_VIOLENCE = {0: NEG, 1: NEG, 2: POS}

# No `political` label: the only per-row field that hints at politics is telegramChannel, which names the
# channel a reply was posted in (nearly all are political), not whether the reply itself is political abuse;
# nothing in a row says who a threat targets. Labelling by channel would make every row political.


@register("threatgram")
def read(files, options):
    for row in json_rows(need(files, "Labeled_15076.json"), required=("reply", "Label")):
        yield emit(row, row["reply"], {"violence": row.choice("Label", LABEL_TO_VIOLENCE)})
