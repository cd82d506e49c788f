"""Archive formats read as a person reads them: PDF pages and tables, Word, bad files."""
import pytest

from extract import extract_file, process_file
from fixtures import docx, pdf, scanned_pdf

from evaluation.pdf_layouts import LAYOUTS

TABLE = [["指标", "2022年", "2023年"], ["村卫生室数量（所）", "130", "134"],
         ["家庭医生签约率（%）", "95.2", "99.67"], ["基本公共卫生服务经费（万元）", "2100", "2296"]]
LONG = "全县共有村医298名，签约率达99.67%，投资58.5万元为40所村卫生室配备设备。"


def test_pdf_text_and_table_with_page_provenance(tmp_path):
    p = pdf(tmp_path / "r.pdf", ["东安县卫生健康局2023年工作总结", "一、基本情况", LONG * 3, TABLE,
                                 "PAGEBREAK", "二、公共卫生", "完成两癌筛查6060人。"], header="东安县卫生健康局")
    doc = process_file(p)
    assert doc.status == "ok"
    text_figs = [(f.page, f.surface) for f in doc.figures if not f.sentence.count(" | ")]
    assert text_figs[:4] == [(1, "298名"), (1, "99.67%"), (1, "58.5万元"), (1, "40所")]
    assert (2, "6060人") in text_figs
    cells = {(f.subject, f.period): (f.value, f.unit, f.kind) for f in doc.figures if " | " in f.sentence}
    assert cells[("村卫生室数量", "2023年")] == (134, "所", "count")
    assert cells[("家庭医生签约率", "2022年")] == (95.2, "%", "percent")
    assert cells[("基本公共卫生服务经费", "2023年")] == (22_960_000, "元", "money")
    # the running header and the page numbers are not read as figures or text
    assert not [f for f in doc.figures if f.surface in ("1", "2")]
    assert all(f.section for f in doc.figures if f.page == 2)


def test_pdf_offsets_point_into_the_page_text(tmp_path):
    from extract.formats.pdf import read_pdf
    from extract.tabular import render
    p = pdf(tmp_path / "r.pdf", [LONG * 6, TABLE, "PAGEBREAK", "完成两癌筛查6060人。"])
    pages = {s.page: render(s.text, s.tables)[0] for s in read_pdf(p)}
    for f in extract_file(p):
        assert pages[f.page][f.start:f.end] == f.surface


def test_number_broken_across_lines_is_read_whole():
    from extract.formats.pdf import rejoin
    lines = ["2023年中央和省级财政共补助我县基本公共卫生服务经费2296万元，其中预分配乡镇卫生院20",
             "96万元，预分配县直医疗卫生机构200万元。", "二、村医待遇"]
    assert rejoin(lines).split("\n")[0].endswith("预分配乡镇卫生院2096万元，预分配县直医疗卫生机构200万元。")
    assert rejoin(lines).split("\n")[1] == "二、村医待遇"


@pytest.mark.parametrize("make, reason", [
    (lambda p: scanned_pdf(p), "scanned PDF: OCR found no text"),
    (lambda p: pdf(p, ["全县共有村医298名。"], encrypt="secret"), "encrypted PDF"),
    (lambda p: p.write_bytes(pdf(p, [LONG * 20]).read_bytes()[:900]) and p, "damaged PDF"),
    (lambda p: p.write_bytes(b"%PDF-1.4\n garbage") and p, "damaged PDF"),
])
def test_bad_pdfs_get_a_reason(tmp_path, make, reason):
    p = tmp_path / "bad.pdf"
    make(p)
    doc = process_file(p)
    assert doc.status == "failed" and reason in doc.error


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    p = docx(tmp_path / "r.docx", ["东安县卫生健康局2023年工作总结", "一、基本情况", LONG, TABLE,
                                   "二、公共卫生", "完成两癌筛查6060人。"])
    doc = process_file(p)
    assert doc.title == "东安县卫生健康局2023年工作总结" and doc.year == 2023
    order = [f.surface for f in doc.figures]
    assert order.index("40所") < order.index("134") < order.index("6060人")
    cell = next(f for f in doc.figures if f.surface == "134")
    assert (cell.subject, cell.period, cell.section) == ("村卫生室数量", "2023年", "一、基本情况")
    for f in doc.figures:
        assert doc.text[f.start:f.end] == f.surface


def test_legacy_word_without_libreoffice_is_explained(tmp_path, monkeypatch):
    import shutil
    monkeypatch.setattr(shutil, "which", lambda name: None)
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert "needs LibreOffice" in process_file(p).error


def test_damaged_docx(tmp_path):
    p = tmp_path / "bad.docx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    assert "damaged Word document" in process_file(p).error
    assert "input.docx" not in process_file(p).error       # no temporary copy named to the user


def test_a_sample_report_as_pdf_gives_the_same_figures_as_its_text():
    from evaluation.labels import SAMPLES
    from evaluation.pdf_agreement import agreement
    share, n_text, n_pdf, diff = agreement(SAMPLES / "003_2ac8209b6c6491b0.txt")
    assert n_text > 100 and share >= 0.98, diff


def test_zip_members_are_read_one_by_one_and_named(tmp_path):
    import json
    import zipfile
    from extract import run
    pdf(tmp_path / "a.pdf", ["东安县卫生健康局2023年工作总结", "全县共有村医298名。"])
    docx(tmp_path / "b.docx", ["东安县卫生健康局2022年工作总结", "全县共有村医280名。"])
    with zipfile.ZipFile(tmp_path / "archive.zip", "w") as z:
        z.write(tmp_path / "a.pdf", "报告/a.pdf")
        z.write(tmp_path / "b.docx", "b.docx")
        z.writestr("c.txt", "全县共有村医260名。".encode("gbk"))
        z.writestr("d.pdf", b"%PDF-1.4 broken")
    (tmp_path / "a.pdf").unlink()
    (tmp_path / "b.docx").unlink()
    summary = run([str(tmp_path / "archive.zip")], tmp_path / "out")
    rows = [json.loads(l) for l in (tmp_path / "out" / "figures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["doc"], r["surface"], r["page"]) for r in rows] == [
        ("archive.zip/报告/a.pdf", "298名", 1), ("archive.zip/b.docx", "280名", None),
        ("archive.zip/c.txt", "260名", None)]
    assert [p for p, _ in summary.failed] == ["archive.zip/d.pdf"]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_tables_are_read_whatever_their_ruling(tmp_path, layout):
    """A communiqué's table ruled above and below only (pdfplumber's ruling-line tables glue
    such a table's columns into one cell each), aligned columns with no rule, a table that goes
    on to the next page under the header of its first: every cell a figure, its row label the
    subject, its unit from the header, its page."""
    from evaluation.pdf_layouts import laid_out_pdf, table_cells
    pages, expected = LAYOUTS[layout]
    got = table_cells(laid_out_pdf(tmp_path / "t.pdf", pages))
    assert got == [(p, s, c, pytest.approx(v), u, r) for p, s, c, v, u, r in expected]


def test_the_text_around_a_table_stays_text(tmp_path):
    from evaluation.pdf_layouts import COMMUNIQUE, laid_out_pdf
    from extract import process_file
    doc = process_file(laid_out_pdf(tmp_path / "c.pdf", [COMMUNIQUE]))
    assert any(f.surface == "4.8%" and f.sentence == "全年全市地区生产总值增长4.8%。" for f in doc.figures)
    assert any(f.surface == "45.31%" for f in doc.figures)
    assert doc.parts[0].report_type == "统计公报" and doc.title.endswith("统计公报")


def test_a_sentence_across_a_page_break_is_one_sentence(tmp_path):
    from fixtures import laid_out_pdf
    p = laid_out_pdf(tmp_path / "s.pdf", [[("text", "在规模以上工业中，重工业增加")],
                                         [("text", "值增长11.2%，轻工业增加值增长0.2%。")]])
    from extract import process_file
    doc = process_file(p)
    f = next(f for f in doc.figures if f.surface == "11.2%")
    assert f.sentence == "在规模以上工业中，重工业增加值增长11.2%，轻工业增加值增长0.2%。" and f.page == 2


def test_a_scanned_page_is_read_by_ocr_with_its_page_and_box(tmp_path):
    """RapidOCR reads a page that is only a picture; each figure keeps its page and its box on
    the page, and the document says which pages were read so and how surely."""
    from fixtures import image_only_pdf
    from extract import process_file
    p = image_only_pdf(tmp_path / "scan.pdf", [
        ["东安县卫生健康局2023年工作总结", "全县共有村医298名，村卫生室120个。"],
        ["家庭医生签约率达99.67%，县域就诊率达84.11%。", "基本公共卫生服务经费58.5万元。"]])
    doc = process_file(p)
    got = [(f.page, f.surface, f.value, f.unit) for f in doc.figures]
    assert got == [(1, "298名", 298, "人"), (1, "120个", 120, "个"), (2, "99.67%", 99.67, "%"),
                   (2, "84.11%", 84.11, "%"), (2, "58.5万元", 585000, "元")]
    assert doc.ocr_pages == "1,2" and doc.ocr_confidence > 0.9
    x0, top, x1, bottom = map(float, doc.figures[0].box.split(","))
    assert 40 < x0 < x1 < 595 and 40 < top < bottom < 200        # the second line of page 1
    assert doc.summary()["ocr_pages"] == "1,2"


def test_a_unit_column_keeps_a_unit_the_unit_table_lacks(tmp_path):
    p = pdf(tmp_path / "u.pdf", ["2023年主要产品产量", [["产品名称", "单位", "产量"], ["工业锅炉", "蒸发量吨", "15262"],
                                                       ["钢材", "吨", "1577693"]]])
    cells = [(f.subject, f.value, f.unit) for f in process_file(p).figures if " | " in f.sentence]
    assert cells == [("工业锅炉", 15262, "蒸发量吨"), ("钢材", 1577693, "吨")]


def test_subscripts_are_read_in_their_place(tmp_path):
    """PM₂.₅ set as a smaller 2.5 on a lower baseline: pdfplumber reads it as a line of its own,
    which used to cut the unit of the figure after it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from fixtures import _style
    _style()
    path = tmp_path / "pm.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 12)
    c.drawString(90, 700, "全年全市PM")
    c.drawString(160, 700, "年平均浓度47微克/立方米，优良天数254天。")
    c.setFont("STSong-Light", 7)
    c.drawString(150, 696, "2.5")
    c.showPage()
    c.save()
    doc = process_file(path)
    assert "PM2.5" in doc.figures[0].sentence
    assert [(f.surface, f.value, f.unit) for f in doc.figures] == [("47微克/立方米", 47, "微克/立方米"), ("254天", 254, "天")]
