"""Big archives: parallel, incremental, resumable runs, Dask, and SQL over the results."""
import duckdb
import pandas as pd
import pytest

from extract import run
from extract.store import pipeline_version

REPORTS = {
    "a/东安县2023.txt": "东安县卫生健康局2023年工作总结\n全县共有村医298名，签约率达99.67%。东安县……东安县……",
    "a/东安县2022.txt": "东安县卫生健康局2022年工作总结\n全县共有村医280名，签约率达97.5%。东安县……东安县……",
    "b/双牌县2023.txt": "双牌县卫生健康局2023年工作总结\n全县共有村医210名，投资58.5万元。双牌县……双牌县……",
    "b/bad.txt": "",
}


def archive(tmp_path):
    src = tmp_path / "in"
    for rel, text in REPORTS.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    return src


def table(out):
    df = pd.read_parquet(out / "figures.parquet")
    return df[["doc", "start", "end", "surface", "value", "subject", "period"]].sort_values(["doc", "start"]).reset_index(drop=True)


def test_parallel_run_equals_a_single_process_run(tmp_path):
    src = archive(tmp_path)
    one = run([str(src)], tmp_path / "one", jobs=1, incremental=False)
    two = run([str(src)], tmp_path / "two", jobs=2, incremental=False)
    assert (one.documents, one.figures, len(one.failed)) == (two.documents, two.figures, len(two.failed)) == (4, 6, 1)
    pd.testing.assert_frame_equal(table(tmp_path / "one"), table(tmp_path / "two"))


def test_rerun_does_only_new_or_changed_files(tmp_path):
    src = archive(tmp_path)
    first = run([str(src)], tmp_path / "out", jobs=1)
    assert first.reused == 0
    (src / "a" / "东安县2022.txt").write_text(REPORTS["a/东安县2022.txt"].replace("280", "281"), encoding="utf-8")
    again = run([str(src)], tmp_path / "out", jobs=1)
    assert (again.documents, again.reused) == (4, 3)      # all but the changed file (the empty one fails alike)
    assert 281 in table(tmp_path / "out")["value"].tolist()


def test_a_killed_run_resumes_without_redoing_finished_files(tmp_path, monkeypatch):
    from extract import batch
    src = archive(tmp_path)
    real, done = batch._Linking.add, []

    def dies_after_two(self, docs):
        if len(done) == 2:
            raise KeyboardInterrupt("killed")
        done.append(docs)
        return real(self, docs)

    monkeypatch.setattr(batch._Linking, "add", dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        run([str(src)], tmp_path / "out", jobs=1)
    stored = len(list((tmp_path / "out" / ".store" / pipeline_version()).rglob("*.json.gz")))
    assert 2 <= stored < 4            # the worker may have finished one more, sent ahead
    monkeypatch.setattr(batch._Linking, "add", real)
    resumed = run([str(src)], tmp_path / "out", jobs=1)
    assert (resumed.documents, resumed.reused, resumed.figures) == (4, stored, 6)
    assert len(table(tmp_path / "out")) == 6


def test_dask_local_cluster_gives_the_local_result(tmp_path):
    src = archive(tmp_path)
    run([str(src)], tmp_path / "local", jobs=1, incremental=False)
    run([str(src)], tmp_path / "dask", jobs=2, engine="dask", incremental=False)
    pd.testing.assert_frame_equal(table(tmp_path / "local"), table(tmp_path / "dask"))


def test_sql_over_counties_and_years(tmp_path):
    src = archive(tmp_path)
    run([str(src)], tmp_path / "out", jobs=1, link="lexical")
    con = duckdb.connect(str(tmp_path / "out" / "results.duckdb"), read_only=True)
    rows = con.execute("""SELECT region, year, value FROM indicators
                          WHERE indicator = 'village_doctors' AND chosen ORDER BY region, year""").fetchall()
    assert rows == [("东安县", 2022, 280.0), ("东安县", 2023, 298.0), ("双牌县", 2023, 210.0)]
    failed = con.execute("SELECT path, error FROM documents WHERE status = 'failed'").fetchall()
    assert failed == [("b/bad.txt", "empty file")]


def test_an_unchanged_rerun_leaves_the_outputs_as_they_are(tmp_path):
    src = archive(tmp_path)
    run([str(src)], tmp_path / "out", jobs=1, link="lexical")
    stamp = (tmp_path / "out" / "figures.xlsx").stat().st_mtime_ns
    again = run([str(src)], tmp_path / "out", jobs=1, link="lexical")
    assert (again.documents, again.reused, again.figures, len(again.failed)) == (4, 4, 6, 1)
    assert (tmp_path / "out" / "figures.xlsx").stat().st_mtime_ns == stamp
    assert set(again.indicators["indicator"]) >= {"village_doctors"}
    # a different way of linking is not the same run
    third = run([str(src)], tmp_path / "out", jobs=1)
    assert third.reused == 4 and (tmp_path / "out" / "figures.xlsx").stat().st_mtime_ns != stamp


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("new_file", [False, True])
def test_a_damaged_stored_result_is_done_again(tmp_path, jobs, new_file):
    from extract.store import ResultStore, content_key
    src = archive(tmp_path)
    run([str(src)], tmp_path / "out", jobs=jobs)
    last = "b/双牌县2023.txt"           # the last input: nothing is read after it
    key = content_key(src / last, last)
    ResultStore(str(tmp_path / "out" / ".store"))._path(key).write_bytes(b"not gzip")
    if new_file:
        (src / "b/c.txt").write_text(REPORTS[last].replace("210", "211"), encoding="utf-8")
    again = run([str(src)], tmp_path / "out2", jobs=jobs, store_dir=tmp_path / "out" / ".store")
    assert (again.documents, again.reused) == (4 + new_file, 3)
    assert len(table(tmp_path / "out2")) == 6 + 2 * new_file


def test_linking_in_batches_while_the_model_loads_links_as_one_document_at_a_time(tmp_path, monkeypatch):
    from extract import batch
    from extract.batch import make_linker
    from extract.files import process_file
    src = archive(tmp_path)
    monkeypatch.setattr(batch, "LINK_BATCH", 3)
    monkeypatch.setattr(batch, "MAX_HELD", 2)      # too many held: wait for the model
    run([str(src)], tmp_path / "out", jobs=2, link="embeddings")
    got = pd.read_json(tmp_path / "out" / "figures.jsonl", lines=True)
    linker, want = make_linker(embeddings=True), {}
    for p in sorted(src.rglob("*.txt")):
        doc = process_file(p, src)
        linker.link(doc.figures)
        want.update({(f.doc, f.start): f.indicator for f in doc.figures})
    assert dict(zip(zip(got["doc"], got["start"]), got["indicator"].fillna(""))) == want
    assert sum(bool(v) for v in want.values()) >= 5
    assert (tmp_path / "out" / ".store" / "phrases.npz").exists()


def test_a_run_whose_phrases_are_all_known_needs_no_model(tmp_path, monkeypatch):
    from extract import embeddings
    src = archive(tmp_path)
    run([str(src)], tmp_path / "first", jobs=1, link="embeddings")
    assert (tmp_path / "first" / ".store" / "phrases.npz").exists()

    def no_model():
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(embeddings, "load_model", no_model)
    again = run([str(src)], tmp_path / "again", jobs=1, link="embeddings",
                store_dir=tmp_path / "first" / ".store")
    assert again.reused == 4
    first = pd.read_json(tmp_path / "first" / "figures.jsonl", lines=True)
    second = pd.read_json(tmp_path / "again" / "figures.jsonl", lines=True)
    assert first["indicator"].tolist() == second["indicator"].tolist()
    assert first["indicator"].fillna("").astype(bool).sum() >= 5
