"""What places a report: region, year, type, and the reports glued into one file."""
import pytest

from conftest import SHARED
from extract import analyze
from extract.metadata import find_region, report_type
from extract.cleaning import normalize
from extract.periods import report_year


@pytest.mark.parametrize("title, text, county, city, province", [
    ("东安县卫生健康局2020年工作总结及2021年工作打算", "全县卫健系统……", "东安县", "永州市", "湖南省"),
    ("", "海拉尔区人民政府……海拉尔区……海拉尔区经济……", "海拉尔区", "呼伦贝尔市", "内蒙古自治区"),
    ("2026年吉林省政府工作报告", "全省……", "", "", "吉林省"),
    ("", "县人民医院在锦江区妇幼保健院大力支援下……", "", "", ""),   # a partner named once is not the region
])
def test_region(title, text, county, city, province):
    r = find_region(title, text)
    assert (r.county, r.city, r.province, r.anonymised) == (county, city, province, False)


def test_anonymised_region_is_kept_as_written():
    r = find_region("2023年X县卫健委实施乡村振兴战略工作完成情况报告", "X县医共体总院……")
    assert (r.county, r.anonymised) == ("X县", True)


@pytest.mark.parametrize("title, kind", [
    ("2023年X县卫健委实施乡村振兴战略工作完成情况报告", "工作完成情况报告"),
    ("东安县卫生健康局2020年工作总结及2021年工作打算", "工作总结"),
    ("政 府 工 作 报 告", "政府工作报告"),
    ("农村卫生总结暨下半年情况汇报", "工作总结"),
])
def test_report_type(title, kind):
    assert report_type(title.replace(" ", ""), "") == kind


@pytest.mark.parametrize("title, body, year", [
    ("东安县卫生健康局2020年工作总结及2021年工作打算", "", 2020),
    ("政府工作报告", "——2016年2月19日在海拉尔区第十四届人民代表大会第四次会议上\n2015年，全区……", 2015),
    ("", "2015年全乡农村经济总收入达1478.89万元……独足沟村电网改造将在2016年实施。2015年……", 2015),
    ("", "2020年截至目前救助患者383人……2017年以来……2017年……2017年……", 2020),
])
def test_year_covered(title, body, year):
    assert report_year(title, body) == year


GLUED = """二、压实县乡责任，确保全力做好乡级自查
(一)5月15日前，完成乡级自查。各乡镇卫生院要重新核实核准各村村医配置情况，做到一口清。
(二)5月15日前，同步完成县级复查。对各乡镇医疗卫生机构达标情况开展复查。
三、组织县级专项核查
(一)核查对口帮扶与巡回医疗开展情况。重点核查县级医院对乡镇卫生院帮扶工作。
坚持以新时代中国特色社会主义思想为指引，按照单位包村、干部包户的要求，切实做好精准帮扶工作，持续巩固贫困村出列成效，确保打好全年脱贫攻坚战。
二、目标任务
进一步落实帮扶任务，扎实做好146户已脱贫户防范返贫工作。
三、主要措施
一是细化精准帮扶。认真做好147户建档立卡贫困户的帮扶工作。力争2020年村集体经济收入达到14万元以上。
四、工作要求
(一)强化组织领导。三家包村单位要高度重视定点帮扶工作。
围绕建设社会主义新农村目标，结合实际，因地制宜实施产业结构调整，全乡产业结构调整逐步优化。2015年全乡农村经济总收入达1478.89万元，同比增长18.44%。
(一)粮食生产稳步增长。实现粮食总产量达566吨。
(二)基地建设继续巩固。巩固蔬菜基地363亩。
"""


def test_glued_reports_are_split_and_dated_apart(monkeypatch):
    import extract.metadata as md
    monkeypatch.setattr(md, "MIN_PART", 50)
    doc = analyze(GLUED, "glued.txt")
    starts = [GLUED[p.start:p.start + 6] for p in doc.parts]
    assert starts == ["二、压实县乡", "坚持以新时代", "围绕建设社会"]
    by_surface = {f.surface: f.period for f in doc.figures}
    assert by_surface["566吨"] == "2015年" and by_surface["363亩"] == "2015年"
    assert by_surface["146户"] == "2020年" and doc.part_at(GLUED.index("三家")).year == 2020


def test_hailar_series_is_placed():
    folder = SHARED / "corpora" / "bulk" / "hailar_gwr"
    if not folder.exists():
        pytest.skip("shared corpora not present")
    for year in range(2012, 2020):
        doc = analyze((folder / f"hailar_{year}.txt").read_text(encoding="utf-8"))
        p = doc.parts[0]
        assert (p.county, p.province, p.year, p.report_type) == ("海拉尔区", "内蒙古自治区", year - 1, "政府工作报告")


def test_a_pdf_figure_finds_its_report_by_page():
    from extract.model import Document, Part
    doc = Document(path="x.pdf", parts=[Part(0, 100, year=2020), Part(100, 300, year=2015)],
                   page_starts=[0, 90])
    assert doc.part_at(20, page=1).year == 2020
    assert doc.part_at(20, page=2).year == 2015     # offset 110 of the whole text


# A government work report: where it is delivered and when, in the forms reports write them.
OPENING = "\n各位代表：\n一、2024年工作回顾\n过去一年，全区地区生产总值1500亿元。\n二、2025年工作安排\n"


@pytest.mark.parametrize("head, region, level, province, year", [
    # a date in Chinese numerals; the congress names the prefecture, not its capital named often
    ("政府工作报告\n——二〇二五年一月十五日在恩施土家族苗族自治州第九届人民代表大会第五次会议上\n"
     "恩施市……恩施市……恩施市……恩施市", "恩施土家族苗族自治州", "prefecture", "湖北省", 2024),
    # a date broken by a line end, a speaker's name between the date and 在
    ("政 府 工 作 报 告\n——2025年1\n月14日东安县人民政府县长 某某在东安县第十八届人民代表大会第五次会议上",
     "东安县", "county", "湖南省", 2024),
    # the title's year is the delivery year; a short name of a province
    ("2025年广西政府工作报告\n来源：广西日报", "广西壮族自治区", "province", "广西壮族自治区", 2024),
    # the State Council's report: no title, the whole country
    ("现在，我代表国务院，向大会报告政府工作，请予审议。", "全国", "national", "", 2024),
])
def test_government_work_report_region_and_year(head, region, level, province, year):
    part = analyze(head + OPENING, "r.txt").parts[0]
    assert (part.region, part.region_level, part.province, part.year, part.present) == \
        (region, level, province, year, year + 1)
    assert part.report_type == "政府工作报告"


@pytest.mark.parametrize("text, year", [
    ("各位代表：\n现在，我代表国务院，向大会作政府工作报告。\n一、１９９６年国内工作的回顾\n"
     "１９９６年是实施“九五”计划的第一年。", 1996),
    ("各位代表，现在，我代表国务院，作政府工作报告。\n一、去年工作回顾\n2005年，我国……\n"
     "二、今年主要任务\n2006年是“十一五”开局之年。", 2005),
    ("各位代表：\n我代表国务院，向第十届全国人民代表大会第一次会议报告过去五年的工作。\n"
     "一、过去五年政府工作的回顾\n……\n二、今年工作的建议\n2003年是全面贯彻党的十六大精神的第一年。", 2002),
])
def test_year_covered_by_a_report_without_title_or_date(text, year):
    assert report_year("", normalize(text)) == year     # the pipeline reads normalized text
