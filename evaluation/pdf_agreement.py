"""Render a sample report as a PDF (reportlab, STSong-Light) and compare the figures extracted
from the PDF with those extracted from its text.

    python -m evaluation.pdf_agreement [SAMPLE...]
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


def agreement(sample: Path) -> tuple[float, int, int, list]:
    """(share of text figures also found in the PDF with the same value and unit, figures from
    text, figures from PDF, differences)."""
    from extract import process_file
    text_figs = Counter((f.surface, f.value, f.unit) for f in process_file(sample).figures)
    with tempfile.TemporaryDirectory() as d:
        pdf = render_pdf(sample.read_text(encoding="utf-8"), Path(d) / (sample.stem + ".pdf"))
        pdf_figs = Counter((f.surface, f.value, f.unit) for f in process_file(pdf).figures)
    common = sum((text_figs & pdf_figs).values())
    diff = list((text_figs - pdf_figs).elements()) + [("PDF only",) + x for x in (pdf_figs - text_figs).elements()]
    total = max(sum(text_figs.values()), sum(pdf_figs.values()))
    return common / total if total else 1.0, sum(text_figs.values()), sum(pdf_figs.values()), diff


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    samples = [Path(a) for a in argv] or sorted(SAMPLES.glob("*.txt"))
    for s in samples:
        share, n_text, n_pdf, diff = agreement(s)
        print(f"{s.name}: {n_text} figures from text, {n_pdf} from PDF, agreement {share:.3f}")
        for d in diff[:10]:
            print("   ", d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
