"""Zip archives: an archive in, (member name, bytes or FormatError) pairs out.  Every archive is
built here, with the standard library (names in GBK bytes, a real ZipCrypto member and a
200 MB bomb included); nothing is downloaded."""
import io
import stat
import struct
import zipfile
import zlib

import pytest

from extract.formats import FormatError
from extract.formats.archive import iter_zip

REPORT = "全县共有村医298名，签约率达99.67%。\n".encode("utf-8")


def gbk_named_zip(members):
    """A zip whose members named in `members` as ("gbk", name, data[, extra]) have their names
    written as GB18030 bytes without the UTF-8 flag, as archivers on Chinese Windows do; other
    members are (name or ZipInfo, data), written by zipfile as usual.  zipfile writes any
    non-ASCII name as flagged UTF-8, so a GBK name goes in as an ASCII placeholder of the same
    byte length, swapped for the GBK bytes afterwards (no checksum covers names)."""
    buf = io.BytesIO()
    swaps = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, member in enumerate(members):
            if member[0] != "gbk":
                zf.writestr(*member)
                continue
            _, name, data, *extra = member
            raw = name.encode("gb18030")
            placeholder = f"@{i:03d}@".ljust(len(raw), "#")
            info = zipfile.ZipInfo(placeholder)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.extra = extra[0] if extra else b""
            zf.writestr(info, data)
            swaps.append((placeholder.encode("ascii"), raw))
    out = buf.getvalue()
    for placeholder, raw in swaps:
        assert out.count(placeholder) == 2          # local header and central directory
        out = out.replace(placeholder, raw)
    return out


def test_gbk_name_without_utf8_flag_is_recovered():
    data = gbk_named_zip([("gbk", "2023年卫健局工作总结.txt", REPORT)])
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert not info.flag_bits & 0x800
    assert info.filename == "2023─Ω╬└╜í╛╓╣ñ╫≈╫▄╜ß.txt"       # how zipfile reads it (CP437)
    assert list(iter_zip(data)) == [("2023年卫健局工作总结.txt", REPORT)]


def mixed_zip(path):
    """GBK-named members inside a folder, a UTF-8-named member, folders, macOS and Windows
    junk, a symbolic link, Windows backslashes."""
    link = zipfile.ZipInfo("链接.txt")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path.write_bytes(gbk_named_zip([
        ("gbk", "报告/2022年工作总结.txt", b"2022"),
        ("报告/", b""),                                            # a folder
        ("gbk", "报告/2023年工作总结.htm", b"2023"),
        ("政府工作报告（UTF-8）.txt", REPORT),                      # flagged UTF-8
        ("__MACOSX/报告/._2023年工作总结.htm", b"\x00\x05\x16\x07"),
        ("报告/.DS_Store", b"\x00\x00\x00\x01Bud1"),
        ("报告/Thumbs.db", b"\xd0\xcf\x11\xe0"),
        ("~$工作总结.docx", b"lock"),
        (".hidden/notes.txt", b"hidden"),
        (link, b"/etc/passwd"),
        ("gbk", "windows\\子目录\\附件.txt", b"backslashes"),
    ]))
    return path


def test_members_in_order_junk_skipped(tmp_path):
    path = mixed_zip(tmp_path / "reports.zip")
    assert list(iter_zip(path)) == [
        ("报告/2022年工作总结.txt", b"2022"),
        ("报告/2023年工作总结.htm", b"2023"),
        ("政府工作报告（UTF-8）.txt", REPORT),
        ("windows/子目录/附件.txt", b"backslashes"),
    ]


def test_bytes_and_file_objects_are_read_too(tmp_path):
    path = mixed_zip(tmp_path / "reports.zip")
    expected = list(iter_zip(path))
    assert list(iter_zip(path.read_bytes())) == expected
    with open(path, "rb") as f:
        assert list(iter_zip(f)) == expected


def test_unicode_path_extra_field_names_the_member():
    """7-Zip and WinRAR write a legacy-encoded name plus an Info-ZIP Unicode Path field (0x7075)
    holding the UTF-8 name: the field wins."""
    raw = "卫生.txt".encode("gb18030")
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw)) + "卫生健康工作总结.txt".encode("utf-8")
    extra = struct.pack("<HH", 0x7075, len(body)) + body
    data = gbk_named_zip([("gbk", "卫生.txt", b"x", extra)])
    assert list(iter_zip(data)) == [("卫生健康工作总结.txt", b"x")]


# --- zip bombs --------------------------------------------------------------------------------

def deflated_member(zf, name, total, chunk=b"\x00" * (1 << 20)):
    """Write `total` bytes of `chunk` repeated, streaming, so the test never holds them."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w") as f:
        for _ in range(total // len(chunk)):
            f.write(chunk)


@pytest.fixture(scope="module")
def bomb_zip(tmp_path_factory):
    """200 MB of zeros in a 200 KB member, then an ordinary report."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        deflated_member(zf, "全年数据.txt", 200 * 1024 * 1024)
        zf.writestr("工作总结.txt", REPORT)
    assert path.stat().st_size < 300_000
    return path


def test_bomb_refused_by_declared_size_and_next_member_still_read(bomb_zip):
    (name, error), second = list(iter_zip(bomb_zip))
    assert name == "全年数据.txt"
    assert isinstance(error, FormatError)
    assert str(error) == ("zip member too large: 全年数据.txt: 209715200 bytes uncompressed "
                          "(limit 52428800)")
    assert second == ("工作总结.txt", REPORT)


def test_bomb_refused_by_ratio_when_size_is_allowed(bomb_zip):
    (name, error), second = list(iter_zip(bomb_zip, max_member_bytes=10**9,
                                          max_total_bytes=10**9))
    assert "suspicious compression ratio: 全年数据.txt: 209715200 bytes from" in str(error)
    assert "limit 200:1" in str(error)
    assert second == ("工作总结.txt", REPORT)


def test_small_repetitive_member_is_no_bomb():
    """Under 1 MiB a high ratio is harmless: a page of spaces compresses 1000:1."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("空白.txt", b" " * 500_000)
    assert list(iter_zip(buf.getvalue())) == [("空白.txt", b" " * 500_000)]


def test_member_bigger_than_declared_is_stopped():
    """The central directory says 1000 bytes; the data inflates to 3 MB.  Reading stops at the
    declared size and the member is refused; the next one is read."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        deflated_member(zf, "说谎.txt", 3 * 1024 * 1024, chunk=b"0123456789abcdef" * 4096)
        zf.filelist[-1].file_size = 1000          # what close() writes in the directory
        zf.writestr("工作总结.txt", REPORT)
    (name, error), second = list(iter_zip(buf.getvalue()))
    assert name == "说谎.txt"
    assert isinstance(error, FormatError)
    assert str(error).startswith("corrupt zip member: 说谎.txt: Bad CRC-32")
    assert "not the declared size" in str(error)
    assert second == ("工作总结.txt", REPORT)


def test_total_limit_refuses_members_past_it_but_not_smaller_ones_after():
    buf = io.BytesIO()
    block = bytes(range(256)) * 1600                  # 409,600 bytes, barely compressible
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("一.bin", "二.bin", "三.bin"):
            zf.writestr(name, block)
        zf.writestr("四.txt", REPORT)
    got = list(iter_zip(buf.getvalue(), max_total_bytes=1_000_000))
    assert [(n, d) for n, d in got[:2]] == [("一.bin", block), ("二.bin", block)]
    name, error = got[2]
    assert name == "三.bin" and isinstance(error, FormatError)
    assert str(error) == ("zip member refused: 三.bin: 409600 bytes would pass the archive's "
                          "total limit (180800 bytes left)")
    assert got[3] == ("四.txt", REPORT)


def test_too_many_members():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(5):
            zf.writestr(f"{i}.txt", b"x")
    with pytest.raises(FormatError, match=r"^too many members: 5 \(limit 3\)$"):
        list(iter_zip(buf.getvalue(), max_members=3))


# --- damaged and encrypted archives -------------------------------------------------------------

def plain_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("工作总结.txt", REPORT * 50)
        zf.writestr("附件.txt", REPORT)
    return buf.getvalue()


@pytest.mark.parametrize("data", [
    pytest.param(plain_zip()[: len(plain_zip()) // 2], id="truncated"),
    pytest.param(plain_zip()[:-10], id="end-record-cut"),
    pytest.param(b"Rar!\x1a\x07\x00" + bytes(200), id="not-a-zip"),
    pytest.param(b"", id="empty"),
])
def test_corrupt_zip(data):
    with pytest.raises(FormatError, match="^corrupt zip: "):
        list(iter_zip(data))


def test_missing_file(tmp_path):
    with pytest.raises(FormatError, match="^unreadable: "):
        list(iter_zip(tmp_path / "nowhere.zip"))


def test_damaged_member_data_does_not_stop_the_rest():
    data = bytearray(plain_zip())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode("utf-8"))
    for i in range(start + 5, start + 25):
        data[i] ^= 0xFF
    (name, error), second = list(iter_zip(bytes(data)))
    assert name == "工作总结.txt"
    assert isinstance(error, FormatError) and str(error).startswith("corrupt zip member: 工作总结.txt")
    assert second == ("附件.txt", REPORT)


def _zipcrypto(data: bytes, password: bytes, check_byte: int) -> bytes:
    """Traditional PKWARE encryption (APPNOTE 6.1), which zipfile can read but not write."""
    def crc(k, b):
        return zlib.crc32(bytes([b]), k ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(b):
        keys[0] = crc(keys[0], b)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc(keys[2], keys[1] >> 24)

    for b in password:
        update(b)
    out = bytearray()
    for p in bytes(range(11)) + bytes([check_byte]) + data:
        t = (keys[2] | 2) & 0xFFFF
        out.append(p ^ (((t * (t ^ 1)) >> 8) & 0xFF))
        update(p)
    return bytes(out)


def stored_zip(members):
    """A zip written by hand: (name, data, password or None) members, stored, the encrypted ones
    with ZipCrypto."""
    body, central = bytearray(), bytearray()
    for name, data, password in members:
        raw = name.encode("utf-8")
        crc = zlib.crc32(data)
        flags = 0x800 | (0x1 if password else 0)
        payload = _zipcrypto(data, password, crc >> 24) if password else data
        offset = len(body)
        body += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, 0, 0, 0x21,
                            crc, len(payload), len(data), len(raw), 0) + raw + payload
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, flags, 0, 0,
                               0x21, crc, len(payload), len(data), len(raw), 0, 0, 0, 0, 0,
                               offset) + raw
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(central), len(body), 0)
    return bytes(body + central + end)


def test_encrypted_member_refused_others_read():
    data = stored_zip([("机密.txt", REPORT, b"secret"), ("公开.txt", REPORT, None)])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:          # the fixture is a real encrypted zip
        assert zf.read("机密.txt", pwd=b"secret") == REPORT
    (name, error), second = list(iter_zip(data))
    assert name == "机密.txt"
    assert isinstance(error, FormatError) and str(error) == "encrypted zip member: 机密.txt"
    assert second == ("公开.txt", REPORT)


def test_wholly_encrypted_zip_raises():
    data = stored_zip([("机密.txt", REPORT, b"secret"), ("绝密.txt", REPORT, b"secret")])
    with pytest.raises(FormatError, match=r"^encrypted zip member: 机密.txt, 绝密.txt "
                                          r"\(every file in the archive needs a password\)$"):
        list(iter_zip(data))


def test_aes_method_counts_as_encrypted():
    """WinZip AES members have compression method 99, whatever their flag bits say."""
    data = bytearray(stored_zip([("加密.txt", REPORT, None), ("公开.txt", REPORT, None)]))
    at = data.find(b"PK\x01\x02")                        # first central directory entry
    struct.pack_into("<H", data, at + 10, 99)
    (name, error), second = list(iter_zip(bytes(data)))
    assert str(error) == "encrypted zip member: 加密.txt"
    assert second == ("公开.txt", REPORT)
