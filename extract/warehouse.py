"""Results as Parquet files and a DuckDB database (tables documents, figures, indicators), for
queries over counties and years in SQL."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .outfiles import OutputError, replacing
from .output import FIGURE_COLUMNS

# DuckDB would take much of the machine's memory for the tables it writes (and for choosing the
# indicator cells, long_table.py); held to this (and one thread), it spills to a folder in the
# output folder, so a run's peak stays flat as archives grow.  Where that is not enough for it,
# it is tried once more without a limit.
WAREHOUSE_MEMORY = os.environ.get("REPORT_FIGURES_WAREHOUSE_MEMORY", "32MB")


def write_warehouse(out_dir: str | Path, indicators: Path | None = None) -> Path:
    """figures.parquet, documents.parquet and results.duckdb from the streamed outputs, sorted
    by document and offset (workers finish in any order), with the long indicator table of a
    linked run (`indicators`, indicators.parquet as long_table wrote it; else an empty one)."""
    import duckdb
    out = Path(out_dir)
    try:
        try:
            return _write(duckdb, out, indicators, {"memory_limit": WAREHOUSE_MEMORY})
        except duckdb.OutOfMemoryException:
            return _write(duckdb, out, indicators, {})
    except duckdb.Error as e:        # a full disk, say: an output problem like any other
        raise OutputError(out, f"{type(e).__name__}: {e}") from None


def _write(duckdb, out: Path, indicators: Path | None, config: dict) -> Path:
    con_path = out / "results.duckdb"
    tmp = out / "results.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp), config={**config, "threads": 1, "temp_directory": str(out / ".duckdb.tmp")})
    try:
        with replacing(out / "figures.parquet") as parquet:
            sorted_figures(out / "figures.jsonl", parquet)
            con.execute("CREATE TABLE figures AS SELECT * FROM read_parquet(?)", [str(parquet)])
        docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", keep_default_na=False,
                           dtype={"year": str})
        docs["year"] = pd.to_numeric(docs["year"], errors="coerce").astype("Int64")
        con.register("docs_df", docs)
        con.execute("CREATE TABLE documents AS SELECT * FROM docs_df ORDER BY path")
        if indicators is not None:
            con.execute("CREATE TABLE indicators AS SELECT * FROM read_parquet(?)", [str(indicators)])
        else:
            con.register("ind_df", pd.DataFrame(
                columns=["region", "province", "year", "period", "indicator", "indicator_name", "value"]))
            con.execute("CREATE TABLE indicators AS SELECT * FROM ind_df")
        for table in ("documents",) + (() if indicators is not None else ("indicators",)):
            with replacing(out / f"{table}.parquet") as parquet:     # the path a parameter, not SQL
                con.execute(f"COPY {table} TO ? (FORMAT PARQUET)", [str(parquet)])
    finally:
        con.close()
    tmp.replace(con_path)
    return con_path


_FIGURE_TYPES = {"start": pa.int64(), "end": pa.int64(), "value": pa.float64(), "value_max": pa.float64(),
                 "indicator_score": pa.float64(), "page": pa.int64(), "target": pa.bool_()}
FIGURE_SCHEMA = pa.schema([(c, _FIGURE_TYPES.get(c, pa.string())) for c in FIGURE_COLUMNS])
PARQUET_ROWS = 10_000    # figures held at a time while the Parquet file is written


def sorted_figures(jsonl: Path, parquet: Path) -> None:
    """figures.jsonl as Parquet, by document, page and offset.  The writer puts each document's
    lines together (in the order workers finish), so only an index of documents is sorted and
    the figures are read back a document at a time: memory does not grow with the archive."""
    index: list[tuple[str, int, int]] = []          # (document, offset, length) of its lines
    with open(jsonl, "rb") as f:
        at = 0
        for line in f:
            doc = json.loads(line)["doc"]
            if index and index[-1][0] == doc and index[-1][1] + index[-1][2] == at:
                index[-1] = (doc, index[-1][1], index[-1][2] + len(line))
            else:
                index.append((doc, at, len(line)))
            at += len(line)
        index.sort(key=lambda e: e[0])
        writer = pq.ParquetWriter(parquet, FIGURE_SCHEMA)
        try:
            batch: list[dict] = []
            for _, offset, length in index:
                f.seek(offset)
                rows = [json.loads(x) for x in f.read(length).splitlines()]
                rows.sort(key=lambda r: (r.get("page") is not None, r.get("page") or 0, r["start"]))
                batch += rows
                if len(batch) >= PARQUET_ROWS:
                    writer.write_table(pa.Table.from_pylist(batch, schema=FIGURE_SCHEMA))
                    batch = []
            writer.write_table(pa.Table.from_pylist(batch, schema=FIGURE_SCHEMA))
        finally:
            writer.close()
