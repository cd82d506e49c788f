"""The second development set (corpus/dev2): excerpts of real reports that are not in the
repository (../shared/corpora), labelled by hand like the samples. `documents.json` names each
excerpt: its source file (and zip member), and the character window of the decoded text."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV2 = ROOT / "corpus" / "dev2"


def document_text(source: str, member: str = "") -> str:
    """The decoded text of a source, as the pipeline reads it (PDF pages joined by form feeds)."""
    from extract.formats.archive import iter_zip
    from extract.files import decoded_text   # the reader the tool uses
    path = (ROOT / source).resolve()
    if member:
        data = next(d for name, d in iter_zip(path) if name == member)
        return decoded_text(data, Path(member).suffix.lower())
    return decoded_text(path.read_bytes(), path.suffix.lower())


def _document(source: str, member: str = ""):
    """The document as the tool reads it (its tables' cells among its figures)."""
    from extract.formats.archive import iter_zip
    from extract.files import process_bytes
    path = (ROOT / source).resolve()
    data = next(d for name, d in iter_zip(path) if name == member) if member else path.read_bytes()
    name = Path(member or source).name
    return process_bytes(data, name, Path(name).suffix.lower())


def documents() -> list[dict]:
    path = DEV2 / "documents.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def excerpts() -> dict[str, str]:
    """The text of every excerpt, by id."""
    texts, cache = {}, {}
    for d in documents():
        key = (d["source"], d["member"])
        if key not in cache:
            cache[key] = document_text(*key)
        texts[d["id"]] = cache[key][d["start"]:d["end"]]
    return texts


def write_excerpts(folder: Path) -> Path:
    """Each excerpt as <id>.txt in `folder`, the form the scorer reads samples in."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in excerpts().items():
        with open(folder / f"{doc_id}.txt", "w", encoding="utf-8", newline="") as f:
            f.write(text)      # line ends as they are: offsets count \r
    return folder


def predictions(linker=None) -> list[dict]:
    """report-figures over each whole document (its metadata needs all of it), the figures
    inside each excerpt kept, with offsets into the excerpt."""
    out, cache = [], {}
    for d in documents():
        key = (d["source"], d["member"])
        if key not in cache:
            doc = _document(*key)
            if linker is not None:
                linker.link(doc.figures)
            # a PDF's figures count from their page's start: back to offsets in the whole text
            starts = getattr(doc, "page_starts", None)
            cache[key] = [(f, starts[f.page - 1] if starts and f.page else 0) for f in doc.figures]
        for f, base in cache[key]:
            start, end = f.start + base, f.end + base
            if d["start"] <= start and end <= d["end"]:
                rec = f.to_dict()
                rec.update(doc=f"{d['id']}.txt", start=start - d["start"], end=end - d["start"])
                out.append(rec)
    return out


def available() -> bool:
    """The set can be scored here: settled labels, and the sources beside the repository."""
    return (DEV2 / "labels").is_dir() and all((ROOT / d["source"]).exists() for d in documents())
