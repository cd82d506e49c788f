"""The labels are sound, and the scorer counts what it says it counts."""
import json

import pytest

from evaluation import check_labels
from evaluation.labels import LABELS, load
from evaluation.score import char_f1, score
from extract.model import KINDS, QUALIFIERS, ROLES


def test_every_label_is_found_in_its_text():
    assert check_labels.main([]) == 0


@pytest.mark.parametrize("doc", sorted(p.stem for p in LABELS.glob("*.jsonl")))
def test_label_fields_are_valid(doc):
    labels, problems = load(doc)
    assert not problems
    for l in labels:
        assert l.kind in KINDS and l.qualifier in QUALIFIERS and l.role in ROLES, l.record
        assert (l.value_max is not None) == (l.qualifier == "range"), l.record
        assert isinstance(l.optional, bool)


@pytest.mark.parametrize("a, b, f1", [
    ("县域就诊率", "县域就诊率", 1.0), ("县域内就诊率", "县域就诊率", 10 / 11), ("村医", "乡镇卫生院", 0.0),
    ("", "", 1.0), ("村医", "", 0.0)])
def test_subject_agreement_is_character_f1(a, b, f1):
    assert char_f1(a, b) == pytest.approx(f1)


def _fixture(tmp_path):
    samples, labels = tmp_path / "samples", tmp_path / "labels"
    samples.mkdir()
    labels.mkdir()
    (samples / "d.txt").write_text("全县共有村医298名，投资58.5万元，至少有一名村医。", encoding="utf-8")
    base = {"value_max": None, "kind": "count", "qualifier": "exact", "role": "value",
            "period": "2023年", "note": ""}
    recs = [
        dict(base, surface="298名", context="村医298名", value=298, unit="人", subject="村医", optional=False),
        dict(base, surface="58.5万元", context="投资58.5万元", value=585000, unit="元", kind="money",
             subject="投资", optional=False),
        dict(base, surface="一名", context="有一名村医", value=1, unit="人", subject="村医", optional=True),
    ]
    (labels / "d.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    return samples, labels


def test_scores_count_hits_misses_and_wrong_values(tmp_path):
    samples, labels = _fixture(tmp_path)
    preds = [
        {"doc": "d.txt", "start": 6, "end": 10, "value": 298, "unit": "人", "subject": "村医", "period": "2023年"},
        {"doc": "d.txt", "start": 13, "end": 19, "value": 58.5, "unit": "万元", "subject": "资金", "period": "2023年"},
        {"doc": "d.txt", "start": 0, "end": 2, "value": 1, "unit": "", "subject": "", "period": ""},     # wrong
        {"doc": "d.txt", "start": 23, "end": 25, "value": 1, "unit": "人", "subject": "", "period": ""},  # optional
    ]
    r = score(preds, labels, samples)["overall"]
    assert (r["tp"], r["fp"], r["fn"]) == (2, 1, 0)
    assert r["precision"] == pytest.approx(2 / 3, abs=1e-4) and r["recall"] == 1.0
    # strict: only 298 has the right value (58.5 was not scaled to 元)
    assert r["strict_f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2), abs=1e-4)
    assert r["unit_accuracy"] == 0.5 and r["period_accuracy"] == 1.0
    assert r["subject_agreement"] == pytest.approx((1 + 0.5) / 2, abs=1e-4)  # 资金 vs 投资: 0.5


def test_missed_label_is_listed_with_its_context(tmp_path):
    samples, labels = _fixture(tmp_path)
    r = score([], labels, samples)
    assert r["overall"]["fn"] == 2
    assert r["errors"]["false_negatives"][0]["context"] == "全县共有村医【298名】，投资58.5万元，至少有一名村医。"


def test_baselines_produce_scorable_records():
    from evaluation.baselines import jionlp_records, recognizers_records
    text = "2023年投资58.5万元，县域就诊率达84.11%。"
    rec = {r["surface"]: r for r in recognizers_records(text, "d.txt")}
    assert rec["58.5万元"]["value"] == 585000 and rec["84.11%"]["value"] == 84.11
    assert text[rec["58.5万元"]["start"]:rec["58.5万元"]["end"]] == "58.5万元"
    money = jionlp_records(text, "d.txt")
    assert [(m["surface"], m["value"]) for m in money] == [("58.5万元", 585000)]


@pytest.fixture(scope="module")
def dev2_texts(tmp_path_factory):
    from evaluation import dev2
    if not dev2.available():
        pytest.skip("the second development set's sources (../shared) are not here")
    return dev2.write_excerpts(tmp_path_factory.mktemp("dev2"))


def test_second_set_labels_are_placed_and_valid(dev2_texts):
    from evaluation import dev2
    docs = sorted(p.stem for p in (dev2.DEV2 / "labels").glob("*.jsonl"))
    assert len(docs) >= 30
    total = 0
    for doc in docs:
        labels, problems = load(doc, dev2.DEV2 / "labels", dev2_texts)
        assert not problems, problems
        for l in labels:
            assert l.kind in KINDS and l.qualifier in QUALIFIERS and l.role in ROLES, l.record
            assert (l.value_max is not None) == (l.qualifier == "range"), l.record
        total += len(labels)
    assert total >= 1000


def test_subject_candidates_are_spans_around_the_number():
    from evaluation.subject_model import _candidates
    cands = dict(_candidates("全县共有村医298名，县域就诊率达84.11%。", "84.11%", "县域就诊率"))
    assert "县域就诊率" in cands and cands["县域就诊率"][0] == 1.0     # the rule's choice, flagged
    assert any(c.endswith("就诊率达") or c == "达" for c in cands)       # word-aligned left spans
