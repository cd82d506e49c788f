"""Documents built by the tests themselves: PDFs with Chinese text and tables (reportlab's
built-in CID font STSong-Light needs no font file) and Word files (python-docx)."""
from pathlib import Path


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


def laid_out_pdf(path: Path, pages: list) -> Path:
    """A PDF drawn line by line, as a statistics office lays out a communiqué: each page a list
    of ("text", str), ("rule",) (a horizontal line across the table), or ("row", [label, *cells])
    with the label at the left and each cell right-aligned in a column of its own.  No vertical
    lines: ruled above and below only, or (without "rule") not at all."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    _style()                                 # registers the CID font
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
