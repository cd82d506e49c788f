"""The indicator catalog (patterns/indicators.yaml) is well formed: every entry has every field,
ids and aliases are unique, kinds come from the extractor's list and units fit the kind."""
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

PATTERNS = Path(__file__).resolve().parent.parent / "patterns"
FIELDS = ("id", "name", "aliases", "kind", "unit", "topic", "definition")
KINDS = {"money", "count", "percent", "rate", "measure", "duration", "other"}
TOPICS = {"基层卫生", "医疗服务", "公共卫生", "妇幼健康", "医疗保障", "健康扶贫与乡村振兴",
          "人口与计生", "卫生资源", "卫生经费", "经济与财政", "民生与社会"}
# Phrases that are part of too many unrelated subjects to be evidence for one indicator.
TOO_GENERIC = {"资金", "经费", "金额", "收入", "支出", "人数", "人次", "户数", "数量", "总数", "率",
               "比例", "占比", "覆盖率", "合格率", "增长", "增速", "其中", "合计", "累计", "达到",
               "标准", "人员", "人口", "医生", "机构", "建设", "完成"}
# Base units that patterns/units.yaml does not list yet but reports use (亿斤, 80岁).
EXTRA_UNITS = {"measure": {"斤"}, "duration": {"岁"}}


@pytest.fixture(scope="module")
def catalog():
    with open(PATTERNS / "indicators.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict) and isinstance(data.get("indicators"), list)
    return data["indicators"]


@pytest.fixture(scope="module")
def units():
    with open(PATTERNS / "units.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_enough_entries(catalog):
    assert len(catalog) >= 100


def test_every_field_present_and_typed(catalog):
    for entry in catalog:
        assert isinstance(entry, dict), entry
        missing = [k for k in FIELDS if k not in entry]
        assert not missing, f"{entry.get('id')}: missing {missing}"
        extra = set(entry) - set(FIELDS) - {"measures"}
        assert set(entry.get("measures", ["level"])) <= {"level", "growth"}, entry["id"]
        assert not extra, f"{entry['id']}: unknown fields {extra}"
        for key in ("id", "name", "kind", "topic", "definition"):
            assert isinstance(entry[key], str) and entry[key].strip(), f"{entry['id']}: {key}"
        assert "\n" not in entry["definition"].strip(), f"{entry['id']}: definition is one line"
        for key in ("aliases", "unit"):
            assert isinstance(entry[key], list) and entry[key], f"{entry['id']}: {key} is a list"
            assert all(isinstance(x, str) for x in entry[key]), f"{entry['id']}: {key} strings"
        assert all(a.strip() == a and a for a in entry["aliases"]), entry["id"]


def test_ids_unique_and_snake_case(catalog):
    ids = [e["id"] for e in catalog]
    dup = [k for k, n in Counter(ids).items() if n > 1]
    assert not dup, f"duplicate ids: {dup}"
    bad = [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", i)]
    assert not bad, f"ids not snake_case: {bad}"


def test_names_unique(catalog):
    dup = [k for k, n in Counter(e["name"] for e in catalog).items() if n > 1]
    assert not dup, f"duplicate names: {dup}"


def test_aliases_unique_across_indicators(catalog):
    owner = {}
    clashes = []
    for entry in catalog:
        assert len(set(entry["aliases"])) == len(entry["aliases"]), f"{entry['id']}: repeated alias"
        for alias in entry["aliases"]:
            if alias in owner and owner[alias] != entry["id"]:
                clashes.append((alias, owner[alias], entry["id"]))
            owner[alias] = entry["id"]
    assert not clashes, f"aliases shared by two indicators: {clashes}"
    # Nor may an alias be another indicator's canonical name.
    names = {e["name"]: e["id"] for e in catalog}
    taken = [(a, i, names[a]) for a, i in owner.items() if a in names and names[a] != i]
    assert not taken, f"aliases that are another indicator's name: {taken}"


def test_no_overly_generic_alias(catalog):
    bad = [(e["id"], a) for e in catalog for a in e["aliases"] if a in TOO_GENERIC or len(a) < 2]
    assert not bad, f"aliases too generic to be evidence: {bad}"


def test_kinds_and_topics(catalog):
    bad_kind = [(e["id"], e["kind"]) for e in catalog if e["kind"] not in KINDS]
    assert not bad_kind, bad_kind
    bad_topic = [(e["id"], e["topic"]) for e in catalog if e["topic"] not in TOPICS]
    assert not bad_topic, bad_topic


def test_units_fit_kind(catalog, units):
    allowed = {
        "count": set(units["count"]),
        "measure": set(units["measure"]) | EXTRA_UNITS["measure"],
        "duration": set(units["duration"]) | EXTRA_UNITS["duration"],
        "percent": set(units["percent"]),
    }
    bad = []
    for e in catalog:
        kind = e["kind"]
        for u in e["unit"]:
            if kind in allowed:
                ok = u in allowed[kind]
            elif kind == "money":
                ok = u.startswith("元")
            elif kind == "rate":
                ok = "/" in u and not u.startswith("元")
            else:  # other: a bare number or a ratio written without a unit
                ok = True
            if not ok:
                bad.append((e["id"], kind, u))
    assert not bad, f"units that do not fit the kind: {bad}"
