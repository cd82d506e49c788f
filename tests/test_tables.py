"""Comparable tables: one value per region, year and indicator, chosen by stated rules."""
import pandas as pd
import pytest
from openpyxl import load_workbook

from extract import analyze
from extract.batch import compare, make_linker
from extract.long_table import long_table
from extract.tables import figure_year


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


def chosen(df, indicator, measure="level", role="value"):
    rows = df[(df["indicator"] == indicator) & df["chosen"] & (df["measure"] == measure)
              & (df["role"] == role)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_whole_year_over_part_and_targets_apart(linker):
    df = table(linker, "东安县卫生健康局2020年工作总结\n1-9月，县域就诊率达84.11%。全年县域就诊率达86.2%。"
                       "力争县域就诊率达到90%。东安县……东安县……")
    row = chosen(df, "county_consultation_rate")
    assert (row["value"], row["region"], row["year"], row["conflict"]) == (86.2, "东安县", 2020, "")
    assert chosen(df, "county_consultation_rate", role="target")["value"] == 90


# A provincial government work report delivered in 2025: it reviews 2024 and sets 2025's targets.
GWR = ("2025年某某省政府工作报告\n——2025年1月15日省长 某某在某某省第十四届人民代表大会第三次会议上\n"
       "一、2024年工作回顾\n过去一年，全省地区生产总值3.21万亿元、增长5.1%，一般公共预算收入2100亿元，"
       "增长3.2%。五年来，地区生产总值突破3万亿元，年均增长6.2%，进出口总额累计5万亿元。"
       "进出口总额8000亿元，其中对东盟进出口1200亿元。城镇居民人均可支配收入由4.5万元提高到4.8万元。"
       "预计全省固定资产投资增长4%。\n"
       "二、2025年工作总体要求和主要预期目标\n今年经济社会发展的主要预期目标是：地区生产总值增长5%—5.5%；"
       "居民消费价格涨幅2%左右；城镇新增就业60万人以上，城镇调查失业率5.5%以内。\n")


@pytest.fixture(scope="module")
def gwr(linker):
    doc = analyze(GWR, "gwr.txt")
    linker.link(doc.figures)
    return long_table([doc])


@pytest.mark.parametrize("indicator, measure, role, year, value, value_max, qualifier", [
    ("gdp", "level", "value", 2024, 3.21e12, None, "exact"),      # the year's own, not 五年来突破
    ("gdp", "growth", "value", 2024, 5.1, None, "exact"),         # not the 五年 年均增长
    ("public_budget_revenue", "growth", "value", 2024, 3.2, None, "exact"),
    ("foreign_trade", "level", "value", 2024, 8e11, None, "exact"),   # not 累计, not 其中
    ("urban_disposable_income", "level", "value", 2024, 48000, None, "exact"),   # the end of 由A到B
    ("fixed_asset_investment", "growth", "value", 2024, 4.0, None, "exact"),   # 预计 in a review
    ("gdp", "growth", "target", 2025, 5.0, 5.5, "range"),
    ("cpi", "growth", "target", 2025, 2.0, None, "approx"),
    ("urban_new_jobs", "level", "target", 2025, 600000, None, "at_least"),
    ("surveyed_unemployment_rate", "level", "target", 2025, 5.5, None, "at_most"),
])
def test_one_value_per_cell_by_precedence(gwr, indicator, measure, role, year, value, value_max, qualifier):
    row = chosen(gwr, indicator, measure, role)
    got = (row["year"], row["value"], None if pd.isna(row["value_max"]) else row["value_max"], row["qualifier"])
    assert got == (year, pytest.approx(value), value_max, qualifier)


def test_the_start_of_a_change_is_not_the_years_value(gwr):
    rows = gwr[gwr["indicator"] == "urban_disposable_income"]
    assert 45000 not in rows["value"].tolist()


def test_a_bound_never_beats_an_exact_value(linker):
    df = table(linker, "东安县2020年工作总结\n全县村医超过300名。全县共有村医298名。东安县……东安县……")
    assert chosen(df, "village_doctors")["value"] == 298


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
    assert not res.summary.output_errors


def test_compare_xlsx_keeps_text_as_text(tmp_path):
    """A sentence that starts with = is quoted text in compare.xlsx and indicators.csv, never a
    formula (extract.cells)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "东安县2020.txt").write_text("东安县卫生健康局2020年工作总结\n=全县共有村医298名。", encoding="utf-8")
    res = compare([str(src)], tmp_path / "out", indicators=["village_doctors"])
    long = load_workbook(res.compare_xlsx)["long"]
    column = [c.value for c in long[1]].index("sentence")
    sentence = long[2][column]
    assert sentence.data_type == "s" and sentence.value.startswith("'=全县共有村医298名")
    csv_text = (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "'=全县共有村医298名" in csv_text and ",=全县" not in csv_text


def _table_of_two_regions(tmp_path, linker):
    text = "{0}卫生健康局2020年工作总结\n{0}全县共有村医{1}名，村卫生室{2}个，乡镇卫生院{3}所。{0}……{0}……"
    docs = [analyze(text.format(c, *n), f"{c}.txt") for c, n in (("东安县", (298, 120, 12)),
                                                                  ("双牌县", (310, 98, 9)))]
    for d in docs:
        linker.link(d.figures)
    long = long_table(docs)
    return long[long["chosen"]]


@pytest.mark.parametrize("processes", [1, 2])
def test_charts_shared_among_processes_come_back_in_the_order_asked(tmp_path, linker, processes):
    from extract.charts import ChartProcess
    chosen_rows = _table_of_two_regions(tmp_path, linker)
    asked = ["village_clinics", "village_doctors", "township_health_centers"]
    drawing = ChartProcess(processes)
    try:
        drawing.submit(chosen_rows, asked, tmp_path)
        got = drawing.result()
    finally:
        drawing.close()
    drawn = [p.name for p in got]
    assert drawn == [f"chart_{i}.png" for i in asked if f"chart_{i}.png" in drawn]
    assert len(drawn) >= 2 and all(p.read_bytes()[:4] == b"\x89PNG" for p in got)


def test_a_chart_that_cannot_be_drawn_is_named_and_the_process_ends(tmp_path, linker):
    from extract.charts import ChartProcess
    drawing = ChartProcess(2)
    try:
        drawing.submit(_table_of_two_regions(tmp_path, linker), ["village_doctors"], tmp_path / "missing")
        with pytest.raises(RuntimeError, match="FileNotFoundError"):
            drawing.result()
    finally:
        drawing.close()
    assert not any(p.is_alive() for p in drawing._procs)


def test_one_value_per_cell_when_years_are_unknown_and_several_disagree(linker):
    df = table(linker, "全县共有村医298名。全县共有村医300名。全县共有村医305名。")
    row = chosen(df, "village_doctors")
    assert row["value"] == 298 and row["conflict"] == "also stated: 300, 305"
    assert df["chosen"].sum() == 1


def test_the_key_is_sound():
    """Every cell of the hand-read key: fields, values, and its fragment in its document."""
    from evaluation.table_key import check, document_texts, key_sets
    sets = key_sets()
    if not all(ks.source.exists() for ks in sets):
        pytest.skip("the key's sources (../shared) are not here")
    assert sum(len(ks.cells) for ks in sets) >= 250
    for ks in sets:
        assert check(ks.cells, document_texts(ks.source)) == [], ks.name


def test_table_scoring_counts_right_wrong_and_missing_cells(tmp_path):
    from evaluation.table_key import KeySet
    from evaluation.table_score import score_set, table_of
    src = tmp_path / "src"
    src.mkdir()
    (src / "gwr.txt").write_text(GWR.replace("某某省", "湖南省"), encoding="utf-8")
    base = dict(doc="gwr.txt", region="", region_level="", unit="%", value_max=None,
                qualifier="exact", fragment="")
    cells = [dict(base, year=2024, indicator="gdp", measure="growth", role="value", value=5.1),
             dict(base, year=2024, indicator="retail_sales", measure="growth", role="value", value=7.7),
             dict(base, year=2025, indicator="gdp", measure="growth", role="target", value=5.0,
                  fragment="地区生产总值增长5%—5.5%")]       # the key forgets the range
    long, figures, docs = table_of(KeySet("t", src, []), tmp_path / "out", "lexical")
    assert docs["region"].iloc[0] == "湖南省"
    cells = [dict(c, region="湖南省") for c in cells]
    r = score_set(KeySet("t", src, cells), long, figures, docs)
    assert [e["outcome"] for e in r["errors"]] == ["missing", "wrong"]
    assert r["accuracy"] == pytest.approx(1 / 3) and r["coverage"] == pytest.approx(2 / 3)
    assert r["errors"][0]["cause"].startswith("figure not found")    # the text states no such cell
    assert r["errors"][1]["got"] == 5.0 and r["errors"][1]["cause"].startswith("value: read as 5–5.5")
