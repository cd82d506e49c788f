"""Render a sample report as a PDF and compare the figures extracted from the PDF with those
extracted from its text: with a text layer (reportlab, STSong-Light), or as pictures of its
lines only, read back by OCR (--ocr: what a scanned report gives).

    python -m evaluation.pdf_agreement [--ocr] [SAMPLE...]
    python -m evaluation.pdf_agreement --layouts     # the table layouts of evaluation.pdf_layouts

Agreement is the strict F1 of the two lists of figures, each figure taken as (value, unit):
2 × common / (figures from the text + figures from the PDF).
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from .labels import SAMPLES


def render_pdf(text: str, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10.5, leading=15, wordWrap="CJK")
    story = [Paragraph(escape(line), style) for line in text.splitlines() if line.strip()]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def render_scanned(text: str, path: Path, per_line: int = 34, per_page: int = 28) -> Path:
    """The text as image-only A4 pages at 150 dpi (lines wrapped at `per_line` characters, as a
    printed page wraps them), drawn in the CJK font of the mplfonts package."""
    import os

    import mplfonts
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(os.path.join(os.path.dirname(mplfonts.__file__), "fonts",
                                           "NotoSansCJKsc-Regular.otf"), 28)
    lines = [para[i:i + per_line] for para in text.splitlines() if para.strip()
             for i in range(0, len(para.strip()), per_line)]
    pages = []
    for at in range(0, len(lines), per_page):
        img = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(img)
        for k, line in enumerate(lines[at:at + per_page]):
            draw.text((100, 120 + 54 * k), line, fill="black", font=font)
        pages.append(img)
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return path


def agreement(sample: Path, ocr: bool = False) -> tuple[float, int, int, list]:
    """(share of text figures also found in the PDF with the same value and unit, figures from
    text, figures from PDF, differences)."""
    from extract import process_file
    text_figs = Counter((f.value, f.unit) for f in process_file(sample).figures)
    with tempfile.TemporaryDirectory() as d:
        render = render_scanned if ocr else render_pdf
        pdf = render(sample.read_text(encoding="utf-8"), Path(d) / (sample.stem + ".pdf"))
        pdf_figs = Counter((f.value, f.unit) for f in process_file(pdf).figures)
    common = sum((text_figs & pdf_figs).values())
    diff = list((text_figs - pdf_figs).elements()) + [("PDF only",) + x for x in (pdf_figs - text_figs).elements()]
    n_text, n_pdf = sum(text_figs.values()), sum(pdf_figs.values())
    return (2 * common / (n_text + n_pdf) if n_text + n_pdf else 1.0), n_text, n_pdf, diff


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--layouts" in argv:
        return _layouts()
    ocr = "--ocr" in argv
    samples = [Path(a) for a in argv if a != "--ocr"] or sorted(SAMPLES.glob("*.txt"))
    all_text = all_pdf = all_common = 0.0
    for s in samples:
        f1, n_text, n_pdf, diff = agreement(s, ocr)
        print(f"{s.name}: {n_text} figures from text, {n_pdf} from {'OCR' if ocr else 'PDF'}, "
              f"strict F1 {f1:.3f}")
        for d in diff[:10]:
            print("   ", d)
        all_text, all_pdf, all_common = all_text + n_text, all_pdf + n_pdf, all_common + f1 * (n_text + n_pdf) / 2
    if all_text + all_pdf:
        print(f"all: strict F1 {2 * all_common / (all_text + all_pdf):.3f} "
              f"({int(all_text)} figures from text, {int(all_pdf)} from {'OCR' if ocr else 'PDF'})")
    return 0


def _layouts() -> int:
    """Each layout's table cells as read against the cells a reader sees in it."""
    from .pdf_layouts import LAYOUTS, laid_out_pdf, table_cells
    wrong = 0
    with tempfile.TemporaryDirectory() as d:
        for name, (pages, expected) in LAYOUTS.items():
            got = table_cells(laid_out_pdf(Path(d) / "layout.pdf", pages))
            want = [(p, s, c, round(v, 6), u, r) for p, s, c, v, u, r in expected]
            right = sum(1 for g in got if g in want)
            wrong += len(want) - right + len(got) - right
            print(f"{name}: {len(want)} cells, {len(got)} read, {right} right")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
