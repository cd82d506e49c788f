"""What users open: the tables, the documents list, the library API and the command line."""
import csv
import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from extract import Figure, extract_text, run, to_dataframe

FIELDS = ["doc", "start", "end", "surface", "value", "value_max", "unit", "raw_unit", "kind",
          "qualifier", "role", "subject", "period", "section", "sentence",
          "indicator", "indicator_name", "indicator_score", "page", "target", "box"]


def _archive(tmp_path):
    src = tmp_path / "in"
    (src / "county").mkdir(parents=True)
    (src / "county" / "a.txt").write_text("全县共有村医298名，签约率达99.67%。", encoding="utf-8")
    (src / "b.txt").write_bytes("投资58.5万元。".encode("gb18030"))
    (src / "empty.txt").write_bytes(b"")
    (src / "image.txt").write_bytes(b"\x00\x01\x02" * 100)
    return src


def test_library_returns_figure_objects():
    figs = extract_text("今年1-9月，县域就诊率达84.11%。", year=2023)
    assert isinstance(figs[0], Figure)
    assert list(figs[0].to_dict()) == FIELDS


def test_dataframe_is_typed():
    df = to_dataframe(extract_text("投资58.5万元，村医298名。"))
    assert df["value"].dtype == "float64"
    assert str(df["unit"].dtype) == "category"
    assert list(df.columns) == FIELDS


def test_run_writes_all_tables_and_keeps_going(tmp_path):
    out = tmp_path / "out"
    summary = run([str(_archive(tmp_path))], out)
    assert summary.documents == 4 and len(summary.failed) == 2 and summary.figures == 3
    rows = [json.loads(l) for l in (out / "figures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["doc"] for r in rows) == ["b.txt", "county/a.txt", "county/a.txt"]
    assert (out / "figures.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out / "figures.csv", encoding="utf-8-sig") as f:
        assert next(csv.reader(f)) == FIELDS
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(docs.columns)[:8] == ["path", "encoding", "characters", "title", "year", "figures",
                                      "status", "error"]
    by_path = docs.set_index("path")
    assert by_path.loc["b.txt", "encoding"] == "gb18030"
    assert by_path.loc["empty.txt", "error"] == "empty file"
    assert "binary" in by_path.loc["image.txt", "error"]
    xlsx = pd.read_excel(out / "figures.xlsx", sheet_name=None)
    assert set(xlsx) == {"figures", "documents"} and len(xlsx["figures"]) == 3


def test_cli_exit_status_and_summary(tmp_path):
    src = _archive(tmp_path)
    res = subprocess.run([sys.executable, str(ROOT / "run_extract.py"), "run", str(src),
                          "--out", str(tmp_path / "out"), "--no-progress"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 1
    assert "4 files: 2 read, 2 failed; 3 figures" in res.stdout
    assert "empty.txt: empty file" in res.stderr
    ok = subprocess.run([sys.executable, str(ROOT / "run_extract.py"), "run", str(src / "county"),
                         "--out", str(tmp_path / "ok")], capture_output=True, text=True)
    assert ok.returncode == 0


def test_cli_help():
    res = subprocess.run([sys.executable, str(ROOT / "run_extract.py"), "--help"],
                         capture_output=True, text=True)
    assert res.returncode == 0 and "run" in res.stdout


def test_control_characters_do_not_break_the_workbook(tmp_path):
    (tmp_path / "a.txt").write_text("东安县卫生健康局2023年工作总结\n全县共有村医298名\x0b\x01，签约率达99.67%。"
                                    "东安县……东安县……", encoding="utf-8")
    summary = run([str(tmp_path / "a.txt")], tmp_path / "out", incremental=False)
    assert summary.ok and summary.figures == 2
    sheet = pd.read_excel(tmp_path / "out" / "figures.xlsx")
    assert sheet["sentence"].tolist()[0] == "全县共有村医298名，签约率达99.67%。"
    assert sheet["value"].tolist() == [298, 99.67]
    # a sentence keeps no control character anywhere (JSON Lines too); offsets still count them
    first = json.loads((tmp_path / "out" / "figures.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["sentence"] == "全县共有村医298名，签约率达99.67%。" and first["start"] == 24


def test_a_workbook_that_cannot_be_saved_is_reported_and_the_rest_kept(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("东安县2023年工作总结\n全县共有村医298名。东安县……东安县……",
                                           encoding="utf-8")
    (tmp_path / "out" / "figures.xlsx").mkdir(parents=True)     # a folder where the file should go
    summary = run([str(tmp_path / "in")], tmp_path / "out")
    assert not summary.ok and summary.output_errors[0].startswith("figures.xlsx not written: ")
    assert json.loads((tmp_path / "out" / "figures.jsonl").read_text(encoding="utf-8"))["value"] == 298
    assert pd.read_parquet(tmp_path / "out" / "figures.parquet")["value"].tolist() == [298]
    assert not (tmp_path / "out" / ".manifest.json").exists()     # the next run writes it all again


def test_a_killed_workbook_writer_does_not_stop_the_run(tmp_path, monkeypatch):
    import extract.workbook as workbook
    real = workbook.WorkbookWriter.add

    def add_then_die(self, figures, document):
        real(self, figures, document)
        self._proc.kill()
        self._proc.join()

    monkeypatch.setattr(workbook.WorkbookWriter, "add", add_then_die)
    src = tmp_path / "in"
    src.mkdir()
    for county in ("东安县", "双牌县"):
        (src / f"{county}.txt").write_text(f"{county}2023年工作总结\n全县共有村医298名。{county}……{county}……",
                                           encoding="utf-8")
    summary = run([str(src)], tmp_path / "out", incremental=False)
    assert summary.documents == 2 and summary.figures == 2
    assert summary.output_errors and summary.output_errors[0].startswith("figures.xlsx not written")
    assert len(pd.read_parquet(tmp_path / "out" / "figures.parquet")) == 2


@pytest.mark.parametrize("text, safe", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-15.4", "-15.4"), ("+3%", "+3%"), ("全县共有村医298名", "全县共有村医298名"),
    ("牛奶产量 4.32\f万吨", "牛奶产量 4.32万吨"), (12.5, 12.5), (None, None),
])
def test_every_cell_is_safe_for_a_spreadsheet(text, safe):
    from extract.cells import cell_text
    assert cell_text(text) == safe
