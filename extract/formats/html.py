"""Saved web pages (.html, .htm) -> Source: the page's main text, one paragraph per line, and
the data tables of the main content as rows.

The charset is, in this order: a byte-order mark; the first `<meta charset>` /
`<meta http-equiv="Content-Type" content="…; charset=…">` (or an XML declaration) in the head;
else detection by `reading.decode` (charset-normalizer).  GB2312/GBK/CP936 declarations are read as
GB18030, their superset.  Bytes that decode as strict UTF-8 are UTF-8 whatever the page declares
(saved pages are often re-encoded with the old declaration left in; strict UTF-8 is never a false
positive on Chinese text), and a declaration that does not fit the bytes gives way to detection.

The main text is found by trafilatura, which leaves out navigation, breadcrumbs, share bars,
related-article lists and footers.  Old government sites lay pages out with nested tables, which
trafilatura would return as data tables (footer included): tables that hold other tables, long
prose, or a single cell are turned into plain blocks first, so that only real data tables stay
tables.  Table text goes to `Source.tables` only, not into `Source.text`.  The article title is
the first line of the text (unless the extracted body starts with it already), because the
pipeline reads the report's year, type and region from the title: the last heading before the
main text that reads like a report title, else the one the page's <title> names, else the page
<title> without the site name.
"""
from __future__ import annotations

import codecs
import re

import trafilatura
from lxml import etree
from trafilatura.settings import use_config

from ..cleaning import boilerplate_spans, normalize
from ..reading import ReadError, looks_binary, decode
from . import FormatError, Source, Table

__all__ = ["read_html", "decode_html"]

# how far into the page a charset declaration is looked for (the HTML standard says 1024 bytes;
# saved pages often have long heads with inline scripts and styles before the meta)
_SNIFF_BYTES = 64 * 1024

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_META_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_XML_DECL_STR = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn",
              "euccn", "csgb2312", "gb_2312", "gb_2312-80", "iso-ir-58", "chinese", "x-euc-cn",
              "csiso58gb231280", "hz-gb-2312", "hz"}
# per the WHATWG encoding standard these labels mean windows-1252; a Chinese page that declares
# one of them (an editor's default) but has non-ASCII bytes is detected instead
_WESTERN = {"cp1252", "ascii"}


def _declared_charset(data: bytes) -> str | None:
    """The charset named by an XML declaration or the first <meta> that names one."""
    head = data[:_SNIFF_BYTES]
    m = _XML_DECL.match(head)
    if m:
        return m.group(1).decode("ascii", "replace")
    head = _COMMENT.sub(b"", head)
    end = head.lower().find(b"</head")
    if end >= 0:
        head = head[:end]
    for meta in _META.finditer(head):
        m = _META_CHARSET.search(meta.group(0))
        if m:
            return m.group(1).decode("ascii", "replace")
    return None


def _codec(label: str) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    label = label.strip().lower()
    if label in _GB_FAMILY or label.startswith(("gb2312", "gbk")):
        return "gb18030"
    if label.startswith(("utf-16", "utf-32", "ucs-2", "unicode")):
        # a declaration readable as ASCII is not in UTF-16; the HTML standard reads it as UTF-8
        return "utf-8"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in {"latin_1", "iso8859-1"} else name


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a web page; return (text, encoding name).

    Raises FormatError when the bytes are no text in any encoding."""
    if (data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            or b"\x00" in data[:8192] or looks_binary(data)):
        try:
            text, name = decode(data)
        except ReadError as e:
            raise FormatError(str(e)) from e
        return text, ("utf-8" if name == "utf-8-sig" else name)
    if data.isascii():  # any ASCII-compatible declaration reads it the same
        label = _declared_charset(data)
        name = _codec(label) if label else None
        return data.decode("ascii"), name if name and name != "utf-8" else "utf-8"
    try:  # strict UTF-8 is never a false positive on Chinese text
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    label = _declared_charset(data)
    name = _codec(label) if label else None
    if name and name != "utf-8" and name not in _WESTERN:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            pass  # the declaration does not fit the bytes: detect
    try:
        text, detected = decode(data)
    except ReadError as e:
        if name:  # keep what the page declares, with the broken characters replaced
            return data.decode(name, errors="replace"), name
        raise FormatError(str(e)) from e
    if name in _WESTERN and not re.search(r"[\u4e00-\u9fff]", text):
        return data.decode(name, errors="replace"), name   # a Western page after all
    return text, detected


# --- finding the main text ---------------------------------------------------------------------

# trafilatura falls back to generic algorithms (which keep menus) when its main extraction has
# fewer than 250 characters, a threshold set for European languages; Chinese says as much in
# far fewer characters, and a short notice is a whole article
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

# the extractor gives up silently on a page longer than this; scripts and styles, which can be
# megabytes and hold no text, are left out before it is measured
MAX_MARKUP_CHARS = _CONFIG.getint("DEFAULT", "MAX_FILE_SIZE")
_NO_TEXT_OPEN = re.compile(r"<(script|style|noscript|template)\b[^>]*>", re.I)

_LAYOUT_CELL_CHARS = 150            # a cell with more text than this is prose, not data
_BOILERPLATE = re.compile(r"ICP备|ICP证|公网安备|版权所有|Copyright|您现在(?:所在)?的位置|当前位置")
_PROSE_LINE = re.compile(r"[\u4e00-\u9fff].*[，。；：！？,;]|[，。；：！？,;].*[\u4e00-\u9fff]")


def _unwrap_layout_tables(tree) -> None:
    """Turn tables used for page layout into plain blocks, in place."""
    layout = []
    for table in tree.iter("table"):
        cells = [c for c in table.iter("td", "th")]
        text = len(_WS.sub("", table.text_content()))
        links = sum(len(_WS.sub("", a.text_content())) for a in table.iter("a"))
        if (table.find(".//table") is not None or len(cells) <= 1
                or any(len(c.text_content().strip()) > _LAYOUT_CELL_CHARS for c in cells)
                or links > text / 2):   # a menu or a list of links
            layout.append(table)
    for table in layout:
        for el in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"):
            el.tag = "div"
            for attr in ("colspan", "rowspan", "width", "align", "valign"):
                el.attrib.pop(attr, None)


def _join_broken_lines(tree) -> None:
    """Drop source line breaks inside Chinese text, in place (before the extractor turns them
    into spaces): `…各项工作，\n  各项指标…` reads `…各项工作，各项指标…`."""
    for el in tree.iter():
        if el.tag in ("pre", "textarea", "script", "style"):
            continue
        if el.text and "\n" in el.text:
            el.text = _WS_CJK_BREAK.sub("", el.text)
        if el.tail and "\n" in el.tail:
            el.tail = _WS_CJK_BREAK.sub("", el.tail)


def _extract(html: str, precise: bool):
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    _unwrap_layout_tables(tree)
    _join_broken_lines(tree)
    return trafilatura.bare_extraction(
        tree, output_format="python", with_metadata=True, include_tables=True,
        include_comments=False, include_images=False, include_links=False,
        include_formatting=False, deduplicate=False, favor_precision=precise,
        date_extraction_params={"extensive_search": False}, config=_CONFIG)


# whitespace: a run with a line break between two CJK characters disappears (as browsers render
# source line breaks inside Chinese text); any other run is one space
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_WS_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[^\S\n]*\n\s*(?=[{_CJK}])")
_WS = re.compile(r"\s+")


def _clean(s: str) -> str:
    return _WS.sub(" ", _WS_CJK_BREAK.sub("", s)).strip()


_INLINE = {"hi", "ref", "del", "span", "a", "b", "i", "em", "strong", "font", "sub", "sup", "u"}


def _flat(el, parts: list[str]) -> None:
    if el.tag not in _INLINE:
        parts.append("\n")
    if el.text and not isinstance(el, etree._Comment):  # noqa: SLF001
        parts.append(el.text)
    for child in el:
        _flat(child, parts)
        if child.tail:
            parts.append(child.tail)


def _cell_text(cell) -> str:
    """A cell's text on one line (a nested table's text included)."""
    parts: list[str] = []
    _flat(cell, parts)
    return _clean("".join(parts))


def _table(el) -> Table | None:
    rows = []
    for row in el.iter("row"):
        cells = [_cell_text(c) for c in row if c.tag == "cell"]
        if any(cells):
            rows.append(cells)
    return Table(rows=rows) if rows else None


def _walk(el, lines: list[str], buf: list[str], tables: list[Table]) -> None:
    """Text of `el` as lines (each block element and each <lb> ends a line); tables aside."""
    def flush():
        line = _clean("".join(buf))
        if line:
            lines.append(line)
        buf.clear()

    if el.tag == "table":
        flush()
        t = _table(el)
        if t:
            tables.append(t)
        return
    inline = el.tag in _INLINE
    if el.tag == "lb":
        flush()
        return
    if not inline:
        flush()
    if el.text:
        buf.append(el.text)
    for child in el:
        if isinstance(child, etree._Comment):  # noqa: SLF001
            pass
        else:
            _walk(child, lines, buf, tables)
        if child.tail:
            buf.append(child.tail)
    if not inline:
        flush()


def _lines_and_tables(body) -> tuple[list[str], list[Table]]:
    lines: list[str] = []
    tables: list[Table] = []
    buf: list[str] = []
    _walk(body, lines, buf, tables)
    if buf:
        line = _clean("".join(buf))
        if line:
            lines.append(line)
    return lines, tables


def _trim_boilerplate(lines: list[str]) -> list[str]:
    """Without the page-furniture lines (patterns/boilerplate.yaml: share bars, 上一篇/下一篇,
    print and close links, publication info) at the start and end of the extracted text; those
    inside it are left to the pipeline, which masks them."""
    def furniture(line):
        return bool(boilerplate_spans(normalize(line)))
    start, end = 0, len(lines)
    while start < end and furniture(lines[start]):
        start += 1
    while end > start and furniture(lines[end - 1]):
        end -= 1
    return lines[start:end]


def _has_prose(lines: list[str]) -> bool:
    """At least one line of running text: Chinese with punctuation, not a footer line."""
    return any(_PROSE_LINE.search(line) and len(line) >= 15 and not _BOILERPLATE.search(line)
               for line in lines)


def _has_data_table(tables: list[Table]) -> bool:
    return any(len(t.rows) >= 2 and max(map(len, t.rows)) >= 2
               and any(re.search(r"\d", c) for row in t.rows for c in row) for t in tables)


def _main_text(html: str, precise: bool) -> tuple[str, list[str], list[Table]]:
    """(extractor's title, lines, tables) of the main content; empty when none was found."""
    doc = _extract(html, precise)
    if doc is None or doc.body is None:
        return "", [], []
    lines, tables = _lines_and_tables(doc.body)
    return _clean(doc.title or ""), _trim_boilerplate(lines), tables


_TITLE_WORDS = re.compile(r"总结|报告|汇报|打算|计划|情况|要点|方案|公报")
_TITLE_CLASS = re.compile(r"title|biaoti", re.I)
_TITLE_SEP = re.compile(r"\s*(?:[_|｜]|\s[-－—–]+\s|(?<!\d)[-－—–]+(?!\d))\s*")
_NO_TEXT = {"script", "style", "noscript", "template", "head", "title", "select", "option"}


def _title_segment(title: str) -> str:
    """The article's part of a page title: `标题_某县人民政府` -> `标题` (the longest part)."""
    parts = [p for p in _TITLE_SEP.split(title) if p.strip()]
    return _clean(max(parts, key=len)) if parts else ""


def _title(html: str, first_line: str, extracted: str) -> str:
    """The article title: the last heading (h1-h3, or an element whose class or id says title)
    before the main text that reads like a report title (总结, 报告, 情况 …), else one that the
    page's <title> names, else the page's <title> without the site name."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return _title_segment(extracted)
    page_title = _clean(tree.findtext(".//title") or "")
    parts: list[str] = []
    pos = 0
    candidates: list[tuple[int, str]] = []
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions (their tails are lost: no matter)
        if event == "start":
            if (el.tag in ("h1", "h2", "h3") or _TITLE_CLASS.search(
                    f"{el.get('class', '')} {el.get('id', '')}")):
                text = _clean(el.text_content())
                if 4 <= len(text) <= 100:
                    candidates.append((pos, text))
            if el.text and el.tag not in _NO_TEXT:
                parts.append(_WS.sub("", el.text))
                pos += len(parts[-1])
        elif el.tail:
            parts.append(_WS.sub("", el.tail))
            pos += len(parts[-1])
    key = _WS.sub("", first_line)[:12]
    at = "".join(parts).find(key) if key else -1
    before = [text for start, text in candidates if start <= at]
    for text in reversed(before):
        if _TITLE_WORDS.search(text):
            return text
    for text in reversed(before):
        if page_title and (text in page_title or page_title in text):
            return text
    if extracted and page_title and (extracted in page_title or page_title in extracted):
        return _title_segment(extracted)
    return _title_segment(page_title or extracted)


def _without_scripts(html: str) -> str:
    """The page with the contents of its scripts, styles and templates left out (their tags
    stay), in one pass: an unclosed one keeps the rest of the page as it is."""
    lower = html.lower()
    parts, pos = [], 0
    while m := _NO_TEXT_OPEN.search(html, pos):
        close = lower.find("</" + m.group(1).lower(), m.end())
        if close < 0:
            break
        parts.append(html[pos:m.end()])
        pos = close
    parts.append(html[pos:])
    return "".join(parts)


def read_html(data: bytes) -> Source:
    """The main text of a saved web page, one paragraph per line, and its data tables.

    A page whose main content is only a data table (no running text) gives its title as text and
    the table.  Raises FormatError when the page has no main text (only navigation, lists of
    links, footers) or is not text at all."""
    if not data.strip():
        raise FormatError("empty file")
    text, encoding = decode_html(data)
    text = _XML_DECL_STR.sub("", text, count=1)
    if "<" not in text:
        raise FormatError("not an HTML page: no markup")
    text = _without_scripts(text)
    if len(text) > MAX_MARKUP_CHARS:
        raise FormatError(f"web page too large to find its main text: {len(text)} characters of "
                          f"markup besides scripts and styles (limit {MAX_MARKUP_CHARS})")
    title, lines, tables = _main_text(text, precise=False)
    if not _has_prose(lines) or any(_BOILERPLATE.search(line) for line in lines):
        # the extractor fell back to the whole page: try again keeping only the surest content
        p_title, p_lines, p_tables = _main_text(text, precise=True)
        if _has_prose(p_lines):
            title, lines, tables = p_title, p_lines, p_tables
    if not _has_prose(lines) and not _has_data_table(tables):
        raise FormatError("no main text: the page holds only navigation, links or a footer"
                          if lines or tables else "no main text in the page")
    title = _title(text, lines[0] if lines else "", title)
    if title and not any(title in line for line in lines[:3]):
        lines.insert(0, title)
    return Source(text="\n".join(lines), encoding=encoding, tables=tables)
