"""Runs that nothing stops: a file over its time or memory, a killed worker, Ctrl-C, kill -9, a
second run into the same folder, an output folder that cannot be written, links in it."""
import csv
import errno
import json
import os
import re
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import ROOT
import run_extract
from extract import OutputError, RunInterrupted, batch, extract_text, files, run
from extract.outlock import OutputLock
from extract.workers import Limits

REPORT = "东安县2023年工作总结\n全县共有村医298名，签约率达99.67%。\n"


@pytest.fixture(autouse=True, scope="module")
def warm():
    """Workers are forked from this process: with the pipeline's word lists loaded here, they
    start at once."""
    extract_text(REPORT)


def inputs(tmp_path, *names):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    for name in names:
        (src / name).write_text(REPORT, encoding="utf-8")
    return src


def documents(out):
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        return {r["path"]: (r["status"], r["error"], r["figures"]) for r in csv.DictReader(f)}


def misbehave_on(monkeypatch, name, action):
    """Workers are forked from this process: what a test puts in place here, they do."""
    real = files.process_file

    def process_file(path, root):
        if path.name == name:
            action(path)
        return real(path, root)
    monkeypatch.setattr(files, "process_file", process_file)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_hangs_in_a_regex_fails_after_the_timeout_and_the_run_goes_on(tmp_path, monkeypatch, jobs):
    src = inputs(tmp_path, "a.txt", "hang.txt", "b.txt")
    misbehave_on(monkeypatch, "hang.txt", lambda p: re.match(r"(a+)+$", "a" * 64 + "b"))
    summary = run([str(src)], tmp_path / "out", jobs=jobs, limits=Limits(timeout=1))
    assert documents(tmp_path / "out") == {"a.txt": ("ok", "", "2"), "b.txt": ("ok", "", "2"),
                                           "hang.txt": ("failed", "took longer than 1 s", "0")}
    assert summary.failed == [("hang.txt", "took longer than 1 s")]


def test_a_file_that_needs_too_much_memory_fails_and_the_run_goes_on(tmp_path, monkeypatch):
    src = inputs(tmp_path, "a.txt", "big.txt")

    def hog(path):
        held = b"x" * (300 << 20)    # written, so resident
        time.sleep(5)
        return held
    misbehave_on(monkeypatch, "big.txt", hog)
    run([str(src)], tmp_path / "out", jobs=1, limits=Limits(max_memory=100))
    assert documents(tmp_path / "out") == {"a.txt": ("ok", "", "2"),
                                           "big.txt": ("failed", "needed more than 100 MB", "0")}


def test_a_killed_worker_tries_its_file_once_more(tmp_path, monkeypatch):
    src = inputs(tmp_path, "a.txt", "once.txt", "always.txt")
    marks = tmp_path / "marks"
    marks.mkdir()

    def killed(path):
        mark = marks / path.name
        if path.name == "always.txt" or not mark.exists():
            mark.touch()
            os.kill(os.getpid(), signal.SIGKILL)     # as the OOM killer does
    real = files.process_file
    monkeypatch.setattr(files, "process_file", lambda p, r: (killed(p), real(p, r))[1])
    run([str(src)], tmp_path / "out", jobs=2)
    assert documents(tmp_path / "out") == {
        "a.txt": ("ok", "", "2"), "once.txt": ("ok", "", "2"),
        "always.txt": ("failed", "the worker was killed twice while reading it (signal 9; out of memory?)", "0")}


SLOW_RUN = """import sys, time
sys.path.insert(0, {root!r})
import extract.files, run_extract
real = extract.files.process_file
def slow(path, root):
    time.sleep(0.3)
    return real(path, root)
extract.files.process_file = slow
sys.exit(run_extract.main(sys.argv[1:]))
"""


def slow_run(tmp_path, out, files=10):
    """The command line in a process of its own (a session, as a terminal's), each file slow."""
    src = inputs(tmp_path, *(f"r{i:02d}.txt" for i in range(files)))
    script = tmp_path / "slow_run.py"
    script.write_text(SLOW_RUN.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), "run", str(src), "--out", str(out), "--jobs", "2", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    return src, proc


def stored(out):
    return list((out / ".store").rglob("*.json.gz"))


def wait_for(condition, seconds=60):
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.05)


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_ends_with_one_line_and_the_next_run_goes_on(tmp_path, sig, status):
    out = tmp_path / "out"
    src, proc = slow_run(tmp_path, out)
    wait_for(lambda: len(stored(out)) >= 2)
    os.killpg(proc.pid, sig)                       # the whole group, as a terminal sends it
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status
    assert len(err.strip().splitlines()) == 1, err
    assert re.fullmatch(rf"run_extract.py: interrupted: \d+ of 10 files done, kept in {out}; run again to go on",
                        err.strip().splitlines()[0])
    kept = len(stored(out))
    again = run([str(src)], out, jobs=1)
    assert (again.documents, again.reused, again.figures) == (10, kept, 20)


def children_of(pid):
    kids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            kids.append(int(entry))
    return kids


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_after_kill_9_no_worker_or_writer_survives_and_the_folder_is_free(tmp_path):
    out = tmp_path / "out"
    src, proc = slow_run(tmp_path, out)
    wait_for(lambda: len(stored(out)) >= 1)
    kids = children_of(proc.pid)
    assert len(kids) >= 3                     # two workers and the workbook writer
    proc.kill()
    proc.communicate(timeout=30)
    wait_for(lambda: not any(alive(k) for k in kids), seconds=10)
    again = run([str(src)], out, jobs=1)      # no stale lock
    assert again.documents == 10 and again.reused >= 1


def test_a_second_run_into_a_busy_folder_is_refused(tmp_path, capsys):
    src = inputs(tmp_path, "a.txt")
    out = tmp_path / "out"
    with OutputLock(out):
        with pytest.raises(OutputError, match=f"cannot write to {out}: another run is writing there"):
            run([str(src)], out)
        assert run_extract.main(["run", str(src), "--out", str(out)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not (out / "figures.jsonl").exists()


def test_an_output_folder_that_is_a_file_gives_one_line(tmp_path, capsys):
    src = inputs(tmp_path, "a.txt")
    (tmp_path / "out").write_text("not a folder")
    assert run_extract.main(["run", str(src), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"run_extract.py: cannot write to {tmp_path / 'out'}: it is a file, not a folder\n"


def test_a_missing_parent_of_the_output_folder_is_made(tmp_path):
    src = inputs(tmp_path, "a.txt")
    run([str(src)], tmp_path / "new" / "deeper" / "out")
    assert documents(tmp_path / "new" / "deeper" / "out") == {"a.txt": ("ok", "", "2")}


def test_a_full_disk_gives_one_line_and_leaves_no_cut_line(tmp_path, monkeypatch, capsys):
    from extract import outfiles
    src = inputs(tmp_path, "a.txt", "b.txt", "c.txt")
    real, room = os.write, [2500]

    def write(fd, data):                    # the disk fills up half-way through a document's lines
        if room[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real(fd, bytes(data[:room[0]]))
        room[0] -= n
        return n
    monkeypatch.setattr(outfiles.os, "write", write)
    assert run_extract.main(["run", str(src), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"]) == 2
    assert capsys.readouterr().err == f"run_extract.py: cannot write to {tmp_path / 'out'}: No space left on device\n"
    text = (tmp_path / "out" / "figures.jsonl").read_text(encoding="utf-8")
    assert text.endswith("\n") and len(text.splitlines()) >= 2     # the first document, whole
    assert all(json.loads(line) for line in text.splitlines())


def test_an_output_folder_with_a_quote_in_its_name_gets_its_database(tmp_path):
    src = inputs(tmp_path, "a.txt")
    out = tmp_path / "it's out"
    run([str(src)], out)
    con = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM figures").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(out / "figures.parquet")]).fetchall() == [(2,)]


def test_links_in_the_output_folder_are_replaced_not_written_through(tmp_path):
    src = inputs(tmp_path, "a.txt")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    names = ["figures.jsonl", "figures.csv", "documents.csv", "figures.xlsx", "figures.parquet", "results.duckdb",
             "indicators.csv", "indicators.parquet"]
    for name in names:
        (elsewhere / name).write_text("keep me")
        (out / name).symlink_to(elsewhere / name)
    run([str(src)], out, link="lexical")
    assert [(elsewhere / n).read_text() for n in names] == ["keep me"] * len(names)
    assert not any((out / n).is_symlink() for n in names)
    assert documents(out) == {"a.txt": ("ok", "", "2")}


def test_quiet_draws_no_progress_bar(tmp_path, capsys):
    src = inputs(tmp_path, "a.txt", "b.txt")
    assert run_extract.main(["run", str(src), "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1"]) == 0
    assert capsys.readouterr().err == ""
    assert run_extract.main(["run", str(src), "--out", str(tmp_path / "out2"), "--jobs", "1"]) == 0
    assert "extracting" in capsys.readouterr().err


def test_an_interrupted_library_run_says_what_it_kept(tmp_path, monkeypatch):
    src = inputs(tmp_path, "a.txt", "b.txt")
    monkeypatch.setattr(batch._Linking, "add", lambda self, docs: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(RunInterrupted, match=r"interrupted: 1 of 2 files done"):
        run([str(src)], tmp_path / "out", jobs=1)


def test_the_database_is_written_when_duckdb_needs_more_than_its_limit(tmp_path, monkeypatch):
    from extract import warehouse
    src = inputs(tmp_path, "a.txt")
    real, limits = warehouse._write, []

    def short_of_memory(duck, out, indicators, config):
        limits.append(config)
        if config:
            raise duckdb.OutOfMemoryException("could not allocate block")
        return real(duck, out, indicators, config)
    monkeypatch.setattr(warehouse, "_write", short_of_memory)
    run([str(src)], tmp_path / "out")
    assert limits == [{"memory_limit": warehouse.WAREHOUSE_MEMORY}, {}]
    con = duckdb.connect(str(tmp_path / "out" / "results.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM figures").fetchall() == [(2,)]
