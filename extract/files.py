"""One input file -> its Documents: the file's bytes read (every member of a zip archive), its
format turned into text, and the pipeline run on it.  A bad file is a failed Document with the
reason, never an exception, so a batch goes on."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from . import reading
from .inputs import doc_name, input_problem, printable_name
from .model import Document, Figure
from .pipeline import analyze_sources
from .reading import ReadError, TEXT_SUFFIXES, decode_text
from .tabular import render


def documents_of(path: Path, root: Path) -> list[Document]:
    """The Documents of one input: one for a file, one per member for a zip archive; a FIFO or
    a device is never opened."""
    problem = input_problem(path)
    if problem:
        name = printable_name(str(path)) if problem == "no such file or folder" else doc_name(path, root)
        return [Document(path=name, status="failed", error=problem)]
    if path.suffix.lower() == ".zip":
        return list(_members(path, root))
    return [process_file(path, root)]


def _members(path: Path, root: Path) -> Iterator[Document]:
    """The members of a zip archive, each named `archive.zip/member` in its provenance."""
    from .formats import FormatError
    from .formats.archive import iter_zip
    name = doc_name(path, root)
    empty = True
    try:
        for member, data in iter_zip(path):
            empty = False
            where = f"{name}/{member}"
            if isinstance(data, Exception):
                yield Document(path=where, status="failed", error=str(data))
            elif member.lower().endswith(".zip"):
                yield Document(path=where, status="failed", error="zip inside a zip is not opened")
            else:
                yield process_bytes(data, where, Path(member).suffix.lower())
    except FormatError as e:
        yield Document(path=name, status="failed", error=str(e))
        return
    if empty:
        yield Document(path=name, status="failed", error="empty zip: no files to read in it")


def extract_file(path: str | os.PathLike, root: str | os.PathLike | None = None) -> list[Figure]:
    """The figures of one file (of every member, for a zip archive); raises ReadError (with
    the reason) when it cannot be read."""
    if Path(path).suffix.lower() == ".zip":
        docs = documents_of(Path(path), Path(root) if root else Path(path).parent)
        if len(docs) == 1 and docs[0].status == "failed" and not docs[0].path.count("/"):
            raise ReadError(f"{docs[0].path}: {docs[0].error}")
        return [f for d in docs for f in d.figures]
    doc = process_file(path, root)
    if doc.status == "failed":
        raise ReadError(f"{doc.path}: {doc.error}")
    return doc.figures


def process_file(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Document:
    """Read and extract one file (text, PDF, Word, web page); a bad file becomes a Document with
    status 'failed' and the reason, never an exception, so a batch goes on."""
    p = Path(path)
    name = doc_name(p, Path(root) if root else p.parent)
    problem = input_problem(p)
    if problem:
        return Document(path=name, status="failed", error=problem)
    try:
        if p.stat().st_size > reading.MAX_BYTES:
            return Document(path=name, status="failed",
                            error=f"too large: {p.stat().st_size} bytes (limit {reading.MAX_BYTES})")
        return process_bytes(p.read_bytes(), name, p.suffix.lower())
    except OSError as e:
        return Document(path=name, status="failed", error=f"unreadable: {e.strerror or e}")


def process_bytes(data: bytes, name: str, suffix: str) -> Document:
    """Extract from the bytes of one file of the given type (also used for archive members)."""
    from .formats import FormatError
    try:
        sources = read_sources(data, suffix)
    except (ReadError, FormatError) as e:
        return Document(path=name, status="failed", error=str(e))
    if not any(s.text.strip() or s.tables for s in sources):
        return Document(path=name, encoding=sources[0].encoding if sources else "",
                        status="failed", error="no text (only whitespace)")
    try:
        return analyze_sources(sources, name)
    except Exception as e:  # a bug on one file must not cost the batch
        return Document(path=name, status="failed",
                        error=f"extraction error: {type(e).__name__}: {e}")


def read_sources(data: bytes, suffix: str):
    """The Sources of a file by its type: plain text, PDF pages, a Word document, a web page."""
    import io
    import tempfile
    from .formats import FormatError, Source
    if suffix in TEXT_SUFFIXES:
        text, enc, replaced = decode_text(data)
        return [Source(text, enc, replaced=replaced)]
    if suffix == ".pdf":                 # pdfplumber and python-docx read the bytes in memory
        from .formats.pdf import read_pdf
        from .formats.pdf_streams import inflation_problem
        refused = inflation_problem(data)
        if refused:
            raise FormatError(refused)
        return read_pdf(io.BytesIO(data))
    if suffix == ".docx":
        from .formats.word import read_docx
        return [read_docx(io.BytesIO(data))]
    if suffix in (".doc", ".wps", ".rtf"):   # LibreOffice converts files on disk
        from .formats.word import convert_legacy
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / ("input" + suffix)
            f.write_bytes(data)
            return [convert_legacy(f)]
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        from .formats.html import read_html
        return [read_html(data)]
    raise FormatError(f"unsupported file type '{suffix}'")


def decoded_text(data: bytes, suffix: str) -> str:
    """The text the pipeline analyses for a file's bytes (PDF pages joined by form feeds, tables
    written in), to which every figure's offsets point."""
    return "\f".join(render(s.text, s.tables)[0] for s in read_sources(data, suffix))
