"""Text made safe for a spreadsheet cell: the one function every CSV and XLSX writer applies.

Two dangers: characters an XLSX file may not hold (a PDF's form feed, other control characters),
which make a workbook unreadable, and text that a spreadsheet would run as a formula (a sentence
or file name starting with =, +, -, @: OWASP's "CSV injection"), which is quoted with a leading
apostrophe.  Plain numbers (-15.4, +3%) are left as they are.  JSON Lines, Parquet and DuckDB
keep the text exactly."""
from __future__ import annotations

import regex

_ILLEGAL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = regex.compile(r"^[-+－＋]?\s*[0-9][0-9,]*(?:\.[0-9]+)?\s*[%‰]?$")


def cell_text(value):
    """`value` as a cell may hold it; anything but a string is returned unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def cell_row(row: dict) -> dict:
    return {k: cell_text(v) for k, v in row.items()}


def cell_frame(df):
    """A DataFrame with every text cell made safe (the numbers are left alone)."""
    from pandas.api.types import is_object_dtype, is_string_dtype
    out = df.copy()
    for col in out.columns:
        if is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(cell_text)
    return out


CSV_ROWS = 10_000    # rows made safe and written at a time: no second copy of a big table


def write_csv(df, path) -> None:
    """`df` (a frame, or frames one after another) as a CSV file Excel opens (UTF-8 with BOM),
    every text cell made safe."""
    import pandas as pd
    pieces = (df.iloc[i:i + CSV_ROWS] for i in range(0, max(len(df), 1), CSV_ROWS)) \
        if isinstance(df, pd.DataFrame) else df
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        for i, piece in enumerate(pieces):
            cell_frame(piece).to_csv(f, index=False, header=i == 0)
