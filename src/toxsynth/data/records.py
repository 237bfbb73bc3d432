"""What an adapter yields: a source row with its labels per category, or a counted reason to skip it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from toxsynth import CATEGORIES
from toxsynth.data.tables import Row

POS, NEG = 1, 0


@dataclass(frozen=True)
class SourceRow:
    """A text and its label in each category it informs (1 = harmful in that category, 0 = not)."""

    text: str
    labels: Mapping[str, int]
    where: str = ""  # "file:line", for error messages only
    group: str | None = None  # rows sharing a group always land in the same split (e.g. one Reddit user)
    train_only: bool = False  # weak (machine) labels: usable for training, never for evaluation
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for category, label in self.labels.items():
            if category not in CATEGORIES or label not in (POS, NEG):
                raise ValueError(f"{self.where}: bad label {category}={label!r}")


@dataclass(frozen=True)
class Skip:
    """A row deliberately left out, counted under `reason` in reports/data.json."""

    reason: str


def emit(row: Row, text: str, labels: Mapping[str, int], **kwargs) -> SourceRow | Skip:
    """A SourceRow for `row`, or Skip('unmapped') when the row informs no category."""
    if not labels:
        return Skip("unmapped")
    return SourceRow(text=text, labels=dict(labels), where=f"{row.path.name}:{row.line}", **kwargs)


def same_label(categories: tuple[str, ...], label: int) -> dict[str, int]:
    """The same label in several categories, e.g. a clean row that is a negative everywhere."""
    return {c: label for c in categories}
