"""Small helpers so that tests read as: a sentence in, the expected figures out."""
from extract import extract_text


def figures(text, year=2023):
    return extract_text(text, year=year)


def one(text, year=2023):
    """The single figure of `text` (the test fails if there are more or fewer)."""
    found = figures(text, year)
    assert len(found) == 1, f"expected one figure in {text!r}, got {[f.surface for f in found]}"
    return found[0]


def surfaces(text, year=2023):
    return [f.surface for f in figures(text, year)]
