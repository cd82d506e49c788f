"""Comparable tables: one value per region, year and indicator, each traceable to its sentence."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import regex

from .model import Document

LONG_COLUMNS = ["region", "province", "year", "period", "indicator", "indicator_name", "topic",
                "value", "unit", "qualifier", "role", "subject", "surface", "doc", "start", "end",
                "sentence", "anonymised", "chosen", "conflict"]
_YEAR = regex.compile(r"((?:19|20)[0-9]{2})")


def figure_year(period: str, report_year: int | None) -> int | None:
    """The year a figure belongs to: the period's year; the end of a span (2021-2023年); the
    report's year for a running total (2014年以来, 截至目前)."""
    years = [int(y) for y in _YEAR.findall(period or "")]
    if not years:
        return report_year
    if "以来" in period:
        return report_year or years[-1]
    return years[-1]


def long_table(docs: list[Document], topics: dict[str, str] | None = None) -> pd.DataFrame:
    """Every linked figure with where it stands (region, year) and where it came from."""
    return from_rows([r for d in docs for r in rows_of(d, topics)])


def from_rows(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=LONG_COLUMNS[:-2] + ["_part_of", "_whole_year"])
    return choose(df)


def rows_of(d: Document, topics: dict[str, str] | None = None) -> list[dict]:
    """The long-table rows of one document's linked figures (before one is chosen per cell)."""
    rows = []
    for f in d.figures:
        if not f.indicator or f.role == "change":
            continue
        part = d.part_at(f.start, f.page)
        region = part.region if part and part.region else ""
        rows.append({
            "region": region or f"({d.path})", "province": part.province if part else "",
            "year": figure_year(f.period, part.year if part else None), "period": f.period,
            "indicator": f.indicator, "indicator_name": f.indicator_name,
            "topic": (topics or {}).get(f.indicator, ""), "value": f.value, "unit": f.unit,
            "qualifier": f.qualifier, "role": f.role, "subject": f.subject, "surface": f.surface,
            "doc": f.doc, "start": f.start, "end": f.end, "sentence": f.sentence,
            "anonymised": bool(part and part.anonymised),
            "_part_of": _is_part(f), "_whole_year": _whole_year(f.period)})
    return rows


def _is_part(f) -> bool:
    """A breakdown (其中…) of a total stated before it in the sentence."""
    at = f.sentence.find(f.surface)
    return "其中" in f.sentence[:at] if at >= 0 else False


def _whole_year(period: str) -> bool:
    return bool(regex.fullmatch(r"(?:19|20)[0-9]{2}年(?:截至年底|底)?", period or ""))


def choose(df: pd.DataFrame) -> pd.DataFrame:
    """One value per region, year and indicator: a result over a target, the year's own report
    over a comparison base quoted later, the whole year over a part of it, a total over its
    parts, then the first stated.  Where the statements that tie on
    those rules disagree, the chosen row is flagged with the other values, not hidden."""
    df = df.copy()
    df["chosen"] = False
    df["conflict"] = ""
    if df.empty:
        return df.drop(columns=["_part_of", "_whole_year"])
    # a base-year figure quoted in a later report (同比2019年…) ranks after the year's own
    df["_rank"] = (df["role"].eq("target") * 8 + df["role"].eq("before") * 4
                   + (~df["_whole_year"].astype(bool)) * 2 + df["_part_of"].astype(bool))
    cell = ["region", "year", "indicator"]
    ordered = df.sort_values(cell + ["_rank", "start"], kind="stable")
    first = ~ordered.duplicated(cell, keep="first").to_numpy()
    df.loc[ordered.index[first], "chosen"] = True
    # the statements that tie with the chosen one on every rule but order, and differ from it
    best = ordered.loc[first, cell + ["_rank", "value"]].assign(_best=ordered.index[first])
    tied = ordered.loc[~first, cell + ["_rank", "value"]].merge(best, on=cell, suffixes=("", "_b"))
    tied = tied[(tied["_rank"] == tied["_rank_b"]) & ((tied["value"] - tied["value_b"]).abs()
                                                      > 1e-6 * tied["value"].abs().clip(lower=1))]
    if not tied.empty:
        said = tied.groupby("_best")["value"].agg(
            lambda v: "also stated: " + ", ".join(f"{x:g}" for x in sorted(set(v))))
        df.loc[said.index, "conflict"] = said.to_numpy()
    return df.drop(columns=["_part_of", "_whole_year", "_rank"])


def write_compare(long: pd.DataFrame, out_dir: str | Path) -> tuple[Path, Path]:
    """indicators.csv (long, UTF-8 with BOM) and compare.xlsx: one wide sheet per topic, each
    cell with a comment naming its source and sentence (conflicts in yellow), then the long table."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "indicators.csv"
    long.to_csv(csv_path, index=False, encoding="utf-8-sig")
    xlsx_path = out / "compare.xlsx"
    chosen = long[long["chosen"]].copy()
    chosen["col"] = chosen["region"] + " " + chosen["year"].astype("Int64").astype(str)
    chosen["row"] = chosen["indicator_name"] + " (" + chosen["unit"] + ")"
    yellow = PatternFill("solid", fgColor="FFF2CC")
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as xw:
        topics = sorted(t for t in chosen["topic"].unique()) or ["indicators"]
        for topic in topics:
            part = chosen[chosen["topic"] == topic] if topic != "indicators" else chosen
            if part.empty:
                continue
            wide = part.pivot_table(index="row", columns="col", values="value", aggfunc="first")
            wide = wide.reindex(sorted(wide.columns, key=_col_key), axis=1)
            name = _sheet_name(topic)
            wide.to_excel(xw, sheet_name=name, freeze_panes=(1, 1))
            ws = xw.sheets[name]
            ws.column_dimensions["A"].width = 36
            cols = {c: i + 2 for i, c in enumerate(wide.columns)}
            rows = {r: i + 2 for i, r in enumerate(wide.index)}
            for _, r in part.iterrows():
                cell = ws.cell(row=rows[r["row"]], column=cols[r["col"]])
                text = f"{r['doc']} [{r['start']}:{r['end']}] {r['period']}\n{r['sentence'][:300]}"
                if r["conflict"]:
                    text = r["conflict"] + "\n" + text
                    cell.fill = yellow
                cell.comment = Comment(text, "report-figures", width=400, height=160)
            for c in cols.values():
                ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = 16
        long.to_excel(xw, sheet_name="long", index=False, freeze_panes=(1, 0))
    return csv_path, xlsx_path


def _col_key(col: str):
    region, _, year = col.rpartition(" ")
    return (region, year)


def _sheet_name(topic: str) -> str:
    return regex.sub(r"[\[\]:*?/\\]", "", topic)[:31] or "indicators"
