"""A pool of worker processes that no single file can stop: each file has a time limit and a
memory bound, and a worker that is killed (by the OOM killer, say) costs only its file, which is
tried once more on a fresh worker.  concurrent.futures' pool gives up on all its tasks when one
worker dies, and cannot stop a task that hangs.

Each worker holds at most PREFETCH tasks, so it never waits for the parent between files and the
tasks left behind by a killed worker are few."""
from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable

from .children import as_child

DEFAULT_TIMEOUT = 300          # seconds a file may take
DEFAULT_MAX_MEMORY = 2048      # MB a file may need, beyond what its worker held before it
PREFETCH = 2                   # tasks sent to a worker ahead
POLL = 0.1                     # seconds between looks at the workers' memory
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Limits:
    timeout: float = DEFAULT_TIMEOUT
    max_memory: float = DEFAULT_MAX_MEMORY     # MB


@dataclass
class Task:
    args: tuple
    tries: int = 0


@dataclass
class Outcome:
    """A task's result, or the reason it has none (`failed`)."""
    task: Task
    result: Any = None
    failed: str = ""


def rss(pid: int | str = "self") -> int:
    """Resident memory of a process in bytes (0 where /proc is not there)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _serve(conn, fn, prepare, parent: int) -> None:
    """A worker: tasks in, results out, each result with the time it ended and the memory then
    (the start and the baseline of the next task).  `prepare` runs first, off the clock."""
    as_child(parent)
    if prepare:
        try:
            prepare()
        except Exception:                 # noqa: BLE001 - the first file will say what is wrong
            pass
    conn.send(("ready", None, time.monotonic(), rss()))
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):
            return
        if args is None:
            return
        try:
            reply = ("ok", fn(*args))
        except MemoryError:
            reply = ("memory", None)
        except BaseException as e:        # noqa: BLE001 - the parent records it for the file
            reply = ("error", f"{type(e).__name__}: {e}")
        conn.send(reply + (time.monotonic(), rss()))


@dataclass
class _Worker:
    proc: Any
    conn: Any
    tasks: deque = field(default_factory=deque)    # sent, the first one running
    started: float = 0.0                           # when the first one started
    baseline: int = 0                              # memory before it
    ready: bool = False


class WorkerPool:
    """`submit` tasks (argument tuples for `fn`), then `outcomes` as they finish.  Each worker
    runs `prepare` before its first task (loading what every task needs), off the clock."""

    def __init__(self, fn: Callable, jobs: int, limits: Limits | None = None,
                 prepare: Callable[[], Any] | None = None):
        self.fn, self.jobs, self.limits, self.prepare = fn, max(1, jobs), limits or Limits(), prepare
        methods = multiprocessing.get_all_start_methods()
        # fork, as the workbook writer does: spawn would run the caller's script again
        self._ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._queue: deque[Task] = deque()
        self._workers: list[_Worker] = []

    # -- the caller's side
    def submit(self, *args) -> None:
        self._queue.append(Task(args))
        self._dispatch()

    def busy(self) -> int:
        """Tasks submitted and not yet out."""
        return len(self._queue) + sum(len(w.tasks) for w in self._workers)

    def outcomes(self, block: bool) -> list[Outcome]:
        """The tasks finished (waiting for one at least when `block` and some are busy)."""
        done: list[Outcome] = []
        while True:
            self._dispatch()
            running = [w for w in self._workers if w.tasks or not w.ready]
            if not running:
                return done
            timeout = self._next_check(running) if block and not done else 0
            ready = wait([w.conn for w in running] + [w.proc.sentinel for w in running], timeout)
            for w in running:
                if w.conn in ready:
                    done += self._receive(w)
                elif w.proc.sentinel in ready:
                    done += self._lost(w)
            done += self._over_limits()
            if done or not block:
                return done

    def close(self) -> None:
        """Let the workers go (they end when told, or at once when killed)."""
        for w in self._workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in self._workers:
            w.proc.join(timeout=5)
            self._end(w)
        self._workers = []

    def kill(self) -> None:
        for w in self._workers:
            self._end(w)
        self._workers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        (self.close if exc[0] is None else self.kill)()

    # -- the workers
    def _dispatch(self) -> None:
        while self._queue:
            # an idle worker first, then a new one, then one with room ahead
            free = [w for w in self._workers if not w.tasks]
            if not free and len(self._workers) < self.jobs:
                free = [self._start()]
            free = free or [w for w in self._workers if len(w.tasks) < PREFETCH]
            if not free:
                return
            w = min(free, key=lambda w: len(w.tasks))
            task = self._queue.popleft()
            try:
                w.conn.send(task.args)
            except OSError:              # it just died: its sentinel tells, the task waits
                self._queue.appendleft(task)
                return
            if not w.tasks:
                w.started = time.monotonic()
            w.tasks.append(task)

    def _start(self) -> _Worker:
        mine, theirs = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(theirs, self.fn, self.prepare, os.getpid()), daemon=True,
                                 name="report-figures worker")
        proc.start()
        theirs.close()
        w = _Worker(proc, mine, started=time.monotonic())
        self._workers.append(w)
        return w

    def _receive(self, w: _Worker) -> list[Outcome]:
        try:
            kind, value, ended, memory = w.conn.recv()
        except (EOFError, OSError):
            return self._lost(w)
        w.baseline = memory
        if kind == "ready":
            w.ready, w.started = True, max(w.started, ended)
            return []
        task = w.tasks.popleft()
        w.started = ended                 # the next one, sent ahead, starts now
        if kind == "ok":
            return [Outcome(task, value)]
        if kind == "memory":
            return [Outcome(task, failed=self._memory_reason())]
        return [Outcome(task, failed=f"extraction error: {value}")]

    def _lost(self, w: _Worker) -> list[Outcome]:
        """A worker died on its own (killed by a signal, the OOM killer): its file is tried once
        more, the files sent after it are sent again."""
        self._end(w)
        self._workers.remove(w)
        if not w.tasks:
            return []
        task, *rest = w.tasks
        self._queue.extendleft(reversed(rest))
        code = w.proc.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        if task.tries == 0:
            task.tries += 1
            self._queue.appendleft(task)
            return []
        return [Outcome(task, failed=f"the worker was killed twice while reading it ({how}; out of memory?)")]

    def _over_limits(self) -> list[Outcome]:
        """Files over their time or memory: their worker is killed, the files sent after them
        go to another."""
        out = []
        now = time.monotonic()
        for w in list(self._workers):
            if not w.tasks:
                continue
            if now - w.started > self.limits.timeout:      # a worker that never got ready too
                reason = f"took longer than {self.limits.timeout:g} s"
            elif w.ready and rss(w.proc.pid) - w.baseline > self.limits.max_memory * 2**20:
                reason = self._memory_reason()
            else:
                continue
            self._end(w)
            self._workers.remove(w)
            task, *rest = w.tasks
            self._queue.extendleft(reversed(rest))
            out.append(Outcome(task, failed=reason))
        return out

    def _memory_reason(self) -> str:
        return f"needed more than {self.limits.max_memory:g} MB"

    def _next_check(self, running: list[_Worker]) -> float:
        deadlines = [w.started + self.limits.timeout - time.monotonic() for w in running if w.tasks]
        return max(0.0, min([POLL] + deadlines))

    @staticmethod
    def _end(w: _Worker) -> None:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(timeout=5)
        w.conn.close()

