"""The long indicator table of a run, kept on disk as documents are linked: every linked figure
a row, one chosen per cell (region, year, indicator, measure, role) at the end, in DuckDB within
a memory limit.  A run's memory then does not grow with the archive."""
from __future__ import annotations

import shutil
import tempfile
from contextlib import nullcontext
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .cells import write_csv
from .outfiles import replacing
from .model import Document
from .tables import CELL, LONG_COLUMNS, ROW_COLUMNS, rows_of

SPILL_ROWS = 2_000       # rows held before they are written out, and read back at a time

_TYPES = {"year": pa.int64(), "value": pa.float64(), "value_max": pa.float64(), "start": pa.int64(),
          "end": pa.int64(), "anonymised": pa.bool_(), "_rank": pa.int64(), "_score": pa.float64()}
SCHEMA = pa.schema([(c, _TYPES.get(c, pa.string())) for c in ROW_COLUMNS] + [("_seq", pa.int64())])


def long_table(docs: list[Document], topics: dict[str, str] | None = None, memory: str = "256MB"):
    """Every linked figure of `docs` with where it stands (region, year) and where it came from,
    one chosen per cell (a pandas frame; for a notebook, and what `run` writes)."""
    import pandas as pd
    with tempfile.TemporaryDirectory() as d:
        table = LongTable(Path(d) / "rows")
        for doc in docs:
            table.add(rows_of(doc, topics))
        table.finish(Path(d) / "long.parquet", None, memory)
        return pd.read_parquet(Path(d) / "long.parquet")


class LongTable:
    """Rows (rows_of's dicts) added as documents are linked, written out a part at a time under
    `folder`; `finish` chooses the cells and writes the table."""

    def __init__(self, folder: Path):
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)
        self.pending: list[dict] = []
        self.parts = 0
        self.rows = 0

    def add(self, rows: list[dict]) -> None:
        for r in rows:
            r["_seq"] = self.rows
            self.rows += 1
            self.pending.append(r)
        if len(self.pending) >= SPILL_ROWS:
            self._spill()

    def _spill(self) -> None:
        if not self.pending:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(self.pending, schema=SCHEMA)
        pq.write_table(table, self.folder / f"part-{self.parts:05d}.parquet")
        self.parts += 1
        self.pending = []

    def finish(self, parquet: Path, csv: Path | None, memory: str) -> None:
        """The table with its cells chosen, in the order the rows came, as `parquet` (and `csv`);
        the parts are removed.  Only the narrow columns that choose are sorted (in DuckDB); the
        rows themselves are read back a part at a time."""
        import duckdb
        self._spill()
        parts = sorted(self.folder.glob("part-*.parquet")) if self.parts else []
        con = duckdb.connect(config={"memory_limit": memory, "threads": 1,
                                     "temp_directory": str(self.folder / "spill")})
        try:
            chosen, conflicts = _choose(con, parts)
        finally:
            con.close()
        try:
            with replacing(parquet) as tmp, (replacing(csv) if csv else nullcontext()) as csv_tmp:
                writer = pq.ParquetWriter(tmp, OUT_SCHEMA)
                try:
                    # one pass over the parts: each frame goes to the Parquet file, then the CSV
                    frames = _written(_frames(parts, chosen, conflicts), writer)
                    if csv_tmp is not None:
                        write_csv(frames, csv_tmp)
                    else:
                        for _ in frames:
                            pass
                finally:
                    writer.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


OUT_SCHEMA = pa.schema([SCHEMA.field(c) for c in LONG_COLUMNS if c not in ("chosen", "conflict")]
                       + [("chosen", pa.bool_()), ("conflict", pa.string())])


def _choose(con, parts: list[Path]) -> tuple[set[int], dict[int, str]]:
    """The rows chosen, one per cell: by the rank of the statement, then the link's score (the
    wording closest to the indicator's name), then the first stated (by offset, then document,
    not by the order workers finished in: any number of jobs chooses alike); and for a chosen
    row that ties on every rule but order with others of different values, what they say."""
    if not parts:
        return set(), {}
    cell = ", ".join(CELL)
    con.read_parquet([str(p) for p in parts]).project(
        f"_seq, {cell}, _rank, -round_even(coalesce(_score, 0), 2) AS _fit, start, doc, value").create("keys")
    con.execute(f"""CREATE TEMP TABLE ranked AS SELECT *, row_number() OVER (PARTITION BY {cell}
                    ORDER BY _rank, _fit, start, doc, _seq) = 1 AS chosen FROM keys""")
    chosen = {seq for (seq,) in con.execute("SELECT _seq FROM ranked WHERE chosen").fetchall()}
    same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM b.{c}" for c in CELL)
    tied = con.execute(f"""SELECT b._seq, t.value FROM ranked t JOIN ranked b
        ON b.chosen AND NOT t.chosen AND {same} AND t._rank = b._rank
        AND abs(t.value - b.value) > 1e-6 * greatest(abs(t.value), 1)""").fetchall()
    said: dict[int, set] = {}
    for seq, value in tied:
        said.setdefault(seq, set()).add(value)
    return chosen, {seq: "also stated: " + ", ".join(f"{x:g}" for x in sorted(v)) for seq, v in said.items()}


def _written(frames, writer):
    """`frames`, each written to the Parquet `writer` as it passes."""
    for frame in frames:
        writer.write_table(pa.Table.from_pandas(frame, schema=OUT_SCHEMA, preserve_index=False))
        yield frame


def _frames(parts: list[Path], chosen: set[int], conflicts: dict[int, str]):
    """The table a part at a time (pandas frames in LONG_COLUMNS' order), the first one even when
    there are no rows: it carries the header."""
    if not parts:
        yield OUT_SCHEMA.empty_table().to_pandas()
        return
    for part in parts:
        frame = pq.read_table(part).to_pandas()
        seq = frame.pop("_seq")
        frame["chosen"] = seq.isin(chosen)
        frame["conflict"] = [conflicts.get(x, "") for x in seq]
        yield frame[LONG_COLUMNS]
