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
    """Streams figures to `figures.jsonl` as documents finish, so an interrupted run keeps
    everything extracted so far; `close()` writes the CSV, XLSX and documents tables."""

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
        self.figure_count = 0

    def add(self, doc: Document) -> None:
        for f in doc.figures:
            row = f.to_dict()
            self._jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
            self._csv.writerow(row)
        self._docs.writerow(doc.summary())
        for fh in (self._jsonl, self._csv_file, self._docs_file):
            fh.flush()
        self.figure_count += len(doc.figures)

    def close(self, xlsx: bool = True) -> None:
        for fh in (self._jsonl, self._csv_file, self._docs_file):
            fh.close()
        if xlsx:
            write_xlsx(self.out)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # on an error the streamed files are closed and kept; the workbook is built only on success
        self.close(xlsx=exc[0] is None)


XLSX_MAX_ROWS = 1_048_575
_NUMERIC = {"start", "end", "value", "value_max", "indicator_score", "page", "characters", "year",
            "figures", "reports"}
_WIDTHS = {"doc": 28, "path": 28, "surface": 14, "subject": 24, "period": 16, "section": 40,
           "sentence": 80, "title": 40, "error": 40}


def write_xlsx(out_dir: str | Path) -> Path:
    """figures.xlsx from the streamed CSV files, row by row in openpyxl's write-only mode (so a
    run of a million figures does not hold a workbook in memory): frozen header, filters,
    readable column widths, numbers as numbers."""
    from openpyxl import Workbook
    out = Path(out_dir)
    wb = Workbook(write_only=True)
    for name, src in (("figures", out / "figures.csv"), ("documents", out / "documents.csv")):
        ws = wb.create_sheet(name)
        with open(src, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            for i, col in enumerate(header, 1):
                letter = _letter(i)
                ws.column_dimensions[letter].width = _WIDTHS.get(col, max(8, min(20, len(col) + 4)))
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{_letter(max(1, len(header)))}1"
            ws.append(header)
            numeric = [c in _NUMERIC for c in header]
            for n, row in enumerate(reader):
                if n >= XLSX_MAX_ROWS:
                    break
                ws.append([_number(v) if num else v for v, num in zip(row, numeric)])
    path = out / "figures.xlsx"
    wb.save(path)
    return path


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(i)


def _number(v: str):
    if v == "":
        return None
    try:
        f = float(v)
    except ValueError:
        return v
    return int(f) if f.is_integer() and "." not in v else f
