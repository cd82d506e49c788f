import pytest

from extract.numbers import parse_number


@pytest.mark.parametrize("written, value", [
    ("134", 134), ("1,234", 1234), ("58.5", 58.5), ("0.55", 0.55),
    ("两", 2), ("三", 3), ("十", 10), ("十四", 14), ("二十", 20), ("一百零五", 105),
    ("一千二百", 1200), ("两千", 2000), ("三万五千", 35000), ("三万五", 35000),
    ("十万", 100000), ("三百万", 3_000_000), ("一亿二千万", 120_000_000),
    ("1.6万", 16000), ("2.3亿", 230_000_000), ("65.30万", 653000),
])
def test_numerals(written, value):
    assert parse_number(written) == value


@pytest.mark.parametrize("written", ["", "万人", "多"])
def test_not_numerals(written):
    assert parse_number(written) is None
