"""Documents built by the tests themselves: PDFs with Chinese text and tables (reportlab's
built-in CID font STSong-Light needs no font file) and Word files (python-docx)."""
from pathlib import Path

from evaluation.pdf_layouts import image_only_pdf, laid_out_pdf  # noqa: F401  (built there, used here)


def _style():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")


def pdf(path: Path, paragraphs: list, header: str = "", encrypt: str | None = None) -> Path:
    """A PDF of paragraphs (str) and tables (list of rows), with a running header and page
    numbers on every page when `header` is given."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table
    style = _style()

    def furniture(canvas, doc):
        if header:
            canvas.setFont("STSong-Light", 9)
            canvas.drawString(72, A4[1] - 40, header)
            canvas.drawString(A4[0] / 2, 30, f"- {doc.page} -")

    story = []
    for p in paragraphs:
        if p == "PAGEBREAK":
            story.append(PageBreak())
        elif isinstance(p, list):
            story.append(Table(p, style=[("FONT", (0, 0), (-1, -1), "STSong-Light"),
                                         ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
        else:
            story.append(Paragraph(p, style))
    doc = SimpleDocTemplate(str(path), pagesize=A4, encrypt=encrypt)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


def scanned_pdf(path: Path) -> Path:
    """A page that is only a picture, as a scanner makes it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    import struct
    import zlib
    png = Path(path).with_suffix(".png")
    raw = b"".join(b"\x00" + bytes([200, 200, 200]) * 40 for _ in range(40))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))  # noqa: E731
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 40, 8, 2, 0, 0, 0))
                    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(str(png), 72, 400, 300, 300)
    c.showPage()
    c.save()
    return path


def docx(path: Path, blocks: list) -> Path:
    """A Word file of paragraphs (str) and tables (list of rows), in order."""
    import docx as _docx
    d = _docx.Document()
    for b in blocks:
        if isinstance(b, list):
            t = d.add_table(rows=len(b), cols=len(b[0]))
            for r, row in enumerate(b):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
        else:
            d.add_paragraph(b)
    d.save(str(path))
    return path
