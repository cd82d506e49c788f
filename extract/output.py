"""Tables users open: figures as JSON Lines, CSV (UTF-8 with BOM, for Excel) and XLSX, and one
row per input document."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from .cells import cell_row
from .model import Document, Figure
from .workbook import DOCUMENT_COLUMNS, FIGURE_COLUMNS, WorkbookWriter


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
    go to figures.xlsx as they come (extract.workbook); the workbook is saved by `close()` on
    success."""

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        # first, so the writer process holds none of the files opened below
        self._book = WorkbookWriter(self.out / "figures.xlsx")
        self._jsonl = open(self.out / "figures.jsonl", "w", encoding="utf-8")
        self._csv_file = open(self.out / "figures.csv", "w", encoding="utf-8-sig", newline="")
        self._csv = csv.DictWriter(self._csv_file, fieldnames=FIGURE_COLUMNS)
        self._csv.writeheader()
        self._docs_file = open(self.out / "documents.csv", "w", encoding="utf-8-sig", newline="")
        self._docs = csv.DictWriter(self._docs_file, fieldnames=DOCUMENT_COLUMNS)
        self._docs.writeheader()
        self.figure_count = 0

    def add(self, doc: Document) -> None:
        rows = [f.to_dict() for f in doc.figures]
        safe = [cell_row(row) for row in rows]        # for the spreadsheet files; JSONL as is
        for row, cells in zip(rows, safe):
            self._jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
            self._csv.writerow(cells)
        summary = cell_row(doc.summary())
        self._docs.writerow(summary)
        for fh in (self._jsonl, self._csv_file, self._docs_file):
            fh.flush()
        self._book.add(safe, summary)
        self.figure_count += len(rows)

    def close(self, xlsx: bool = True) -> None:
        for fh in (self._jsonl, self._csv_file, self._docs_file):
            fh.close()
        self._book.close(save=xlsx)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # on an error the streamed files are closed and kept; the workbook is saved only on success
        self.close(xlsx=exc[0] is None)
