"""Run the pipeline over many files: on all local cores, or as tasks on a Dask cluster, with
every finished file kept in the result store so a re-run or a resumed run skips it."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Callable, Iterator

from .inputs import doc_name
from .model import Document
from .store import ResultStore, content_key, from_dict, to_dict
from .workers import PREFETCH, Limits, Outcome, WorkerPool

def work(path: str, root: str, store_dir: str | None, key: str | None) -> list[dict]:
    """Process one input file in a worker: extract and store; return the documents as dicts
    (without their full text, which the outputs do not need).  Linking happens in the parent,
    with one model and one phrase cache for the whole run."""
    from .files import documents_of
    docs = documents_of(Path(path), Path(root))
    if store_dir and key and docs and not any(_transient(d) for d in docs):
        ResultStore(store_dir).put(key, docs)
    return [to_dict(d) for d in docs]


def warm_up() -> None:
    """Load the pipeline's word lists and dictionaries (some seconds): a worker does it before
    the clock of its first file starts."""
    from .pipeline import extract_text
    extract_text("全县共有村医298名，签约率达99.67%。", year=2023)


def _transient(doc: Document) -> bool:
    """A failure that may not happen again (the file could not be read, or the pipeline broke):
    such a file is tried again next time; an empty, binary or unsupported file is not."""
    return doc.status == "failed" and doc.error.startswith(("unreadable", "no such file", "extraction error"))


class Plan:
    """Which inputs are done already (in the store) and which are to do.  Only keys are kept:
    stored results are read one at a time as they are used, so memory does not grow."""

    def __init__(self, files, store_dir):
        self.store = ResultStore(store_dir) if store_dir else None
        self.done: list[tuple[Path, Path, str]] = []
        self.todo: list[tuple[Path, Path, str | None]] = []
        self.keys: list[tuple[str, str | None]] = []
        for path, root in files:
            key = None
            if self.store and path.is_file():
                try:
                    key = content_key(path, doc_name(path, root))
                except OSError:
                    key = None
            self.keys.append((str(path), key))
            if key and self.store.has(key):
                self.done.append((path, root, key))
            else:
                self.todo.append((path, root, key))


def execute(files, jobs: int = 1, store_dir: str | None = None, engine: str = "local",
            scheduler: str | None = None, plan: Plan | None = None,
            started: Callable[[], None] | None = None,
            limits: Limits | None = None) -> Iterator[list[Document]]:
    """The documents of every input, a file at a time: stored ones as the workers start on the
    others, then as workers finish (not in input order when jobs > 1).  Documents
    read back from the store carry `from_store = True`.  `started` is called once the worker
    processes exist: threads started after it cannot be caught half-way by a fork.  Locally,
    even one job runs in a worker process, so that `limits` (time and memory per file) hold."""
    plan = plan or Plan(files, store_dir)
    started = functools.cache(started or (lambda: None))     # called once, whichever path
    if not plan.todo:
        started()
        yield from _stored(plan)      # a stored result found damaged joins the to-do list
        if not plan.todo:
            return
    if engine == "dask":
        yield from _dask(plan, store_dir, scheduler, jobs, started)
    else:
        yield from _local(plan, jobs, store_dir, started, limits)


def _stored(plan: Plan) -> Iterator[list[Document]]:
    """The stored results, each once (the plan's list is taken over as it is read)."""
    done, plan.done = plan.done, []
    for path, root, key in done:
        docs = plan.store.get(key)
        if docs is None:          # damaged since it was found: do it again
            plan.todo.append((path, root, key))
            continue
        for d in docs:
            d.from_store = True
        yield docs


def _local(plan: Plan, jobs: int, store_dir, started, limits) -> Iterator[list[Document]]:
    """Worker processes, with a few tasks each in flight so memory stays bounded; stored
    results are passed on while the workers run.  A file over its limits, or whose worker was
    killed twice, is a failed document."""
    with WorkerPool(work, jobs, limits, prepare=warm_up) as pool:
        submitted = 0

        def finished(block: bool) -> list[list[Document]]:
            nonlocal submitted
            while pool.busy() < pool.jobs * PREFETCH and submitted < len(plan.todo):   # todo may grow
                path, root, key = plan.todo[submitted]
                submitted += 1
                pool.submit(str(path), str(root), store_dir, key)
            return [_documents(o) for o in pool.outcomes(block)]

        finished(block=False)     # the first tasks: the workers are forked here
        started()
        for docs in _stored(plan):
            yield docs
            yield from finished(block=False)
        while pool.busy() or submitted < len(plan.todo):
            yield from finished(block=True)


def _documents(outcome: Outcome) -> list[Document]:
    if not outcome.failed:
        return [from_dict(d) for d in outcome.result]
    path, root = outcome.task.args[:2]
    return [Document(path=doc_name(Path(path), Path(root)), status="failed", error=outcome.failed)]


def _dask(plan: Plan, store_dir, scheduler, jobs, started) -> Iterator[list[Document]]:
    """Each file a Dask task; results come back as they finish.  Workers must see the same
    files and store folder (a shared file system), as the local run does."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError(f"--engine dask needs {e.name!r}: pip install 'report-figures[dask]'",
                                  name=e.name) from e
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        started()
        yield from _stored(plan)
        futures = [client.submit(work, str(p), str(r), store_dir, k, pure=False)
                   for p, r, k in plan.todo]
        for fut in as_completed(futures):
            yield [from_dict(d) for d in fut.result()]
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
