"""Results as Parquet files and a DuckDB database (tables documents, figures, indicators), for
queries over counties and years in SQL."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .outfiles import OutputError, replacing
from .output import FIGURE_COLUMNS

# DuckDB would take most of the machine's memory to read and sort the figures; held to this (and
# one thread), it spills to a folder in the output folder, so a run's peak stays flat as archives
# grow.  Where that is not enough for it, it is tried once more without a limit.
WAREHOUSE_MEMORY = os.environ.get("REPORT_FIGURES_WAREHOUSE_MEMORY", "128MB")


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
    figs = out / "figures.jsonl"
    con_path = out / "results.duckdb"
    tmp = out / "results.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp), config={**config, "threads": 1, "temp_directory": str(out / ".duckdb.tmp")})
    try:
        cols = ", ".join(f'"{c}"' for c in FIGURE_COLUMNS)
        if figs.stat().st_size:
            # read, then sorted: in one statement DuckDB cannot keep to its memory limit
            con.execute(f"""CREATE TEMP TABLE streamed AS SELECT {cols} FROM read_json_auto(?,
                            format='newline_delimited', maximum_object_size=16777216)""", [str(figs)])
            con.execute("CREATE TABLE figures AS SELECT * FROM streamed ORDER BY doc, page NULLS FIRST, start")
            con.execute("DROP TABLE streamed")
        else:
            empty = pd.DataFrame(columns=FIGURE_COLUMNS)
            con.register("empty_figures", empty)
            con.execute("CREATE TABLE figures AS SELECT * FROM empty_figures")
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
        for table in ("figures", "documents") + (() if indicators is not None else ("indicators",)):
            with replacing(out / f"{table}.parquet") as parquet:     # the path a parameter, not SQL
                con.execute(f"COPY {table} TO ? (FORMAT PARQUET)", [str(parquet)])
    finally:
        con.close()
    tmp.replace(con_path)
    return con_path
