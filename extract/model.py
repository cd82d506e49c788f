"""The one representation of a figure (and of a read document) used by every stage."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

KINDS = ("money", "count", "percent", "rate", "measure", "duration", "other")
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")
ROLES = ("value", "before", "after", "change", "target")


@dataclass
class Figure:
    """A figure stated in a report, with the place it came from.

    `start`/`end` are character offsets into the decoded source text (for a PDF, into the page
    text), so that `text[start:end] == surface`.
    """
    doc: str
    start: int
    end: int
    surface: str
    value: float
    value_max: float | None = None
    unit: str = ""
    raw_unit: str = ""
    kind: str = "other"
    qualifier: str = "exact"
    role: str = "value"
    subject: str = ""
    period: str = ""
    section: str = ""
    sentence: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass
class Document:
    """A decoded input file and what became of it."""
    path: str                     # path relative to the input root
    text: str = ""
    encoding: str = ""
    title: str = ""
    year: int | None = None
    status: str = "ok"            # ok | failed | empty
    error: str = ""
    figures: list[Figure] = field(default_factory=list)

    @property
    def characters(self) -> int:
        return len(self.text)

    def summary(self) -> dict:
        return {"path": self.path, "encoding": self.encoding, "characters": self.characters,
                "title": self.title, "year": self.year, "figures": len(self.figures),
                "status": self.status, "error": self.error}
