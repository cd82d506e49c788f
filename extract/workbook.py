"""figures.xlsx, written row by row by a process of its own.

openpyxl takes about 0.1 ms a row, more than the rest of a run's parent process does per figure,
so in the parent it would cap how fast a run on many cores can go.  Here the rows are sent
through a pipe (which blocks when the writer falls behind, so memory stays bounded) and written
in openpyxl's write-only mode (a million rows are never held in memory)."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from .children import as_child
from .model import Figure
from .outfiles import replacing

FIGURE_COLUMNS = Figure.field_names()
DOCUMENT_COLUMNS = ["path", "encoding", "characters", "title", "year", "figures", "status", "error",
                    "region", "region_level", "province", "anonymised", "report_type", "half_year", "reports",
                    "ocr_pages", "ocr_confidence", "replaced_characters"]
XLSX_MAX_ROWS = 1_048_575
_WIDTHS = {"doc": 28, "path": 28, "surface": 14, "subject": 24, "period": 16, "section": 40,
           "sentence": 80, "title": 40, "error": 40}


class WorkbookError(RuntimeError):
    """figures.xlsx could not be written (the other outputs are not affected)."""


class WorkbookWriter:
    """Sheets `figures` and `documents`; `add` takes the rows of one document as dicts, made
    safe for a cell already (extract.cells.cell_row)."""

    def __init__(self, path: str | Path):
        # fork, as the worker pool does: spawn would run the caller's script again in the child
        # (a script without a __main__ guard would start a second run)
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._conn, theirs = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(theirs, self._conn, str(path), os.getpid()), daemon=True,
                                 name="figures.xlsx")
        self._proc.start()
        theirs.close()
        self._lost = ""

    def add(self, figures: list[dict], document: dict) -> None:
        if self._lost:
            return
        try:
            self._conn.send(([[f[c] for c in FIGURE_COLUMNS] for f in figures],
                             [document[c] for c in DOCUMENT_COLUMNS]))
        except OSError as e:      # the writer was killed: the run goes on, close() reports it
            self._lost = f"the writer stopped ({e})"

    def close(self, save: bool = True) -> None:
        """Save the workbook (or drop it), and wait for the writer; its error, if any, is raised."""
        try:
            if self._lost:
                reply = self._lost
            else:
                self._conn.send(("save" if save else "drop", None))
                reply = self._conn.recv()
        except (EOFError, OSError) as e:
            reply = f"the writer stopped ({e or type(e).__name__})"
        finally:
            self._conn.close()
            self._proc.join(timeout=60)
        if reply != "ok" and save:       # when dropping it, nothing is lost
            raise WorkbookError(f"figures.xlsx not written: {reply}")


def _serve(conn, parents_end, path: str, parent: int) -> None:
    """The writer process: rows until a last message says whether to save."""
    parents_end.close()           # so that a parent gone away ends the reading below
    as_child(parent)              # and dies with it, even after a kill -9
    error = None
    try:
        book, (figures, documents) = _workbook()
        written = 0
    except Exception as e:        # noqa: BLE001 - reported to the parent at the end
        error = f"{type(e).__name__}: {e}"
    while True:
        try:
            rows, document = conn.recv()
        except EOFError:          # the parent is gone: nothing to save
            return
        if isinstance(rows, str):
            break
        if error:
            continue              # keep reading, so the parent never blocks on a full pipe
        try:
            for row in rows[:max(0, XLSX_MAX_ROWS - written)]:
                figures.append(row)
            written += len(rows)
            documents.append(document)
        except Exception as e:    # noqa: BLE001
            error = f"{type(e).__name__}: {e}"
    if not error:
        try:
            if rows == "save":
                with replacing(path) as tmp:    # never through a link at `path`
                    book.save(tmp)
            else:
                for ws in (figures, documents):
                    ws.close()
        except Exception as e:    # noqa: BLE001
            error = f"{type(e).__name__}: {e}"
    conn.send(error or "ok")
    conn.close()


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
