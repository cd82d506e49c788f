"""PDFs laid out as government offices lay them out, built here so that the tests and
`python -m evaluation.pdf_agreement --layouts` read the same ones: a communiqué's table ruled
above and below only, aligned columns with no rule, a table continued on the next page, a
sentence across a page break; and pages that are pictures only (scans).  Each layout comes with
the table cells a reader sees in it: (page, row label less its hierarchy mark, cell, value in
base units, unit, role)."""
from __future__ import annotations

from pathlib import Path


def laid_out_pdf(path: Path, pages: list) -> Path:
    """A PDF drawn line by line, as a statistics office lays out a communiqué: each page a list
    of ("text", str), ("rule",) (a horizontal line across the table), or ("row", [label, *cells])
    with the label at the left and each cell right-aligned in a column of its own.  No vertical
    lines: ruled above and below only, or (without "rule") not at all."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))     # needs no font file
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in pages:
        y = A4[1] - 80
        for item in page:
            if item[0] == "rule":
                c.setLineWidth(0.8)
                c.line(90, y + 14, 500, y + 14)
                y -= 4
                continue
            c.setFont("STSong-Light", 10.5)
            if item[0] == "text":
                c.drawString(90, y, item[1])
            else:
                label, *cells = item[1]
                c.drawString(100, y, label)
                for k, cell in enumerate(cells):
                    c.drawRightString(330 + 110 * k, y, cell)
            y -= 20
        c.showPage()
    c.save()
    return path


def image_only_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose pages are pictures of text lines (as a scanner makes them), drawn with the
    CJK font of the mplfonts package: no text layer."""
    import os

    import mplfonts
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(os.path.join(os.path.dirname(mplfonts.__file__), "fonts",
                                           "NotoSansCJKsc-Regular.otf"), 30)
    images = []
    for lines in pages:
        img = Image.new("RGB", (1240, 1754), "white")          # A4 at 150 dpi
        draw = ImageDraw.Draw(img)
        for k, line in enumerate(lines):
            draw.text((110, 140 + 56 * k), line, fill="black", font=font)
        images.append(img)
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


COMMUNIQUE = [
    ("text", "2023年全市国民经济和社会发展统计公报"),
    ("text", "年末全市常住人口866.60万人，城镇化率45.31%。"),
    ("text", "表1 2023年末全市常住人口数及其构成"), ("rule",),
    ("row", ["指 标", "年末数（万人）", "比重（%）"]), ("rule",),
    ("row", ["全市常住人口", "866.60", ""]),
    ("row", ["其中：城镇", "392.66", "45.31"]),
    ("row", ["乡村", "473.94", "54.69"]), ("rule",),
    ("text", "全年全市地区生产总值增长4.8%。"),
]
_PRODUCTS = [("row", [f"第{k}类产品", f"{100 + k}.5", f"{k}.1"]) for k in range(1, 6)]

LAYOUTS = {
    "ruled above and below only": ([COMMUNIQUE], [
        (1, "全市常住人口", "866.60", 8666000, "人", "value"),
        (1, "城镇", "392.66", 3926600, "人", "value"), (1, "城镇", "45.31", 45.31, "%", "value"),
        (1, "乡村", "473.94", 4739400, "人", "value"), (1, "乡村", "54.69", 54.69, "%", "value")]),
    "aligned columns, no rule": ([[
        ("text", "全年全市主要农产品产量如下。"),
        ("row", ["产品名称", "产量（万吨）", "比上年增长（%）"]),
        ("row", ["粮食", "902.61", "-3.2"]), ("row", ["其中：夏粮", "508.58", "-8.6"]),
        ("row", ["#秋粮", "394.03", "4.8"]), ("text", "全年全市生猪出栏量745.02万头。")]], [
        (1, "粮食", "902.61", 9026100, "吨", "value"), (1, "粮食", "-3.2", -3.2, "%", "change"),
        (1, "夏粮", "508.58", 5085800, "吨", "value"), (1, "夏粮", "-8.6", -8.6, "%", "change"),
        (1, "秋粮", "394.03", 3940300, "吨", "value"), (1, "秋粮", "4.8", 4.8, "%", "change")]),
    "a table continued on the next page": ([
        [("text", "全市工业生产平稳，主要产品产量见下表。"), ("text", "表5 2023年主要产品产量"), ("rule",),
         ("row", ["产品名称", "产量（万吨）", "比上年增长（%）"]), ("rule",), *_PRODUCTS[:3]],
        [*_PRODUCTS[3:], ("rule",), ("text", "全年全市建筑业增加值增长3.1%。")]], [
        (page, f"第{k}类产品", cell, value, unit, role)
        for k, page in ((1, 1), (2, 1), (3, 1), (4, 2), (5, 2))
        for cell, value, unit, role in ((f"{100 + k}.5", (100 + k + 0.5) * 10000, "吨", "value"),
                                        (f"{k}.1", k + 0.1, "%", "change"))]),
}


def table_cells(path: Path) -> list[tuple]:
    """The figures of a PDF's tables, as LAYOUTS lists them (values rounded as written)."""
    from extract import process_file
    return [(f.page, f.subject, f.surface, round(f.value, 6), f.unit, f.role)
            for f in process_file(path).figures if " | " in f.sentence]
