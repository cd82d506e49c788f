"""Run the pipeline over many inputs, keeping going past bad files."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import errno
import functools
import json

from .engine import Plan
from .model import Document
from .outfiles import OutputError, replacing
from .outlock import OutputLock
from .output import FigureWriter
from .files import documents_of
from .inputs import expand_inputs
from .long_table import LongTable
from .tables import rows_of
from .workbook import WorkbookError
from .workers import Limits


def iter_documents(inputs: Iterable[str]) -> Iterator[Document]:
    """Each input file (each member of a zip archive) as a processed Document; failed ones
    carry their reason."""
    for path, root in expand_inputs(inputs):
        yield from documents_of(path, root)


@dataclass
class RunSummary:
    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    figures: int = 0
    characters: int = 0
    indicators_file: Path | None = None   # the long indicator table (Parquet) when figures were linked
    reused: int = 0                # documents read back from the result store, not processed
    output_errors: list[str] = field(default_factory=list)   # outputs that could not be written
    ocr_pages: int = 0             # PDF pages read by OCR
    ocr_confidence: float = 0.0    # their mean confidence (weighted by page)
    replaced: list[tuple[str, int]] = field(default_factory=list)   # characters not decodable
    files: int = 0                 # input files found
    files_done: int = 0            # of them, finished

    @functools.cached_property
    def indicators(self):
        """The long indicator table (pandas), read from its file when first asked for; None
        when the figures were not linked."""
        import pandas as pd
        return pd.read_parquet(self.indicators_file) if self.indicators_file else None

    @property
    def ok(self) -> bool:
        return not self.failed and not self.output_errors

    def add_all(self, docs: Iterable[Document]) -> None:
        for d in docs:
            self.add(d)

    def add(self, doc: Document) -> None:
        self.documents += 1
        self.reused += bool(getattr(doc, "from_store", False))
        self.figures += len(doc.figures)
        self.characters += doc.characters
        if doc.status == "failed":
            self.failed.append((doc.path, doc.error))
        if getattr(doc, "replaced", 0):
            self.replaced.append((doc.path, doc.replaced))
        if getattr(doc, "ocr_pages", ""):
            n = len(doc.ocr_pages.split(","))
            total = self.ocr_pages + n
            self.ocr_confidence = (self.ocr_confidence * self.ocr_pages + (doc.ocr_confidence or 0) * n) / total
            self.ocr_pages = total


LINK_BATCH = 5000    # figures linked together
MAX_HELD = 50_000    # figures held back while the model loads (bounds memory)
PREPARE_BATCH = 1000  # figures whose lexical evidence is prepared together while it loads


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) during a run: what was done is kept in the output folder's store."""

    def __init__(self, done: int, total: int, out: Path):
        super().__init__(f"interrupted: {done} of {total} files done, kept in {out.resolve()}; "
                         "run again to go on")


def run(inputs: Iterable[str], out_dir: str | Path, progress: bool = False, jobs: int = 1,
        link: str | None = None, engine: str = "local", scheduler: str | None = None,
        incremental: bool = True, store_dir: str | Path | None = None,
        limits: Limits | None = None) -> RunSummary:
    """Extract every input into `out_dir`: figures.jsonl/.csv/.xlsx and documents.csv streamed
    as files finish, then figures/documents/indicators as Parquet and in a DuckDB database.

    jobs: worker processes (engine "local") or Dask workers of a LocalCluster (engine "dask"
    without `scheduler`); link: None, "lexical" or "embeddings"; incremental: keep each file's
    result in a store keyed by its content and the pipeline version (default `out_dir/.store`),
    so a re-run or a resumed run does only new or changed files; limits: the time and memory a
    file may take (extract.workers.Limits), beyond which it is a failed document.

    One run at a time writes to `out_dir` (OutputError when another holds it); an output that
    cannot be written raises OutputError naming the folder and the reason; Ctrl-C raises
    RunInterrupted, with what was done kept."""
    out = Path(out_dir)
    summary = RunSummary()
    with OutputLock(out):
        try:
            return _run(inputs, out, progress, jobs, link, engine, scheduler, incremental, store_dir,
                        limits, summary)
        except KeyboardInterrupt:
            raise RunInterrupted(summary.files_done, summary.files, out) from None
        except OutputError:
            raise
        except OSError as e:
            if not _writing(e):
                raise
            raise OutputError(out, e) from None


def _writing(e: OSError) -> bool:
    """An error of writing a file (the inputs are read in the workers): not, say, a Dask
    scheduler that cannot be reached."""
    return e.filename is not None or e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS,
                                                 errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG)


def _run(inputs, out: Path, progress, jobs, link, engine, scheduler, incremental, store_dir, limits,
         summary: RunSummary) -> RunSummary:
    from .engine import execute
    from .linking import load_catalog
    from .warehouse import WAREHOUSE_MEMORY, write_warehouse

    files = expand_inputs(inputs, exclude=[out])      # earlier outputs are not read back
    summary.files = len(files)
    store = str(store_dir or out / ".store") if incremental else None
    plan = Plan(files, store) if store else None
    manifest = _manifest(plan, link) if plan else None
    if manifest and not plan.todo and _unchanged(out, manifest, bool(link)):
        return _summary_from_store(plan, out, link)     # nothing new: the outputs stand as they are
    topics = {i.id: i.topic for i in load_catalog()} if link else {}
    (out / ".manifest.json").unlink(missing_ok=True)   # the outputs are no longer that run's
    bar = None
    if progress and len(files) > 1:
        from tqdm import tqdm
        bar = tqdm(total=len(files), unit="file", desc="extracting")
    try:
        with FigureWriter(out) as writer, ThreadPoolExecutor(1) as background:
            table = LongTable(out / ".indicator_rows") if link else None
            linking = _Linking(writer, link, store, background, topics, table)
            started = linking.start_loading if files else None
            for docs in execute(files, jobs, store, engine, scheduler, plan=plan, started=started,
                                limits=limits):
                summary.add_all(docs)
                summary.files_done += 1
                linking.add(docs)
                if bar:
                    bar.update(1)
                    bar.set_postfix(figures=summary.figures, errors=len(summary.failed))
            linking.finish()
    except WorkbookError as e:       # the other outputs are still written
        summary.output_errors.append(str(e))
    finally:
        if bar:
            bar.close()
    if linking.linker is not None and linking.linker.embeddings is not None and store:
        linking.linker.embeddings.save(_phrase_file(store))   # the next run encodes only new phrases
    if table is not None:
        table.finish(out / "indicators.parquet", out / "indicators.csv", WAREHOUSE_MEMORY)
        summary.indicators_file = out / "indicators.parquet"
    write_warehouse(out, summary.indicators_file)
    if manifest and not summary.output_errors:      # else the next run writes them all again
        with replacing(out / ".manifest.json") as tmp:
            tmp.write_text(json.dumps(manifest), encoding="utf-8")
    return summary


class _Linking:
    """Writes documents as they come, linked to the catalog when asked.

    The model loads in a thread as soon as the workers exist (they need no model, and a fork
    must not catch a thread half-way); meanwhile lexical evidence is prepared for the documents
    held back.  Documents are linked a batch at a time: the model is slow on a few phrases."""

    def __init__(self, writer: FigureWriter, link: str | None, store: str | None,
                 background: ThreadPoolExecutor, topics: dict[str, str], table: LongTable | None = None):
        self.writer, self.link, self.store, self.background = writer, link, store, background
        self.topics = topics
        self.table = table                  # the long indicator table, before cells are chosen
        self.linker = self.loading = self.building = None
        self.held: list[Document] = []
        self.waiting = 0                    # figures held
        self.unprepared: list = []          # held figures without lexical evidence yet

    def start_loading(self) -> None:
        if self.link:       # the lexical linker (TF-IDF over the catalog) is built meanwhile too
            self.building = self.background.submit(make_linker, False)
        if self.link == "embeddings":
            from .linking import catalog_phrases
            self.loading = self.background.submit(load_embeddings, self.store, catalog_phrases())

    def add(self, docs: list[Document]) -> None:
        self.held.extend(docs)
        figures = [f for d in docs for f in d.figures]
        self.waiting += len(figures)
        if not self.link:
            self._flush()
        elif self._model_ready(wait=self.waiting >= MAX_HELD):
            # lexical evidence is as quick a phrase at a time: only the model gains from a batch
            if self.waiting >= LINK_BATCH or self.link == "lexical":
                self._flush()
        else:                                   # the model is loading: use the time
            self.unprepared += figures
            if len(self.unprepared) >= PREPARE_BATCH:
                self._lexical().prepare(self.unprepared)
                self.unprepared = []

    def finish(self) -> None:
        self._model_ready(wait=True)
        self._flush()

    def _lexical(self):
        if self.linker is None:
            self.linker = self.building.result() if self.building else make_linker(embeddings=False)
            self.building = None
        return self.linker

    def _model_ready(self, wait: bool) -> bool:
        if self.loading is not None and (wait or self.loading.done()):
            self._lexical().attach(*self.loading.result())
            self.loading = None
        return self.loading is None

    def _flush(self) -> None:
        if not self.held:
            return
        if self.link:
            self._lexical().link([f for d in self.held for f in d.figures])
        for d in self.held:
            self.writer.add(d)
            if self.link:
                self.table.add(rows_of(d, self.topics))
        self.held.clear()
        self.waiting, self.unprepared = 0, []


_OUTPUTS = ("figures.jsonl", "figures.csv", "figures.xlsx", "documents.csv", "results.duckdb")


def _manifest(plan, link) -> dict:
    from .store import pipeline_version
    return {"version": pipeline_version(), "link": link or "", "inputs": plan.keys}


def _unchanged(out: Path, manifest: dict, linked: bool) -> bool:
    """The same inputs, pipeline and linking as the run that wrote `out`, and its outputs there."""
    try:
        before = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = _OUTPUTS + (("indicators.csv",) if linked else ())
    return before == json.loads(json.dumps(manifest)) and all((out / f).exists() for f in wanted)


def _summary_from_store(plan, out: Path, link) -> RunSummary:
    """The summary of an unchanged re-run, from the documents table the last run wrote."""
    import pandas as pd
    summary = RunSummary()
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", keep_default_na=False)
    summary.documents = summary.reused = len(docs)
    summary.figures = int(pd.to_numeric(docs["figures"]).sum())
    summary.failed = [(r.path, r.error) for r in docs.itertuples() if r.status == "failed"]
    if "replaced_characters" in docs:
        summary.replaced = [(r.path, int(r.replaced_characters)) for r in docs.itertuples()
                            if str(r.replaced_characters) not in ("", "0")]
    summary.characters = int(pd.to_numeric(docs["characters"]).sum())
    if link:
        summary.indicators_file = out / "indicators.parquet"
    return summary


def make_linker(embeddings: bool = True, cache_dir: str | Path | None = None):
    """A Linker over the indicator catalog; with the e5 model when asked.  With `cache_dir`,
    the embeddings of phrases met in earlier runs are read back from it."""
    from .linking import Linker
    linker = Linker()
    if embeddings:
        linker.attach(*load_embeddings(cache_dir, linker.phrases))
    return linker


def load_embeddings(cache_dir: str | Path | None, catalog_phrases: list[str]):
    """The phrase cache with the phrases of earlier runs (from `cache_dir`), and the catalog's
    vectors.  Without earlier phrases the model is loaded now; with them only at the first phrase
    they lack (a run over an archive met before, say after a pipeline change, may need no model)."""
    from .embeddings import EmbeddingCache, load_encoder
    cache, earlier = EmbeddingCache(), False
    if cache_dir:
        try:
            cache.load(_phrase_file(cache_dir))
            earlier = True
        except (ValueError, OSError):
            pass                 # none yet, another model's vectors, or a damaged file: afresh
    if not earlier:
        cache = EmbeddingCache(load_encoder())
    return cache, cache.encode_catalog(catalog_phrases)


def _phrase_file(store: str | Path) -> Path:
    return Path(store) / "phrases.npz"


@dataclass
class CompareResult:
    summary: RunSummary
    indicators_csv: Path | None = None
    compare_xlsx: Path | None = None
    charts: list[Path] = field(default_factory=list)
    rows: int = 0


def compare(inputs: Iterable[str], out_dir: str | Path, indicators: list[str] | None = None,
            regions: list[str] | None = None, embeddings: bool = False, progress: bool = False,
            max_charts: int = 6, jobs: int = 1, engine: str = "local", scheduler: str | None = None,
            incremental: bool = True, limits: Limits | None = None) -> CompareResult:
    """Extract, link to the indicator catalog and write indicators.csv, compare.xlsx and charts
    (for the indicators asked for, else the ones stated for the most region-years)."""
    from .charts import ChartProcess
    from .tables import write_compare

    from .engine import default_jobs
    # warm by the time the table is ready; two share the charts where two cores are free
    drawing = ChartProcess(min(2, default_jobs())) if max_charts else None
    try:
        summary = run(inputs, out_dir, progress=progress, jobs=jobs,
                      link="embeddings" if embeddings else "lexical", engine=engine,
                      scheduler=scheduler, incremental=incremental, limits=limits)
        long = summary.indicators
        if indicators:
            wanted = set(indicators)
            long = long[long["indicator"].isin(wanted) | long["indicator_name"].isin(wanted)]
        if regions:
            long = long[long["region"].isin(regions) | long["province"].isin(regions)]
        chosen = long[long["chosen"]]
        if indicators:
            to_chart = sorted(set(chosen["indicator"]))
        else:
            coverage = chosen.groupby("indicator").size().sort_values(ascending=False)
            to_chart = list(coverage.index[:max_charts])
        if drawing and to_chart:
            drawing.submit(chosen, to_chart, out_dir)      # drawn while compare.xlsx is written
        try:
            csv_path, xlsx_path = write_compare(long, out_dir)
        except OSError as e:
            raise OutputError(out_dir, e) from None
        charts = []
        if drawing and to_chart:
            try:
                charts = drawing.result()
            except RuntimeError as e:   # a chart that cannot be drawn costs the charts, not the tables
                summary.output_errors.append(f"charts not drawn: {e}")
    finally:
        if drawing:
            drawing.close()
    return CompareResult(summary, csv_path, xlsx_path, charts, len(long))
