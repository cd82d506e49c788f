"""The long indicator table of a run, kept on disk as documents are linked: every linked figure
a row, one chosen per cell (region, year, indicator, measure, role) at the end, in DuckDB within
a memory limit.  A run's memory then does not grow with the archive."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .cells import write_csv
from .outfiles import replacing
from .model import Document
from .tables import CELL, LONG_COLUMNS, ROW_COLUMNS, rows_of

SPILL_ROWS = 20_000      # rows held before they are written out

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
        the parts are removed."""
        import duckdb
        self._spill()
        con = duckdb.connect(config={"memory_limit": memory, "threads": 1,
                                     "temp_directory": str(self.folder / "spill")})
        try:
            if self.parts:
                con.read_parquet(str(self.folder / "part-*.parquet")).create_view("rows")
            else:
                con.register("rows", pa.Table.from_pylist([], schema=SCHEMA))
            _choose(con)
            with replacing(parquet) as tmp:
                con.execute("COPY (SELECT * EXCLUDE (_seq) FROM long ORDER BY _seq) TO ? (FORMAT PARQUET)",
                            [str(tmp)])
            if csv is not None:
                with replacing(csv) as tmp:
                    result = con.execute("SELECT * EXCLUDE (_seq) FROM long ORDER BY _seq")
                    write_csv(_chunks(result), tmp)
        finally:
            con.close()
            shutil.rmtree(self.folder, ignore_errors=True)


def _choose(con) -> None:
    """One value per cell: by the rank of the statement, then the link's score (the wording
    closest to the indicator's name), then the first stated.  A chosen row that ties on every
    rule but order with others of different values says so in `conflict`, not hidden."""
    cell = ", ".join(CELL)
    con.execute(f"""CREATE TEMP TABLE ranked AS SELECT *,
        row_number() OVER (PARTITION BY {cell} ORDER BY _rank, -round_even(coalesce(_score, 0), 2),
                           start, _seq) = 1 AS chosen
        FROM rows""")
    same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM b.{c}" for c in CELL)
    tied = con.execute(f"""SELECT b._seq, t.value FROM ranked t JOIN ranked b
        ON b.chosen AND NOT t.chosen AND {same} AND t._rank = b._rank
        AND abs(t.value - b.value) > 1e-6 * greatest(abs(t.value), 1)""").fetchall()
    said: dict[int, set] = {}
    for seq, value in tied:
        said.setdefault(seq, set()).add(value)
    conflicts = pa.table({"seq": list(said), "conflict": [
        "also stated: " + ", ".join(f"{x:g}" for x in sorted(v)) for v in said.values()]},
        schema=pa.schema([("seq", pa.int64()), ("conflict", pa.string())]))
    con.register("conflicts", conflicts)
    columns = ", ".join(f'r."{c}"' for c in LONG_COLUMNS if c not in ("chosen", "conflict"))
    con.execute(f"""CREATE TEMP TABLE long AS SELECT {columns}, r.chosen,
        coalesce(c.conflict, '') AS conflict, r._seq
        FROM ranked r LEFT JOIN conflicts c ON c.seq = r._seq""")
    con.execute("DROP TABLE ranked")


def _chunks(result):
    """The rows of a DuckDB result as pandas frames of a few thousand rows (the first one even
    when empty: it carries the header)."""
    first = True
    while True:
        batch = result.fetch_df_chunk()
        if batch is None or batch.empty and not first:
            return
        yield batch
        first = False
