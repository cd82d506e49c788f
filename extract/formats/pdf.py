"""PDF through pdfplumber: text page by page, running headers, footers and page numbers left
out, lines broken by the layout joined again, tables read as tables."""
from __future__ import annotations

import statistics
from collections import Counter

import regex

from . import FormatError, Source, Table

_PAGE_NUMBER = regex.compile(r"^\s*(?:[-—–]\s*)?(?:第\s*)?[0-9]{1,4}(?:\s*页)?(?:\s*[/／共]\s*[0-9]{1,4}\s*页?)?(?:\s*[-—–])?\s*$")
_SENTENCE_END = tuple("。！？；：!?;:”’」』）)")
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
            for i, page in enumerate(pdf.pages, 1):
                try:
                    found = page.find_tables()
                    tables = [Table([[_cell(c) for c in row] for row in t.extract()], i) for t in found]
                    body = page
                    for t in found:
                        body = body.outside_bbox(t.bbox)
                    text = body.extract_text() or ""
                    images += len(page.images)
                except Exception:  # one bad page must not lose the others
                    pages.append(Source("", page=i))
                    continue
                pages.append(Source(text, page=i, tables=[t for t in tables if _real(t)]))
    except Exception as e:
        if pages:
            return _clean(pages)
        raise FormatError(f"damaged PDF: {type(e).__name__}: {e}") from e
    if not any(p.text.strip() for p in pages) and not any(p.tables for p in pages):
        if images:
            raise FormatError("scanned PDF: no text layer (OCR is not available)")
        raise FormatError("PDF without text")
    return _clean(pages)


def _cell(c) -> str:
    return regex.sub(r"\s*\n\s*", "", c or "").strip()


def _real(t: Table) -> bool:
    return len(t.rows) >= 2 and max(len(r) for r in t.rows) >= 2


def _clean(pages: list[Source]) -> list[Source]:
    lines = [p.text.split("\n") for p in pages]
    running = _running_lines(lines)
    for p, ls in zip(pages, lines):
        kept = [l for l in ls if l.strip() and l.strip() not in running and not _PAGE_NUMBER.match(l)]
        p.text = rejoin(kept)
    return pages


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
                  and prev_w >= 0.8 * full)
        if joined:
            sep = " " if prev[-1:].isascii() and prev[-1:].isalpha() and line[:1].isascii() and line[:1].isalpha() else ""
            out[-1] = prev + sep + line
        else:
            out.append(line)
    return "\n".join(out)
