"""A result store keyed by file content and pipeline version: a re-run reads what it already
did instead of doing it again, and a run killed half-way resumes where it stopped."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from .model import Document, Figure, Part

PACKAGE = Path(__file__).resolve().parent
_PART_FIELDS = [f.name for f in fields(Part)]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the pipeline's code and language data: any change to either makes new keys."""
    from .patterns import PATTERNS_DIR
    h = hashlib.sha256()
    for folder, pattern in ((PACKAGE, "**/*.py"), (Path(PATTERNS_DIR), "*")):
        for f in sorted(folder.glob(pattern)):
            if f.is_file():
                h.update(f.relative_to(folder).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def content_key(path: Path, name: str) -> str:
    """The key of one input file: its bytes and its name (documents carry it).  The file is
    read a block at a time, so a huge one costs no memory here."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    h.update(b"\0" + name.encode("utf-8", errors="surrogateescape"))
    return h.hexdigest()


def to_dict(doc: Document) -> dict:
    d = {k: getattr(doc, k) for k in ("path", "encoding", "title", "year", "status", "error")}
    d["figures"] = [f.to_dict() for f in doc.figures]
    d["parts"] = [{k: getattr(p, k) for k in _PART_FIELDS} for p in doc.parts]
    d["characters"] = doc.characters
    d["page_starts"] = doc.page_starts
    d["ocr_pages"], d["ocr_confidence"] = doc.ocr_pages, doc.ocr_confidence
    d["replaced"] = doc.replaced
    return d


def from_dict(d: dict) -> Document:
    doc = Document(path=d["path"], encoding=d.get("encoding", ""), title=d.get("title", ""),
                   year=d.get("year"), status=d.get("status", "ok"), error=d.get("error", ""),
                   figures=[Figure(**f) for f in d.get("figures", [])],
                   parts=[Part(**p) for p in d.get("parts", [])],
                   page_starts=d.get("page_starts", []), ocr_pages=d.get("ocr_pages", ""),
                   ocr_confidence=d.get("ocr_confidence"), replaced=d.get("replaced", 0))
    doc.stored_characters = d.get("characters", 0)
    return doc


class ResultStore:
    """One gzipped JSON file per input under `root/<pipeline version>/`, written atomically
    (a temporary name, then a rename), so a killed run never leaves a half-written result."""

    def __init__(self, root: str | Path):
        self.dir = Path(root) / pipeline_version()
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json.gz"

    def has(self, key: str) -> bool:
        return self._path(key).exists()

    def get(self, key: str) -> list[Document] | None:
        p = self._path(key)
        if not p.exists():
            return None
        try:
            with gzip.open(p, "rt", encoding="utf-8") as f:
                return [from_dict(d) for d in json.load(f)]
        except (OSError, ValueError, TypeError):
            return None            # a damaged entry is simply done again

    def put(self, key: str, docs: list[Document]) -> None:
        p = self._path(key)
        p.parent.mkdir(exist_ok=True)
        tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as f:
            json.dump([to_dict(d) for d in docs], f, ensure_ascii=False)
        os.replace(tmp, p)
