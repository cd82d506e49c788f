"""Comparable tables: one value per region, year and indicator, each traceable to its sentence."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import regex

from .cells import cell_text, write_csv
from .model import Document
from .outfiles import replacing, temporary

LONG_COLUMNS = ["region", "region_level", "province", "year", "period", "indicator", "indicator_name",
                "topic", "measure", "role", "value", "value_max", "unit", "qualifier", "subject",
                "surface", "doc", "start", "end", "sentence", "anonymised", "chosen", "conflict"]
CELL = ["region", "year", "indicator", "measure", "role"]
_YEAR = regex.compile(r"((?:19|20)[0-9]{2})")
# a statement about several years, not the year's own: 五年来, 年均增长, 累计, 十四五期间
_MULTI_YEAR = regex.compile(r"(?:[二三四五六七八九十两0-9]+年(?:来|以来|间|中|里|累计)|年均|累计|期间|以来"
                            r"|过去[二三四五六七八九十两0-9]+年|十[一二三四五]五)")
_AVERAGE = regex.compile(r"年均")


def figure_year(period: str, report_year: int | None) -> int | None:
    """The year a figure belongs to: the period's year; the end of a span (2021-2023年); the
    report's year for a running total (2014年以来, 截至目前)."""
    years = [int(y) for y in _YEAR.findall(period or "")]
    if not years:
        return report_year
    if "以来" in period:
        return report_year or years[-1]
    return years[-1]


ROW_COLUMNS = LONG_COLUMNS[:-2] + ["_rank", "_score"]     # of rows_of's rows


def rows_of(d: Document, topics: dict[str, str] | None = None) -> list[dict]:
    """The long-table rows of one document's linked figures (before one is chosen per cell).

    A row is a level or a growth rate (an absolute change is neither), a result or a target;
    the start of a change or a comparison base stated against the report's own year is not a
    value of that year."""
    rows = []
    for f in d.figures:
        measure = f.measure
        if not f.indicator or measure == "change":
            continue
        part = d.part_at(f.start, f.page)
        covered = part.year if part else None
        year = figure_year(f.period, covered)
        if f.role == "before" and (year == covered or year is None):
            continue            # 由A提高到B's A, 比上年…'s base: not the year's value
        left = _left_of(f)
        # a multi-year statement: said so before the figure, dated by a span, or under a
        # heading about a multi-year period ("十三五"时期发展成就)
        multi = bool(_MULTI_YEAR.search(left) or _MULTI_YEAR.search(f.section or "")) or "-" in (f.period or "")
        if measure == "growth" and _AVERAGE.search(left):
            continue            # 年均增长: an average over several years, not the year's growth
        role = "target" if f.target or f.role == "target" else "value"
        region = part.region if part and part.region else ""
        rows.append({
            "region": region or f"({d.path})", "region_level": part.region_level if part else "",
            "province": part.province if part else "", "year": year, "period": f.period,
            "indicator": f.indicator, "indicator_name": f.indicator_name,
            "topic": (topics or {}).get(f.indicator, ""), "measure": measure, "role": role,
            "value": f.value, "value_max": f.value_max, "unit": f.unit, "qualifier": f.qualifier,
            "subject": f.subject, "surface": f.surface, "doc": f.doc, "start": f.start,
            "end": f.end, "sentence": f.sentence, "anonymised": bool(part and part.anonymised),
            "_rank": _rank(f, multi, "其中" in left), "_score": f.indicator_score})
    return rows


def _left_of(f) -> str:
    """The sentence up to the figure."""
    at = f.sentence.find(f.surface)
    return f.sentence[:at] if at >= 0 else ""


def _rank(f, multi_year: bool, part: bool) -> int:
    """Lower wins a cell.  In order: a result over a target (rows of one cell share the role,
    so this only orders what is left of older outputs); the year's own statement over a
    comparison base quoted in a later report; over a multi-year review (五年来…突破2万亿元);
    an exact value over a bound (突破, 以上, 以内); the whole year over part of it; a total
    over its parts (其中… before it in the sentence); then the first stated."""
    whole_year = bool(regex.fullmatch(r"(?:19|20)[0-9]{2}年(?:截至年底|底)?", f.period or ""))
    return ((f.role == "target") * 32 + (f.role == "before") * 16 + multi_year * 8
            + (f.qualifier in ("at_least", "at_most")) * 4 + (not whole_year) * 2 + part)


_MEASURE_LABEL = {"level": "", "growth": " 增长"}
_ROLE_LABEL = {"value": "", "target": " 目标"}


def _row_label(r) -> str:
    unit = "%" if r["measure"] == "growth" else r["unit"]
    return f"{r['indicator_name']}{_MEASURE_LABEL.get(r['measure'], '')}{_ROLE_LABEL.get(r['role'], '')} ({unit})"


_ORDER = {"level": 0, "growth": 1, "value": 0, "target": 1}


def write_compare(long: pd.DataFrame, out_dir: str | Path) -> tuple[Path, Path]:
    """indicators.csv (long, UTF-8 with BOM) and compare.xlsx: one wide sheet per topic, each
    cell with a comment naming its source and sentence (conflicts in yellow), then the long table.

    XlsxWriter writes the workbook (about twice as fast as openpyxl), with strings kept as text:
    a sentence that starts with "=" never becomes a formula."""
    import xlsxwriter

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "indicators.csv"
    with replacing(csv_path) as tmp:
        write_csv(long, tmp)
    xlsx_path = out / "compare.xlsx"
    chosen = long[long["chosen"]].copy()
    chosen["col"] = chosen["region"] + " " + chosen["year"].astype("Int64").astype(str)
    # level, growth and the targets of one indicator in adjacent rows
    chosen["row"] = [_row_label(r) for _, r in chosen.iterrows()] if len(chosen) else []
    row_order = {lab: (name, _ORDER[m], _ORDER[ro]) for lab, name, m, ro in
                 zip(chosen["row"], chosen["indicator_name"], chosen["measure"], chosen["role"])}
    book = xlsxwriter.Workbook(str(temporary(xlsx_path)), {"strings_to_formulas": False, "strings_to_urls": False,
                                                "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    yellow = book.add_format({"bg_color": "#FFF2CC"})
    topics = sorted(t for t in chosen["topic"].unique()) or ["indicators"]
    for topic in topics:
        part = chosen[chosen["topic"] == topic] if topic != "indicators" else chosen
        if part.empty:
            continue
        wide = part.pivot_table(index="row", columns="col", values="value", aggfunc="first")
        wide = wide.reindex(sorted(wide.columns, key=_col_key), axis=1)
        wide = wide.reindex(sorted(wide.index, key=row_order.get))
        ws = book.add_worksheet(_sheet_name(topic))
        ws.freeze_panes(1, 1)
        ws.set_column(0, 0, 36)
        ws.set_column(1, len(wide.columns), 16)
        ws.write_row(0, 1, [cell_text(c) for c in wide.columns], bold)
        cols = {c: i + 1 for i, c in enumerate(wide.columns)}
        rows = {r: i + 1 for i, r in enumerate(wide.index)}
        for label, i in rows.items():
            ws.write_string(i, 0, cell_text(label), bold)
        for r in part.itertuples(index=False):
            text = (f"{r.doc} [{r.start}:{r.end}] {r.period} {r.qualifier}"
                    f"{'' if pd.isna(r.value_max) else ' ≤ ' + format(r.value_max, 'g')}"
                    f"\n{r.sentence[:300]}")
            if r.conflict:
                text = r.conflict + "\n" + text
            ws.write_number(rows[r.row], cols[r.col], float(r.value), yellow if r.conflict else None)
            ws.write_comment(rows[r.row], cols[r.col], cell_text(text),
                             {"author": "report-figures", "x_scale": 3, "y_scale": 2})
    _write_frame(book.add_worksheet("long"), long, bold)
    try:
        book.close()
    except xlsxwriter.exceptions.FileCreateError as e:
        raise OSError(f"compare.xlsx: {e}") from None
    os.replace(temporary(xlsx_path), xlsx_path)      # replaced, never written through a link
    return csv_path, xlsx_path


def _write_frame(ws, df: pd.DataFrame, header_format) -> None:
    """A DataFrame as a plain sheet: a header row, then its values (blank where missing)."""
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, [str(c) for c in df.columns], header_format)
    values = df.astype(object).where(df.notna(), None).to_numpy().tolist()
    for i, row in enumerate(values, start=1):
        for j, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif isinstance(v, (int, float)):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, cell_text(str(v)))


def _col_key(col: str):
    region, _, year = col.rpartition(" ")
    return (region, year)


def _sheet_name(topic: str) -> str:
    return regex.sub(r"[\[\]:*?/\\]", "", topic)[:31] or "indicators"
