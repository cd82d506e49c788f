"""The one representation of a figure (and of a read document) used by every stage."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

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
    indicator: str = ""              # id in patterns/indicators.yaml, when linked
    indicator_name: str = ""
    indicator_score: float | None = None
    page: int | None = None          # 1-based PDF page; start/end are then offsets into that page

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in _FIGURE_FIELDS}

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


_FIGURE_FIELDS = [f.name for f in fields(Figure)]


@dataclass
class Part:
    """One report inside a file (most files hold one; some glue several together)."""
    start: int
    end: int
    title: str = ""
    year: int | None = None
    half: str = ""               # "上半年" for a half-year report
    plan_year: int | None = None  # the year its plans are for (2021 in "2020年总结及2021年打算")
    report_type: str = ""
    county: str = ""             # as written: 东安县, 海拉尔区, or an anonymised X县
    city: str = ""
    province: str = ""
    anonymised: bool = False

    @property
    def region(self) -> str:
        return self.county or self.city or self.province


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
    parts: list[Part] = field(default_factory=list)

    page_starts: list[int] = field(default_factory=list)   # where each PDF page begins in the text

    def part_at(self, pos: int, page: int | None = None) -> Part | None:
        """The report holding offset `pos` (of page `page`, for a PDF)."""
        if page and self.page_starts:
            pos += self.page_starts[page - 1]
        for p in self.parts:
            if p.start <= pos < p.end:
                return p
        return self.parts[-1] if self.parts else None

    @property
    def characters(self) -> int:
        return len(self.text) or getattr(self, "stored_characters", 0)

    def summary(self) -> dict:
        first = self.parts[0] if self.parts else Part(0, 0)
        return {"path": self.path, "encoding": self.encoding, "characters": self.characters,
                "title": self.title, "year": self.year, "figures": len(self.figures),
                "status": self.status, "error": self.error, "region": first.region,
                "province": first.province, "anonymised": first.anonymised,
                "report_type": first.report_type, "half_year": first.half,
                "reports": len(self.parts)}
