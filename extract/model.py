"""The one representation of a figure (and of a read document) used by every stage."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

KINDS = ("money", "count", "percent", "rate", "measure", "duration", "other")
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")
ROLES = ("value", "before", "after", "change", "target")
MEASURES = ("level", "growth", "change")
# a subject that names a rate of growth: 地区生产总值增速5.1% is the growth of 地区生产总值
GROWTH_WORDS = ("增长速度", "增速", "增长率", "增幅", "涨幅", "增长", "上涨")


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
    target: bool = False             # stated as a plan or expectation, whatever its role
                                     # (增长5.5%左右 among 主要预期目标 is a change and a target)
    box: str = ""                    # on a page read by OCR: "x0,top,x1,bottom" in PDF points

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in _FIGURE_FIELDS}

    @property
    def measure(self) -> str:
        """`growth` for a percent change on the year before (增长5.1%, 地区生产总值增速5.1%),
        `change` for any other change (减少2995人, 提高0.5个百分点), else `level`."""
        if self.unit == "%" and (self.role == "change" or
                                 (self.kind == "percent" and self.subject.endswith(GROWTH_WORDS))):
            return "growth"
        return "change" if self.role == "change" else "level"

    @property
    def measured(self) -> str:
        """The subject without the words that say it grows (地区生产总值增速 -> 地区生产总值)."""
        s = self.subject
        if self.measure == "growth":
            for w in GROWTH_WORDS:
                if s.endswith(w) and len(s) > len(w):
                    return s[:-len(w)]
        return s

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
    present: int | None = None    # the year it is spoken in (2025 for a report delivered in 2025
                                  # that reviews 2024): its 今年 and 去年 count from it
    report_type: str = ""
    county: str = ""             # as written: 东安县, 海拉尔区, or an anonymised X县
    city: str = ""
    province: str = ""
    anonymised: bool = False
    national: bool = False        # a report for the whole country (the State Council's)

    @property
    def region(self) -> str:
        return self.county or self.city or self.province or ("全国" if self.national else "")

    @property
    def region_level(self) -> str:
        """county (县, 区, 县级市, 旗), prefecture (地级市, 自治州, 盟, 地区), province, national."""
        if self.county:
            return "county"
        if self.city:
            return "prefecture"
        if self.province:
            return "province"
        return "national" if self.national else ""


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
    ocr_pages: str = ""                      # the PDF pages read by OCR ("3,4")
    ocr_confidence: float | None = None      # their lines' mean confidence
    replaced: int = 0                        # characters that could not be decoded (now U+FFFD)

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
                "region_level": first.region_level, "province": first.province, "anonymised": first.anonymised,
                "report_type": first.report_type, "half_year": first.half,
                "reports": len(self.parts), "ocr_pages": self.ocr_pages,
                "ocr_confidence": self.ocr_confidence, "replaced_characters": self.replaced}
