"""Reading archives as they are: encodings, bad files, folders and globs."""
import codecs

import pytest

from conftest import SHARED
from extract import ReadError, extract_file, process_file
from extract.reading import decode, expand_inputs

SENTENCE = "全县共有村医298名，签约率达99.67%。"


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),
    ("gb18030", b""),
    ("gbk", b""),
])
def test_encodings(tmp_path, encoding, prefix):
    p = tmp_path / "report.txt"
    p.write_bytes(prefix + (SENTENCE * 20).encode(encoding))
    figs = extract_file(p)
    assert [f.surface for f in figs[:2]] == ["298名", "99.67%"]


@pytest.mark.parametrize("name, characters", [
    ("hailar_2016_gb18030.txt", 17968), ("hailar_2018_gb18030.txt", 13804)])
def test_real_gb18030_files(name, characters):
    path = SHARED / "corpora" / "encodings" / name
    if not path.exists():
        pytest.skip("shared corpora not present")
    text, enc = decode(path.read_bytes())
    assert enc == "gb18030"
    assert len(text) == characters
    assert "海拉尔区" in text[:60]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
])
def test_bad_files_get_a_reason(tmp_path, data, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    doc = process_file(p)
    assert doc.status == "failed" and reason in doc.error
    with pytest.raises(ReadError, match=reason):
        extract_file(p)


def test_truncated_utf8_keeps_the_text(tmp_path):
    p = tmp_path / "cut.txt"
    p.write_bytes((SENTENCE * 3).encode("utf-8")[:-1])   # cut inside the final "。"
    doc = process_file(p)
    assert doc.status == "ok" and len(doc.figures) == 6


def test_whitespace_only_file(tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text("  \n\n ", encoding="utf-8")
    assert "no text" in process_file(p).error


def test_unsupported_type_is_named(tmp_path):
    p = tmp_path / "report.xyz"
    p.write_bytes(b"whatever")
    assert "unsupported file type '.xyz'" in process_file(p).error


def test_huge_file_is_refused(tmp_path, monkeypatch):
    import extract.reading as reading
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    p = tmp_path / "big.txt"
    p.write_text(SENTENCE * 20, encoding="utf-8")
    assert "too large" in process_file(p).error


def test_inputs_folders_recursive_and_globs(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for rel in ("a/one.txt", "a/b/two.txt", "a/b/three.md", "a/.hidden.txt"):
        (tmp_path / rel).write_text(SENTENCE, encoding="utf-8")
    files = sorted(p.relative_to(tmp_path).as_posix() for p, _ in expand_inputs([tmp_path / "a"]))
    assert files == ["a/b/three.md", "a/b/two.txt", "a/one.txt"]
    globbed = [p.name for p, root in expand_inputs([str(tmp_path / "a" / "**" / "*.txt")])]
    assert sorted(globbed) == ["one.txt", "two.txt"]


def test_short_gbk_is_not_mistaken_for_big5_or_korean():
    assert decode("投资58.5万元。".encode("gbk")) == ("投资58.5万元。", "gb18030")


def test_traditional_big5_stays_big5():
    text = "全縣共有村醫298名，簽約率達99.67%。衛生院門診人次增加。"
    assert decode(text.encode("big5")) == (text, "big5")
