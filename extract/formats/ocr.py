"""Pages without a text layer (scanned reports) read by RapidOCR.

rapidocr-onnxruntime ships its Chinese detection and recognition models inside its wheel and
runs them with onnxruntime on the CPU: nothing is downloaded.  A page is rendered by pdfplumber
(pypdfium2 underneath) at RESOLUTION dots per inch; each line RapidOCR reads keeps its box, in
PDF points from the page's top left, and its confidence."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

RESOLUTION = 200


@dataclass
class OcrLine:
    text: str
    box: tuple[float, float, float, float]     # x0, top, x1, bottom in PDF points
    confidence: float


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR
    return RapidOCR()


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def read_page(page) -> list[OcrLine]:
    """The lines of a pdfplumber page read from its picture, in reading order."""
    image = page.to_image(resolution=RESOLUTION).original
    return read_image(image, 72 / RESOLUTION)


def read_image(image, scale: float = 1.0) -> list[OcrLine]:
    """The lines of a picture (PIL image), boxes scaled by `scale` (pixels to points)."""
    import numpy as np
    result, _ = _engine()(np.asarray(image.convert("RGB")))
    lines = []
    for quad, text, confidence in result or []:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        lines.append(OcrLine(text, (min(xs) * scale, min(ys) * scale, max(xs) * scale, max(ys) * scale),
                             float(confidence)))
    return reading_order(lines)


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top to bottom, and left to right within a row: boxes whose middles lie within half a
    line's height of each other are one row (a label and its number read as two boxes)."""
    rows: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        mid, height = (ln.box[1] + ln.box[3]) / 2, ln.box[3] - ln.box[1]
        if rows:
            last = rows[-1][0]
            if abs((last.box[1] + last.box[3]) / 2 - mid) < 0.5 * max(height, last.box[3] - last.box[1]):
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.box[0])]


def page_text(lines: list[OcrLine]) -> str:
    """One text line per row of boxes; boxes of one row apart by two spaces, as a table's cells."""
    out, row_mid = [], None
    for ln in lines:
        mid = (ln.box[1] + ln.box[3]) / 2
        if out and row_mid is not None and abs(mid - row_mid) < 0.5 * (ln.box[3] - ln.box[1]):
            out[-1] += "  " + ln.text
        else:
            out.append(ln.text)
            row_mid = mid
    return "\n".join(out)
