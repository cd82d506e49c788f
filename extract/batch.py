"""Run the pipeline over many inputs, keeping going past bad files."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .model import Document
from .output import FigureWriter
from .pipeline import process_file
from .reading import expand_inputs


def iter_documents(inputs: Iterable[str]) -> Iterator[Document]:
    """Each input file as a processed Document (failed ones carry their reason)."""
    for path, root in expand_inputs(inputs):
        yield _process(path, root)


def _process(path: Path, root: Path) -> Document:
    if not path.exists():
        return Document(path=str(path), status="failed", error="no such file or folder")
    return process_file(path, root)


@dataclass
class RunSummary:
    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    figures: int = 0
    characters: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def run(inputs: Iterable[str], out_dir: str | Path, progress: bool = False) -> RunSummary:
    """Extract every input into `out_dir` (figures.jsonl/.csv/.xlsx, documents.csv)."""
    files = expand_inputs(inputs)
    summary = RunSummary()
    bar = None
    if progress and len(files) > 1:
        from tqdm import tqdm
        bar = tqdm(total=len(files), unit="file", desc="extracting")
    with FigureWriter(out_dir) as writer:
        for path, root in files:
            doc = _process(path, root)
            writer.add(doc)
            summary.documents += 1
            summary.figures += len(doc.figures)
            summary.characters += doc.characters
            if doc.status == "failed":
                summary.failed.append((doc.path, doc.error))
            if bar:
                bar.update(1)
                bar.set_postfix(figures=summary.figures, errors=len(summary.failed))
    if bar:
        bar.close()
    return summary
