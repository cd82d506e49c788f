"""PDF through pdfplumber: text page by page, running headers, footers and page numbers left
out, lines broken by the layout joined again, tables read as tables."""
from __future__ import annotations

import statistics
from collections import Counter

import regex

from . import TABLE_MARK, FormatError, Source, Table, ocr
from .pdf_tables import PAGE_NUMBER, find_tables, page_lines

_SENTENCE_END = tuple("。！？；：!?;:”’」』）)")
_PROSE = regex.compile(r"[，。；、]")     # a line of a sentence, not a row of figures
_TITLE_END = regex.compile(r"(?:报告|总结|公报|计划|要点|方案|汇报)\s*$")   # a title stays a line
_HEADING = regex.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十0-9]+[)）]|[0-9]{1,2}[、.．](?![0-9])|[①-⑳]|第[一二三四五六七八九十]+[章节部分])")


def read_pdf(path) -> list[Source]:
    """One Source per page (1-based `page`); FormatError for encrypted, damaged or scanned files."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:
        # pdfplumber wraps pdfminer's errors: look at what it wraps
        inner = [e, *e.args, e.__context__]
        if any(isinstance(x, PDFPasswordIncorrect) for x in inner) or "encrypt" in str(e).lower():
            raise FormatError("encrypted PDF (a password is needed)") from e
        what = next((x for x in inner if isinstance(x, Exception) and str(x)), e)
        raise FormatError(f"damaged PDF: {type(what).__name__}: {what}") from e
    pages = []
    try:
        with pdf:
            images = 0
            previous = None          # the table that ended the page before, if one did
            for i, page in enumerate(pdf.pages, 1):
                try:
                    images += len(page.images)
                    if not page.chars and page.images and ocr.available():
                        lines = ocr.read_page(page)       # a scanned page: read from its picture
                        pages.append(Source(ocr.page_text(lines), page=i, ocr_lines=lines))
                        previous = None
                        continue
                    text, tables, previous = _read_page(page, i, previous)
                except Exception:  # one bad page must not lose the others
                    pages.append(Source("", page=i))
                    previous = None
                    continue
                pages.append(Source(text, page=i, tables=tables))
    except Exception as e:
        if pages:
            return _clean(pages)
        raise FormatError(f"damaged PDF: {type(e).__name__}: {e}") from e
    if not any(p.text.strip() for p in pages) and not any(p.tables for p in pages):
        if images and not ocr.available():
            raise FormatError("scanned PDF: no text layer (OCR is not available)")
        if images:
            raise FormatError("scanned PDF: OCR found no text on its pages")
        raise FormatError("PDF without text")
    return _clean(pages)


def _read_page(page, number: int, previous):
    """(body text, tables, the table that ends the page or None) of one page.  Fully ruled
    tables come from pdfplumber's ruling lines; the others (ruled above and below only, or not
    at all) from the positions of the text (pdf_tables).  Text leaves the body only when its
    table was read."""
    placed, boxes = [], []              # (top on the page, table)
    for t in page.find_tables():
        raw = t.extract()
        if _real(raw):
            placed.append((t.bbox[1], Table([[_cell(c) for c in row] for row in raw], number)))
            boxes.append(t.bbox)
    lines = [ln for ln in page_lines(page) if not any(_inside(ln, b) for b in boxes)]
    found = find_tables(lines, previous)
    taken = {k for t in found for k in t.lines}
    placed += [(t.top, Table([[c.text for c in t.header]] + t.rows, number, t.caption)) for t in found]
    placed.sort(key=lambda x: x[0])
    # the body: the page's lines less the tables', each table's place marked where it stood
    out, marks = [], [top for top, _ in placed]
    for k, ln in enumerate(lines):
        while marks and marks[0] <= ln.top:
            out.append(TABLE_MARK)
            marks.pop(0)
        if k not in taken:
            out.append(ln.text)
    out += [TABLE_MARK] * len(marks)
    last_text = max((k for k, ln in enumerate(lines) if not PAGE_NUMBER.match(ln.text)), default=-1)
    ends = found[-1] if found and found[-1].lines and found[-1].lines[-1] >= last_text else None
    return "\n".join(out), [t for _, t in placed], ends


def _inside(line, bbox) -> bool:
    """The line lies within the height of a table read from its ruling lines."""
    _, top, _, bottom = bbox
    return top - 1 <= line.top and line.bottom <= bottom + 1


def _cell(c) -> str:
    return regex.sub(r"\s*\n\s*", "", c or "").strip()


_NUM_RUN = regex.compile(r"[0-9.]+\s*\n\s*[0-9.]+")


def _real(rows) -> bool:
    """A table pdfplumber read from ruling lines: two rows and two columns at least, and no cell
    that holds a column's numbers glued one per line (a table ruled above and below only)."""
    return len(rows) >= 2 and max(len(r) for r in rows) >= 2 and not any(
        _NUM_RUN.search(c or "") for r in rows for c in r)


def _clean(pages: list[Source]) -> list[Source]:
    lines = [p.text.split("\n") for p in pages]
    running = _running_lines(lines)
    for p, ls in zip(pages, lines):
        kept = [l for l in ls if l.strip() and l.strip() not in running and not PAGE_NUMBER.match(l)]
        p.text = rejoin(kept)
        if p.ocr_lines:
            p.boxes = _placed(p.text, p.ocr_lines)
    return pages


def _placed(text: str, lines) -> list[tuple[int, int, tuple]]:
    """(start, end, box) of each OCR line in the page's final text, found in order."""
    out, pos = [], 0
    for ln in lines:
        at = text.find(ln.text, pos)
        if at >= 0:
            out.append((at, at + len(ln.text), ln.box))
            pos = at + len(ln.text)
    return out


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines that open or close at least half the pages (running headers and footers)."""
    if len(pages) < 3:
        return set()
    edge = Counter()
    for ls in pages:
        ls = [l.strip() for l in ls if l.strip()]
        edge.update(set(ls[:2] + ls[-2:]))
    return {l for l, n in edge.items() if n >= max(2, len(pages) // 2)}


def rejoin(lines: list[str]) -> str:
    """Join lines the layout broke inside a sentence (a number split at the line end is read
    whole again); keep the breaks after sentence ends, before headings and after short lines."""
    if not lines:
        return ""
    widths = [len(l.strip()) for l in lines]
    full = statistics.median(sorted(widths)[len(widths) // 2:]) if widths else 0
    out = [lines[0].strip()]
    for prev_w, line in zip(widths, lines[1:]):
        line = line.strip()
        prev = out[-1]
        joined = (prev and not prev.endswith(_SENTENCE_END) and not _HEADING.match(line)
                  and prev_w >= 0.8 * full and TABLE_MARK not in (prev[-1:], line[:1])
                  and not (prev[-1:].isdigit() and line[:1].isdigit() and not _PROSE.search(prev))
                  and not (_TITLE_END.search(prev) and not _PROSE.search(prev)))
        if joined:
            sep = " " if prev[-1:].isascii() and prev[-1:].isalpha() and line[:1].isascii() and line[:1].isalpha() else ""
            out[-1] = prev + sep + line
        else:
            out.append(line)
    return "\n".join(out)
