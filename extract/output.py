"""Tables users open: figures as JSON Lines, CSV (UTF-8 with BOM, for Excel) and XLSX, and one
row per input document."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from .model import Document, Figure

FIGURE_COLUMNS = Figure.field_names()
DOCUMENT_COLUMNS = ["path", "encoding", "characters", "title", "year", "figures", "status", "error",
                    "region", "province", "anonymised", "report_type", "half_year", "reports"]


def to_dataframe(figures: Iterable[Figure]) -> pd.DataFrame:
    """Figures as a typed DataFrame: floats for values, categories for units and kinds."""
    df = pd.DataFrame([f.to_dict() for f in figures], columns=FIGURE_COLUMNS)
    df = df.astype({"start": "Int64", "end": "Int64", "value": "float64", "value_max": "float64",
                    "indicator_score": "float64"})
    for col in ("unit", "raw_unit", "kind", "qualifier", "role"):
        df[col] = df[col].astype("category")
    return df


class FigureWriter:
    """Streams figures to `figures.jsonl` and `figures.csv`, documents to `documents.csv`, as
    documents finish, so an interrupted run keeps everything extracted so far.  The same rows
    go into figures.xlsx as they come (openpyxl's write-only mode, so a run of a million figures
    does not hold a workbook in memory); the workbook is saved by `close()` on success."""

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self._jsonl = open(self.out / "figures.jsonl", "w", encoding="utf-8")
        self._csv_file = open(self.out / "figures.csv", "w", encoding="utf-8-sig", newline="")
        self._csv = csv.DictWriter(self._csv_file, fieldnames=FIGURE_COLUMNS)
        self._csv.writeheader()
        self._docs_file = open(self.out / "documents.csv", "w", encoding="utf-8-sig", newline="")
        self._docs = csv.DictWriter(self._docs_file, fieldnames=DOCUMENT_COLUMNS)
        self._docs.writeheader()
        self._book, self._sheets = _workbook()
        self.figure_count = 0

    def add(self, doc: Document) -> None:
        figures, documents = self._sheets
        for f in doc.figures:
            row = f.to_dict()
            self._jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
            self._csv.writerow(row)
            if self.figure_count < XLSX_MAX_ROWS:
                figures.append(_cells(row, FIGURE_COLUMNS))
            self.figure_count += 1
        summary = doc.summary()
        self._docs.writerow(summary)
        documents.append(_cells(summary, DOCUMENT_COLUMNS))
        for fh in (self._jsonl, self._csv_file, self._docs_file):
            fh.flush()

    def close(self, xlsx: bool = True) -> None:
        for fh in (self._jsonl, self._csv_file, self._docs_file):
            fh.close()
        if xlsx:
            self._book.save(self.out / "figures.xlsx")
        else:
            for ws in self._sheets:          # end the sheets' streams; their temp files go at exit
                ws.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # on an error the streamed files are closed and kept; the workbook is saved only on success
        self.close(xlsx=exc[0] is None)


XLSX_MAX_ROWS = 1_048_575
_WIDTHS = {"doc": 28, "path": 28, "surface": 14, "subject": 24, "period": 16, "section": 40,
           "sentence": 80, "title": 40, "error": 40}


def _cells(row: dict, columns: list[str]) -> list:
    """A sheet row; control characters (kept in the text files) are not allowed in XLSX cells."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    values = [row[c] for c in columns]
    if ILLEGAL_CHARACTERS_RE.search("".join(v for v in values if isinstance(v, str))):
        values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    return values


def _workbook():
    """A write-only workbook with a figures and a documents sheet: frozen header, filters,
    readable column widths."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    book = Workbook(write_only=True)
    sheets = []
    for name, header in (("figures", FIGURE_COLUMNS), ("documents", DOCUMENT_COLUMNS)):
        ws = book.create_sheet(name)
        for i, col in enumerate(header, 1):
            width = _WIDTHS.get(col, max(8, min(20, len(col) + 4)))
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
        ws.append(header)
        sheets.append(ws)
    return book, sheets
