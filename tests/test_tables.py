"""Comparable tables: one value per region, year and indicator, chosen by stated rules."""
import pandas as pd
import pytest
from openpyxl import load_workbook

from extract import analyze
from extract.batch import compare, make_linker
from extract.tables import figure_year, long_table


@pytest.mark.parametrize("period, report_year, year", [
    ("2023年", 2023, 2023), ("2023年1-9月", 2023, 2023), ("2019年1-11月", 2020, 2019),
    ("2021-2023年", 2023, 2023), ("2014年以来", 2020, 2020), ("", 2020, 2020)])
def test_year_of_a_figure(period, report_year, year):
    assert figure_year(period, report_year) == year


@pytest.fixture(scope="module")
def linker():
    return make_linker(embeddings=False)


def table(linker, text):
    doc = analyze(text, "东安.txt")
    linker.link(doc.figures)
    return long_table([doc])


def chosen(df, indicator):
    rows = df[(df["indicator"] == indicator) & df["chosen"]]
    assert len(rows) == 1
    return rows.iloc[0]


def test_whole_year_over_part_and_result_over_target(linker):
    df = table(linker, "东安县卫生健康局2020年工作总结\n1-9月，县域就诊率达84.11%。全年县域就诊率达86.2%。"
                       "力争县域就诊率达到90%。东安县……东安县……")
    row = chosen(df, "county_consultation_rate")
    assert (row["value"], row["region"], row["year"], row["conflict"]) == (86.2, "东安县", 2020, "")


def test_total_over_its_parts(linker):
    df = table(linker, "东安县2020年工作总结\n全县共有村医298名，其中村医42名。东安县……东安县……")
    assert chosen(df, "village_doctors")["value"] == 298


def test_disagreement_is_flagged_not_hidden(linker):
    df = table(linker, "东安县2020年工作总结\n全县共有村医298名。全县共有村医300名。东安县……东安县……")
    row = chosen(df, "village_doctors")
    assert row["value"] == 298 and row["conflict"] == "also stated: 300"


def test_compare_writes_tables_charts_and_traceable_cells(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for county, year, doctors in (("东安县", 2019, 280), ("东安县", 2020, 298), ("双牌县", 2020, 310)):
        (src / f"{county}{year}.txt").write_text(
            f"{county}卫生健康局{year}年工作总结\n{county}全县共有村医{doctors}名，县域就诊率达8{year % 10}.5%。"
            f"{county}……{county}……", encoding="utf-8")
    res = compare([str(src)], tmp_path / "out", indicators=["village_doctors"], embeddings=False)
    long = pd.read_csv(res.indicators_csv, encoding="utf-8-sig")
    got = long[long["chosen"]][["region", "year", "value"]].sort_values(["region", "year"]).values.tolist()
    assert got == [["东安县", 2019, 280.0], ["东安县", 2020, 298.0], ["双牌县", 2020, 310.0]]
    wb = load_workbook(res.compare_xlsx)
    sheet = next(ws for ws in wb.worksheets if ws.title != "long")
    header = [c.value for c in sheet[1]]
    assert header[1:] == ["东安县 2019", "东安县 2020", "双牌县 2020"]
    cell = sheet.cell(row=2, column=3)
    assert cell.value == 298 and "全县共有村医298名" in cell.comment.text
    assert [p.name for p in res.charts] == ["chart_village_doctors.png"]
    assert res.charts[0].read_bytes()[:4] == b"\x89PNG"


def test_one_value_per_cell_when_years_are_unknown_and_several_disagree():
    from extract.tables import from_rows
    base = dict(region="东安县", province="", period="", indicator="village_doctors",
                indicator_name="村医人数", topic="", unit="人", qualifier="", subject="村医",
                surface="", doc="a.txt", end=0, sentence="", anonymised=False, _whole_year=True,
                _part_of=False)
    rows = [dict(base, year=None, value=298.0, role="result", start=5),
            dict(base, year=None, value=300.0, role="result", start=9),
            dict(base, year=None, value=305.0, role="result", start=12),
            dict(base, year=None, value=298.0, role="result", start=20),
            dict(base, year=None, value=400.0, role="target", start=1),
            dict(base, year=2020, value=290.0, role="before", start=3),
            dict(base, year=2020, value=280.0, role="result", start=30)]
    df = from_rows(rows)
    got = df[df["chosen"]].sort_values("start")[["year", "value", "conflict"]].values.tolist()
    assert got[0][1:] == [298.0, "also stated: 300, 305"] and pd.isna(got[0][0])
    assert got[1] == [2020, 280.0, ""]           # the year's own result over a base quoted later
    assert df["chosen"].sum() == 2
