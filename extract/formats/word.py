"""Word documents: .docx through python-docx (paragraphs and tables in document order);
.doc, .wps and .rtf converted to .docx by LibreOffice when it is installed."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from . import TABLE_MARK, FormatError, Source, Table



# python-docx holds every XML part as a tree, some fifteen times the part's size in memory
MAX_XML_BYTES = 30 * 1024 * 1024


def read_docx(path) -> Source:
    """The body text, one paragraph per line; each table's place marked by TABLE_MARK on a line
    of its own, the tables in order in `tables`.  A document whose parts would inflate past the
    zip limits (formats.archive), or an XML part past MAX_XML_BYTES, is refused unread."""
    import docx
    from docx.oxml.ns import qn
    _check_inflation(path)
    try:
        d = docx.Document(path if hasattr(path, "read") else str(path))
    except Exception as e:
        raise FormatError(f"damaged Word document: {type(e).__name__}: {e}") from e
    lines, tables = [], []
    for child in d.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            lines.append(text)
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, d)
            rows = []
            for row in table.rows:
                cells, last = [], None
                for cell in row.cells:
                    if cell._tc is last:      # a merged cell repeats: keep it once
                        continue
                    last = cell._tc
                    cells.append(cell.text.strip())
                rows.append(cells)
            tables.append(Table(rows))
            lines.append(TABLE_MARK)
    text = "\n".join(lines)
    if not text.replace(TABLE_MARK, "").strip() and not tables:
        raise FormatError("Word document without text")
    return Source(text, encoding="docx", tables=tables)


def _check_inflation(path) -> None:
    """FormatError when the document's parts inflate past the limits (a few hundred KB can hold
    a gigabyte of XML); a file that is no zip is left to python-docx to name."""
    import zipfile
    from .archive import MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, refusal
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        if hasattr(path, "seek"):
            path.seek(0)
    total = 0
    for info in infos:
        xml = info.filename.endswith((".xml", ".rels"))
        refused = refusal(info, info.filename, MAX_XML_BYTES if xml else MAX_MEMBER_BYTES,
                          MAX_TOTAL_BYTES - total)
        if refused:
            raise FormatError(f"Word document part {refused}")
        total += info.file_size


def convert_legacy(path) -> Source:
    """.doc/.wps/.rtf: LibreOffice converts to .docx in a temporary folder."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        raise FormatError(f"{Path(path).suffix} needs LibreOffice to convert it, and it is not "
                          "installed (apt-get install libreoffice-writer)")
    with tempfile.TemporaryDirectory() as out:
        try:
            subprocess.run([office, "--headless", "--convert-to", "docx", "--outdir", out, str(path)],
                           check=True, capture_output=True, timeout=120)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            raise FormatError(f"LibreOffice could not convert it: {e}") from e
        converted = list(Path(out).glob("*.docx"))
        if not converted:
            raise FormatError("LibreOffice could not convert it (no output)")
        return read_docx(converted[0])
