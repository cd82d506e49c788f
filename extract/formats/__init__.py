"""Readers for archive formats: each turns one input into Sources (decoded text, optionally a page
number and tables), which the pipeline treats like a plain text file."""
from __future__ import annotations

from dataclasses import dataclass, field


TABLE_MARK = "\uFFFC"   # where a table stood in the text (object replacement character)


class FormatError(Exception):
    """A file of a known format that cannot be read; the message says why."""


@dataclass
class Table:
    """A table as rows of cell texts, the header row(s) first."""
    rows: list[list[str]]
    page: int | None = None
    caption: str = ""          # 表1 2023年末周口市常住人口数及其构成: its period holds for the cells


@dataclass
class Source:
    """The text of one input, or of one page of it, with its tables."""
    text: str
    encoding: str = ""
    replaced: int = 0                # characters that could not be decoded (U+FFFD in the text)
    page: int | None = None          # 1-based PDF page
    tables: list[Table] = field(default_factory=list)
    ocr_lines: list = field(default_factory=list)    # a page read by OCR: its lines (formats.ocr)
    boxes: list = field(default_factory=list)        # (start, end, box) of those lines in `text`
