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
tables.  Table text goes to `Source.tables` only, not into `Source.text`.  The article title
(trafilatura's: the single <h1>, else the page <title>) is the first line of the text when the
extracted body does not already start with it, because the pipeline reads the report's year and
type from the title.
"""
from __future__ import annotations

import codecs
import re

import lxml.html
import trafilatura
from lxml import etree

from ..reading import ReadError, decode
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
_WESTERN = {"cp1252", "latin_1", "ascii"}


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
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, name = decode(data)
        except ReadError as e:
            raise FormatError(str(e)) from e
        return text, ("utf-8" if name == "utf-8-sig" else name)
    if data.isascii():
        return data.decode("ascii"), "ascii" if not data.strip() else "utf-8"
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

_LAYOUT_CELL_CHARS = 150            # a cell with more text than this is prose, not data
_BOILERPLATE = re.compile(r"ICP备|ICP证|公网安备|版权所有|Copyright|您现在(?:所在)?的位置|当前位置")
_PROSE_LINE = re.compile(r"[\u4e00-\u9fff].*[，。；：！？,;]|[，。；：！？,;].*[\u4e00-\u9fff]")


def _unwrap_layout_tables(tree) -> None:
    """Turn tables used for page layout into plain blocks, in place."""
    layout = []
    for table in tree.iter("table"):
        cells = [c for c in table.iter("td", "th")]
        if (table.find(".//table") is not None or len(cells) <= 1
                or any(len(c.text_content().strip()) > _LAYOUT_CELL_CHARS for c in cells)):
            layout.append(table)
    for table in layout:
        for el in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"):
            el.tag = "div"
            for attr in ("colspan", "rowspan", "width", "align", "valign"):
                el.attrib.pop(attr, None)


def _extract(html: str, precise: bool):
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    _unwrap_layout_tables(tree)
    return trafilatura.bare_extraction(
        tree, output_format="python", with_metadata=True, include_tables=True,
        include_comments=False, include_images=False, include_links=False,
        include_formatting=False, deduplicate=False, favor_precision=precise,
        date_extraction_params={"extensive_search": False})


# whitespace: a run with a line break between two CJK characters disappears (as browsers render
# source line breaks inside Chinese text); any other run is one space
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_WS_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[^\S\n]*\n\s*(?=[{_CJK}])")
_WS = re.compile(r"\s+")


def _clean(s: str) -> str:
    return _WS.sub(" ", _WS_CJK_BREAK.sub("", s)).strip()


_INLINE = {"hi", "ref", "del", "span", "a", "b", "i", "em", "strong", "font", "sub", "sup", "u"}


def _cell_text(cell) -> str:
    parts = []
    for node in cell.iter():
        if node is not cell and node.tag not in _INLINE:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
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


def _has_prose(lines: list[str]) -> bool:
    """At least one line of running text: Chinese with punctuation, not a footer line."""
    return any(_PROSE_LINE.search(line) and len(line) >= 15 and not _BOILERPLATE.search(line)
               for line in lines)


def read_html(data: bytes) -> Source:
    """The main text of a saved web page, one paragraph per line, and its data tables.

    Raises FormatError when the page has no main text (only navigation, lists of links, footers)
    or is not text at all."""
    text, encoding = decode_html(data)
    text = _XML_DECL_STR.sub("", text, count=1)
    if "<" not in text:
        raise FormatError("not an HTML page: no markup")
    doc = _extract(text, precise=False)
    lines, tables = _lines_and_tables(doc.body) if doc is not None and doc.body is not None \
        else ([], [])
    if not _has_prose(lines) or any(_BOILERPLATE.search(line) for line in lines):
        # the extractor fell back to the whole page: try again keeping only the surest content
        precise = _extract(text, precise=True)
        if precise is not None and precise.body is not None:
            p_lines, p_tables = _lines_and_tables(precise.body)
            if _has_prose(p_lines):
                doc, lines, tables = precise, p_lines, p_tables
    if not _has_prose(lines):
        raise FormatError("no main text: the page holds only navigation, links or a footer"
                          if lines or tables else "no main text in the page")
    title = _clean(doc.title or "")
    if title and not any(title in line or line in title for line in lines[:3]):
        lines.insert(0, title)
    return Source(text="\n".join(lines), encoding=encoding, tables=tables)
