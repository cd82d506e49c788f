"""The zoo of bad inputs: each case a small bad file beside a good report, run as a batch; the bad
file gets its one row in documents.csv with the reason, and the good one is still fully read."""
import csv
import io
import json
import os
import socket
import subprocess
import sys
import zipfile
import zlib

import pytest

from conftest import ROOT
from extract.batch import run
from extract.reading import decode_text
from extract.segment import MAX_SENTENCE, segment

GOOD = "东安县2023年政府工作报告\n全县地区生产总值增长5.2%，达到120亿元。"
GOOD_VALUES = {5.2, 120e8}


def batch(inputs, out):
    """Run the batch; its documents.csv rows by path, and the figures by document."""
    summary = run([str(i) for i in inputs], out, jobs=1)
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        rows = {r["path"]: r for r in csv.DictReader(f)}
    figures = {}
    with open(out / "figures.jsonl", encoding="utf-8") as f:
        for line in f:
            fig = json.loads(line)
            figures.setdefault(fig["doc"], []).append(fig)
    assert summary.documents == len(rows)
    return rows, figures


def folder_with_good(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    return src


def assert_good_read(rows, figures, name="good.txt"):
    assert rows[name]["status"] == "ok"
    assert {f["value"] for f in figures[name]} == GOOD_VALUES


def docx_bytes(paragraphs):
    import docx
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def inflating_docx(xml_bytes):
    """A Word document whose document.xml holds `xml_bytes` more of one repeated paragraph."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes(["东安县2023年工作总结"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                para = "<w:p><w:r><w:t>增长5.2%</w:t></w:r></w:p>".encode()
                at = data.rfind(b"<w:sectPr")
                data = data[:at] + para * (xml_bytes // len(para)) + data[at:]
            z.writestr(info.filename, data)
    return out.getvalue()


def pdf_with_stream(content: bytes) -> bytes:
    """A one-page PDF whose page content is `content`, Flate-compressed."""
    comp = zlib.compress(content, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(comp), comp)]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (i, o)
    xref = len(pdf)
    pdf += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(pdf)


def bind_socket(path):
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()


def truncated_zip(path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", GOOD * 50)
    path.write_bytes(buf.getvalue()[:60])


# name in the folder, how to make it, expected status, the reason's start
ZOO = [
    ("empty.txt", lambda p: p.write_bytes(b""), "failed", "empty file"),
    ("binary.txt", lambda p: p.write_bytes(bytes(range(256)) * 8), "failed", "binary file, not text"),
    ("empty.zip", lambda p: zipfile.ZipFile(p, "w").close(), "failed", "empty zip: no files to read in it"),
    ("cut.zip", truncated_zip, "failed", "corrupt zip"),
    ("cut.docx", lambda p: p.write_bytes(docx_bytes(["全县增长5.2%。"])[:300]), "failed", "damaged Word document"),
    ("cut.pdf", lambda p: p.write_bytes(pdf_with_stream(b"BT ET")[:120]), "failed", "damaged PDF"),
    ("dangling.txt", lambda p: os.symlink("nowhere.txt", p), "failed",
     "dangling symbolic link (to nowhere.txt, which does not exist)"),
    ("loop.txt", lambda p: os.symlink("loop.txt", p), "failed", "symbolic link loop"),
    ("pipe.txt", os.mkfifo, "failed", "not a regular file (a FIFO): skipped, not opened"),
    ("sock", bind_socket, "failed", "not a regular file (a socket): skipped, not opened"),
    # a few hundred KB that would inflate to far more: refused by its ratio, never parsed
    ("bomb.docx", lambda p: p.write_bytes(inflating_docx(2 * 1024 * 1024)), "failed",
     "Word document part refused, suspicious compression ratio: word/document.xml"),
    ("bomb.pdf", lambda p: p.write_bytes(pdf_with_stream(b" " * (4 * 1024 * 1024))), "failed",
     "PDF refused: a stream of"),
]


@pytest.mark.parametrize("name,make,status,reason", ZOO, ids=[z[0] for z in ZOO])
def test_bad_input_gets_its_row_and_the_good_file_is_read(tmp_path, name, make, status, reason):
    src = folder_with_good(tmp_path)
    make(src / name)
    rows, figures = batch([src], tmp_path / "out")
    assert set(rows) == {"good.txt", name}
    assert rows[name]["status"] == status
    assert rows[name]["error"].startswith(reason), rows[name]["error"]
    assert_good_read(rows, figures)


def test_every_bad_input_of_one_folder_is_one_row(tmp_path):
    src = folder_with_good(tmp_path)
    for name, make, *_ in ZOO:
        make(src / name)
    rows, figures = batch([src], tmp_path / "out")
    assert set(rows) == {"good.txt"} | {z[0] for z in ZOO}
    assert [r for r in rows.values() if r["status"] == "ok"] == [rows["good.txt"]]
    assert_good_read(rows, figures)


def test_dev_zero_on_the_command_line_is_skipped(tmp_path):
    src = folder_with_good(tmp_path)
    rows, figures = batch([src / "good.txt", "/dev/zero"], tmp_path / "out")
    assert rows["zero"]["error"] == "not a regular file (a character device): skipped, not opened"
    assert_good_read(rows, figures)


def test_fifo_on_the_command_line_does_not_hang(tmp_path):
    src = folder_with_good(tmp_path)
    os.mkfifo(src / "pipe.txt")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(ROOT / "run_extract.py"), "run", str(src / "pipe.txt"),
                           str(src / "good.txt"), "--out", str(out), "--jobs", "1", "--no-progress"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "failed: pipe.txt: not a regular file (a FIFO): skipped, not opened" in done.stderr
    assert "Traceback" not in done.stderr
    assert "2 files: 1 read, 1 failed; 2 figures" in done.stdout


def test_file_names_that_are_not_utf8_are_read_and_written_printable(tmp_path):
    src = folder_with_good(tmp_path)
    for raw in ("东安".encode("gbk") + b".txt", b"\xff\xfe.txt"):
        with open(os.path.join(os.fsencode(src), raw), "wb") as f:
            f.write(GOOD.encode())
    rows, figures = batch([src], tmp_path / "out")
    assert set(rows) == {"good.txt", "东安.txt", "\\xff\\xfe.txt"}
    for name in rows:
        assert_good_read(rows, figures, name)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_unreadable_file(tmp_path):
    src = folder_with_good(tmp_path)
    (src / "locked.txt").write_text(GOOD, encoding="utf-8")
    os.chmod(src / "locked.txt", 0)
    rows, figures = batch([src], tmp_path / "out")
    assert rows["locked.txt"]["error"] == "unreadable: Permission denied"
    assert_good_read(rows, figures)


def loop_tree(tmp_path):
    src = folder_with_good(tmp_path)
    (src / "sub").mkdir()
    (src / "sub" / "more.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("..", src / "sub" / "up")           # sub/up/sub/up/… for ever
    os.symlink(".", src / "sub" / "here")
    return src


def test_symlink_loop_in_a_folder_reads_each_file_once(tmp_path):
    src = loop_tree(tmp_path)
    rows, figures = batch([src], tmp_path / "out")
    assert set(rows) == {"good.txt", "sub/more.txt"}
    assert_good_read(rows, figures)


def test_globstar_over_a_symlink_loop_ends(tmp_path):
    src = loop_tree(tmp_path)
    rows, figures = batch([f"{src}/**/*.txt"], tmp_path / "out")
    assert set(rows) == {"good.txt", "sub/more.txt"}
    assert_good_read(rows, figures, "sub/more.txt")


def test_output_folder_inside_the_input_is_not_read_back(tmp_path):
    src = folder_with_good(tmp_path)
    batch([src], src / "results")
    (src / "new.txt").write_text(GOOD, encoding="utf-8")    # a second run has work to do
    rows, figures = batch([src], src / "results")
    assert set(rows) == {"good.txt", "new.txt"}
    assert_good_read(rows, figures)


def test_utf8_with_a_few_bad_bytes_keeps_the_rest(tmp_path):
    src = folder_with_good(tmp_path)
    text = "一、总体情况\n" + "全县地区生产总值增长5.2%，达到120亿元。" * 5
    (src / "damaged.txt").write_bytes(text.encode() + b"\xff\xfe\x80\x81" + "财政收入10亿元。".encode())
    rows, figures = batch([src], tmp_path / "out")
    row = rows["damaged.txt"]
    assert (row["status"], row["encoding"], row["replaced_characters"]) == ("ok", "utf-8", "4")
    assert 10e8 in {f["value"] for f in figures["damaged.txt"]}      # after the bad bytes
    assert rows["good.txt"]["replaced_characters"] == "0"
    assert_good_read(rows, figures)


def test_encoding_names_as_users_know_them():
    assert decode_text("全县增长5.2%".encode("utf-16-le"))[1] in ("utf-16", "utf-16-le")
    assert decode_text(b"abc \xe5\x85\xa8\xe5\x8e\xbf" * 30 + b"\xff")[1] == "utf-8"


def test_text_without_sentence_ends_is_cut_into_bounded_pieces(tmp_path):
    src = folder_with_good(tmp_path)
    text = "地区生产总值增长5.2%，财政收入达到120亿元，" * 600        # 16,800 characters, no 。
    (src / "run-on.txt").write_text(text, encoding="utf-8")
    rows, figures = batch([src], tmp_path / "out")
    found = figures["run-on.txt"]
    assert len(found) == 1200 and rows["run-on.txt"]["status"] == "ok"
    for f in found:
        assert text[f["start"]:f["end"]] == f["surface"]
        assert f["surface"] in f["sentence"] and len(f["sentence"]) <= MAX_SENTENCE
    assert_good_read(rows, figures)


def test_an_overlong_sentence_is_cut_after_a_weak_break():
    text = ("甲" * 100 + "，") * 10 + "乙" * (MAX_SENTENCE * 2)
    pieces = [text[s.start:s.end] for s in segment(text).sentences]
    assert pieces[0].endswith("，") and len(pieces[0]) <= MAX_SENTENCE
    assert "".join(pieces) == text
    assert max(map(len, pieces)) == MAX_SENTENCE                    # no break: cut at the limit


def test_web_page_with_a_huge_inline_script_keeps_its_text(tmp_path):
    src = folder_with_good(tmp_path)
    page = ('<html><head><meta charset="utf-8"><title>东安县2023年政府工作报告</title><script>var x="'
            + "a" * 21_000_000 + '";</script></head><body><h1>东安县2023年政府工作报告</h1><div><p>'
            "全县地区生产总值增长5.2%，达到120亿元，财政收入完成10亿元。</p></div></body></html>")
    (src / "page.html").write_text(page, encoding="utf-8")
    rows, figures = batch([src], tmp_path / "out")
    assert rows["page.html"]["status"] == "ok"
    assert {5.2, 120e8, 10e8} <= {f["value"] for f in figures["page.html"]}
    assert_good_read(rows, figures)
