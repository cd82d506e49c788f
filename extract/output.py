"""Tables users open: figures as JSON Lines, CSV (UTF-8 with BOM, for Excel) and XLSX, and one
row per input document."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from .cells import cell_row
from .model import Document, Figure
from .outfiles import LineFile
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
    documents finish, so an interrupted run keeps everything extracted so far.  Each document's
    lines are written whole or not at all (extract.outfiles.LineFile: a full disk leaves no cut
    line).  The same rows go to figures.xlsx as they come (extract.workbook); the workbook is
    saved by `close()` on success."""

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        # first, so the writer process holds none of the files opened below
        self._book = WorkbookWriter(self.out / "figures.xlsx")
        self._files = []
        try:
            self._jsonl = self._open("figures.jsonl")
            self._csv_file = self._open("figures.csv", _csv_lines([FIGURE_COLUMNS]), bom=True)
            self._docs_file = self._open("documents.csv", _csv_lines([DOCUMENT_COLUMNS]), bom=True)
        except BaseException:
            self.close(xlsx=False)
            raise
        self.figure_count = 0

    def _open(self, name: str, header: str = "", bom: bool = False) -> LineFile:
        f = LineFile(self.out / name, header, bom)
        self._files.append(f)
        return f

    def add(self, doc: Document) -> None:
        rows = [f.to_dict() for f in doc.figures]
        safe = [cell_row(row) for row in rows]        # for the spreadsheet files; JSONL as is
        summary = cell_row(doc.summary())
        self._jsonl.write("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        self._csv_file.write(_csv_lines([[c.get(k, "") for k in FIGURE_COLUMNS] for c in safe]))
        self._docs_file.write(_csv_lines([[summary.get(k, "") for k in DOCUMENT_COLUMNS]]))
        self._book.add(safe, summary)
        self.figure_count += len(rows)

    def close(self, xlsx: bool = True) -> None:
        for f in self._files:
            f.close()
        self._book.close(save=xlsx)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # on an error the streamed files are closed and kept; the workbook is saved only on success
        self.close(xlsx=exc[0] is None)


def _csv_lines(rows: list[list]) -> str:
    """Rows as CSV text, as csv.writer writes them to a file."""
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()
