"""Parse numerals: Arabic (1,234 / 58.5 / full-width already normalized), Chinese (两 / 十四 /
一千二百 / 三万五千 / 百分之八十) and mixed (1.6万, 2.3亿)."""
from __future__ import annotations

import regex

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
             "陆": 6, "柒": 7, "捌": 8, "玖": 9}
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_LARGE)

ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
ARABIC_RE = regex.compile(ARABIC)


def parse_arabic(s: str) -> float:
    return float(s.replace(",", ""))


def scaled(value: float, scale: float) -> float:
    """value × scale without binary noise (2.3 × 1e8 is 230000000, not 229999999.99999997)."""
    return float(round(value * scale, 6))


def parse_chinese(s: str) -> float | None:
    """Value of a Chinese numeral, or None when it is not one ("十四" 14, "三万五千" 35000,
    "一千二百" 1200, "二〇二三" read digit by digit as 2023)."""
    if not s:
        return None
    if "点" in s:                   # 十一点八: digits after 点 are read one by one
        whole, _, frac = s.partition("点")
        w = parse_chinese(whole)
        if w is None or not frac or not all(c in CN_DIGITS for c in frac):
            return None
        return float(f"{int(w)}." + "".join(str(CN_DIGITS[c]) for c in frac))
    if all(c in CN_DIGITS for c in s):
        if len(s) == 1:
            return float(CN_DIGITS[s])
        return float("".join(str(CN_DIGITS[c]) for c in s))
    total = 0.0     # completed groups of 亿 / 万
    section = 0.0   # the current group below 万
    digit = None
    last_small = None
    zero = False    # a 零 means the next digit is in the units place ("一百零五" 105)
    for c in s:
        if c in CN_DIGITS:
            if digit is not None and CN_DIGITS[c] != 0 and digit != 0:
                return None  # two digits in a row ("三四") is a list, not a numeral
            digit = CN_DIGITS[c]
            if digit == 0:
                zero, digit = True, None
        elif c in CN_SMALL:
            unit = CN_SMALL[c]
            if last_small is not None and unit >= last_small and digit is None:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small, zero = None, unit, False
        elif c in CN_LARGE:
            unit = CN_LARGE[c]
            section += digit or 0
            if section == 0 and total == 0:
                section = 1
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, digit, last_small, zero = 0.0, None, None, False
        else:
            return None
    if digit is not None:
        # "三万五" means 35000: a trailing digit takes the place below the last unit
        if last_small and not zero:
            section += digit * last_small / 10
        elif total and not zero and s[-2] in CN_LARGE:
            total += digit * CN_LARGE[s[-2]] / 10
        else:
            section += digit
    return total + section


def parse_number(s: str) -> float | None:
    """An Arabic, Chinese or mixed numeral ("1.6万" 16000)."""
    s = s.strip()
    m = ARABIC_RE.fullmatch(s)
    if m:
        return parse_arabic(s)
    m = regex.fullmatch(rf"({ARABIC})([{''.join(CN_SMALL)}{''.join(CN_LARGE)}]+)", s)
    if m:
        scale = parse_chinese(m.group(2))
        return scaled(parse_arabic(m.group(1)), scale) if scale else None
    return parse_chinese(s)
