"""Settle pass_a / pass_b into the final labels corpus/labels/<doc>.jsonl and write
corpus/labels/settle_report.md.

    python corpus/labels/settle_passes.py   (from the project root)

Every difference found by align_passes.align() must have a decision in DECISIONS
(keyed by document and character offset of the pass-A figure, or of the pass-B figure for
B-only records); the script stops if one is missing. Agreed records are copied unchanged
(except for the note additions listed in NOTE_ONLY).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from align_passes import FIELDS, align, diffs  # noqa: E402

KEEP_A, KEEP_B, DROP = "A", "B", "drop"

# ---- shared decisions -------------------------------------------------------------
TIER = dict(keep=KEEP_A, optional=True,
            reason="only A labels it; tier count after listed tiers (县乡村三级 / 乡、村两级) — "
                   "not a grade like 三级医院, not a table figure; readers disagree and the "
                   "rules do not settle it → kept as optional")
SINCE = "period: B; `自{}起/开始` written in the `…以来` form used for every open period (2014年以来, 2018年5月以来)"
NEAR10 = ("period: the sentence's stated period 近十年来 applies (A); written as explicit years "
          "counted back from the 2020 report year so counties/years compare")

DECISIONS: dict[str, dict[int, dict]] = {
    "000_d8ffdbef2fda4e3f": {
        1328: TIER,
        1877: dict(set={"subject": "脱产进修"}, reason="subject: B; the noun phrase of the clause, 脱产 tells the kind of study"),
        1996: dict(set={"subject": "业务骨干"}, reason="subject: B; shortest clear noun after the number (as 001 `6名业务骨干`)"),
        2941: dict(set={"subject": "脱产进修"}, reason="subject: B; same as the first occurrence"),
        3048: dict(set={"subject": "乡镇卫生院(含村卫生室)", "note": "预分配 (pre-allocated)"},
                   reason="subject: B; 预分配 is a verb, left out (rule: no verbs), kept in note"),
        3066: dict(set={"subject": "县直医疗卫生机构", "note": "预分配 (pre-allocated)"},
                   reason="subject: B; 预分配 is a verb, left out"),
        3301: dict(set={"period": "2018年1月以来", "note": "wage standard; text: 自2018年1月起"}, reason=SINCE.format("2018年1月")),
        3319: dict(set={"period": "2018年1月以来", "note": "per year of service; text: 自2018年1月起"}, reason=SINCE.format("2018年1月")),
        3441: dict(set={"period": "2018年1月以来", "note": "percentage in a formula: the 缴费基数 is 60% of this wage"},
                   reason=SINCE.format("2018年1月") + "; subject: A, the noun the % is taken of (as agreed `资金的50%`→资金)"),
        3447: dict(set={"period": "2018年1月以来", "note": "percentage in a formula: contribution = 20% of the 缴费基数"},
                   reason=SINCE.format("2018年1月") + "; subject: A, the noun the % is taken of"),
        3477: dict(set={"period": "2018年1月以来"}, reason=SINCE.format("2018年1月")),
        3586: dict(set={"period": "2023年3月以来", "subject": "住房公积金",
                        "note": "each of 财政配套 and 个人自筹 pays 100元/月; text: 自2023年3月开始"},
                   reason=SINCE.format("2023年3月") + "; subject: B, 住房公积金 is in the same sentence and names what is paid"),
        3618: dict(set={"unit": "元/年",
                        "note": "per person per year (written 元/年·人); no noun in this sentence names the payment, "
                                "subject 住房公积金 from the previous sentence"},
                   reason="unit: B; per-person-per-period standards take the period unit, as agreed `每人每月500元`→元/月 in 003; per person kept in note"),
        3634: dict(set={"subject": "县财政"}, reason="subject: A; 拨付 is a verb"),
        3776: dict(set={"period": "2020年以来"}, reason=SINCE.format("2020年")),
        3797: dict(set={"period": "2020年以来", "subject": "县财政"}, reason=SINCE.format("2020年") + "; subject: A, 投入 is a verb"),
        3816: dict(set={"period": "2020年以来"}, reason=SINCE.format("2020年")),
        3827: dict(set={"period": "2020年以来"}, reason=SINCE.format("2020年")),
        3872: dict(set={"subject": "县财政"}, reason="subject: A; 拨付 is a verb"),
        3888: dict(set={"subject": "医共体总院"}, reason="subject: A; 配套 is a verb (as agreed 360万元→医共体总院)"),
        3967: dict(set={"period": "2022年以来"}, reason=SINCE.format("2022年")),
        3977: dict(set={"period": "2022年以来"}, reason=SINCE.format("2022年")),
        4001: dict(set={"period": "2022年以来"}, reason=SINCE.format("2022年")),
        4355: dict(set={"period": "2023年截至目前"}, reason="period: B; the sentence starts 目前 (its 99.67% and 100% are 截至目前 in both passes)"),
        4369: dict(set={"subject": '四种慢性病的"应签尽签"率'},
                   reason="subject: A; the short form would not tell it from the 99.67% 应签尽签率 of the same sentence"),
        5241: dict(set={"period": "2023年截至目前"}, reason="period: B; stated 目前 in the clause"),
    },
    "001_6c16579432e92bd0": {
        295: TIER,
        303: dict(set={"subject": "医疗卫生机构"}, reason="subject: B; shortest clear, tiers are not part of what is counted"),
        420: dict(set={"subject": "病床数"}, reason="subject: A; per-1000 is in the unit 张/千人, as agreed 6.3人→卫生技术人员 (人/千人)"),
        435: dict(set={"subject": "人员编制"}, reason="subject: B; shortest clear (same choice as 003 编制)"),
        482: dict(set={}, keep=KEEP_A, reason="subject: A; 人均 alone reads as per resident, the area is per health worker"),
        1339: TIER,
        2029: dict(set={"subject": "健康管理员"}, reason="subject: B; shortest clear"),
        2244: dict(set={"period": "2011-2020年", "note": "count inside a standard (每所…均建有); text: 近十年来"}, reason=NEAR10),
        2260: dict(set={"period": "2011-2020年", "note": "floor area of the business building; text: 近十年来"}, reason=NEAR10),
        2272: dict(set={"period": "2011-2020年", "note": "floor area of the business building; text: 近十年来"}, reason=NEAR10),
        2279: dict(set={"period": "2011-2020年", "note": "count inside a standard (每所…均建有); text: 近十年来"}, reason=NEAR10),
        2306: dict(set={"period": "2011-2020年", "note": "text: 近十年来"}, reason=NEAR10),
        2324: dict(set={"period": "2011-2020年", "note": "text: 近十年来"}, reason=NEAR10),
        2339: dict(set={"period": "2011-2020年", "subject": "村卫生室面积", "note": "每所贫困村 – a standard met by all; text: 近十年来"},
                   reason=NEAR10 + "; subject: B, shortest clear"),
        2837: dict(set={"subject": "医疗技术专家骨干", "note": "常年下派, 对口帮扶"}, reason="subject: B; shortest clear, 对口帮扶 in note"),
        3451: dict(set={}, keep=KEEP_A, reason="subject: A; must differ from 309名 专业技术人员 of the same report (cf. 000 乡镇卫生院卫生专业技术人员)"),
        4038: dict(set={"period": "2018-2020年", "note": "text: 近3年 (3 years to the 2020 report year)"},
                   reason="period: B; 近3年 written as explicit years, most useful for comparison"),
        4049: dict(set={"period": "2018-2020年", "note": "text: 近3年"}, reason="period: B; as above"),
        4067: dict(set={"period": "2018-2020年", "note": "text: 近3年 applies to the whole clause chain"},
                   reason="period: neither; 近3年 is the stated period of the sentence (A), written in years like the two before"),
        4613: dict(set={"subject": "农村孕产妇住院分娩每人定额补助"},
                   reason="subject: B; 定额补助 alone does not say for what (cf. agreed 农村孕产妇住院分娩补助 later)"),
        4894: dict(set={}, keep=KEEP_A, reason="period: A; stated 疫情发生以来 = since the 2020 outbreak, up to now → 2020年截至目前"),
        4905: dict(set={}, keep=KEEP_A, reason="period: A; same sentence"),
        4960: dict(keep=KEEP_A, optional=True,
                   reason="only A; 疫情零发生 is a zero count without unit; readers disagree, text does not settle → optional"),
    },
    "002_9047a085b55394e0": {
        137: TIER, 323: TIER, 544: TIER, 773: TIER, 861: TIER, 1656: TIER,
        185: dict(set={"unit": "个", "optional": True, "note": "count of a fixed policy set of tasks (listed ①–⑧), like 14类基本公共卫生服务"},
                  reason="unit: A (no measure word, as agreed 七县→个); optional: B, a policy-defined set the same for every county, like 14类"),
        410: dict(set={"unit": "个", "optional": True, "note": "count of a fixed policy set of tasks, like 14类基本公共卫生服务 (repeat)"},
                  reason="as above"),
        3616: dict(keep=DROP, reason="only A; 十大扶贫工程 is a campaign name like 五大行动, listed as not a figure"),
        4455: dict(keep=DROP, reason="only A; 五大战役 is a campaign slogan like 五大行动 (not a figure)"),
        4621: dict(set={}, keep=KEEP_A,
                   reason="surface: A (层面 is the noun, not a measure word); not optional: the county's own three problem sources, "
                          "like agreed 000 `3个方面,4个问题`"),
        4744: dict(set={}, keep=KEEP_A, reason="as above; the three levels are listed in the sentence"),
        4864: dict(set={}, keep=KEEP_A, reason="subject: A; 投入 is a verb, as agreed 落实资金/争取资金→资金"),
        6301: dict(set={"subject": "马铃薯种植面积"}, reason="subject: B; shortest clear"),
        6415: dict(set={}, keep=KEEP_A, reason="subject: A; 投入 is a verb"),
        6942: dict(set={"subject": "龙龟瀑布观景台建设项目"}, reason="subject: B; shortest clear"),
        7002: dict(set={}, keep=KEEP_A, reason="subject: A; 农家乐 alone would read as 4 farm stays in all, they are the ones applying for star rating"),
        7178: dict(set={"subject": "道路", "note": "road width (宽)"}, reason="subject: B; 宽 is the dimension, the thing measured is the road; width in note"),
        7198: dict(set={"subject": "通组路"}, reason="subject: B; 建设 is the action, not the thing measured"),
        7217: dict(set={"subject": "通组路入户路"}, reason="subject: B; as above"),
        7768: dict(set={"subject": "农村最低生活保障"}, reason="subject: B; 人数 alone is unclear, B's phrase is in the same sentence"),
    },
    "003_2ac8209b6c6491b0": {
        1953: dict(set={}, keep=KEEP_A, reason="subject: A; the 47334 are 建档立卡贫困人员 only, the short form reads as all signings"),
        2252: dict(set={"subject": "两癌筛查"}, reason="subject: B; shortest clear, same subject as the 2021 target 6000人"),
        2481: dict(keep=KEEP_A, optional=True,
                   reason="only A; glued 2202253例 = 2类20种2253例 (2 classes: 乙类+丙类); counted like the agreed optional 20/15/5 → optional"),
        2838: dict(set={"subject": "健康码红码人员"}, reason="subject: B; 排查 is a verb"),
        2853: dict(set={"subject": "隔离点管理工作人员"}, reason="subject: B; shortest clear (place name 大江源 left out)"),
        2912: dict(set={}, keep=KEEP_A, reason="subject: A; 海鲜及 is part of the group, B's cut changes the meaning"),
        2927: dict(set={"subject": "重点食品和外环境"}, reason="subject: B; 监测 is the action (as 243人 subject without 监测)"),
        2943: dict(set={}, keep=KEEP_A, reason="subject: A; 应急人员 alone does not say whose"),
        3218: dict(set={"subject": "饮水合格率", "note": "at 省级监测点"}, reason="subject: B; shortest clear, monitoring points in note"),
        3820: dict(set={"subject": "奖励扶助对象"}, reason="subject: B; shortest clear, distinct from 特别扶助对象"),
        3827: dict(set={"subject": "奖励扶助对象"}, reason="subject: B; as above"),
        3835: dict(set={"subject": "奖励扶助对象"}, reason="subject: B; as above"),
        3926: dict(set={"subject": "城镇独生子女父母"}, reason="subject: B; the people who left, as agreed 6009人 of the same sentence"),
        3961: dict(set={}, keep=KEEP_A, reason="subject: A; 匹配率 alone does not say what is matched"),
        4205: dict(keep=DROP, reason="only A; 四险 is a name of an insurance bundle like 十免四补助 (listed not a figure); "
                                     "both passes likewise skip 三保险、三救助"),
        4724: dict(set={"subject": "编制"}, reason="subject: B; shortest clear (same choice as 001 人员编制)"),
        5211: dict(set={"period": "2021年", "subject": "两癌筛查",
                        "note": "target in 四、下阶段工作打算 of a report titled 2020年工作总结及2021年工作打算 → period 2021年"},
                   reason="period: A; plan for next year takes the next year when the heading says so; subject: B (as 6060人)"),
        5223: dict(set={"period": "2021年",
                        "note": "target in 四、下阶段工作打算 of a report titled 2020年工作总结及2021年工作打算 → period 2021年"},
                   reason="period: A; as above"),
        5472: dict(keep=KEEP_A, optional=True, reason=TIER["reason"] + "; period 2021年 (plan section)",
                   set={"note": "two tiers; name-like; in the 2021年工作打算 section → 2021年"}),
    },
    "004_8690fd776e88c4b1": {
        1666: TIER,
        2086: TIER,
    },
}

# agreed records whose note is completed (fields unchanged)
NOTE_ONLY = {
    ("003_2ac8209b6c6491b0", 5670): "target (拟计划) in the 2021年工作打算 section, but the sentence states 2020年, "
                                    "which as the nearest stated period is kept (both passes agree)",
}


CONSISTENCY = """## Consistency across the five files (agreed records checked, not changed)

- Per-unit standards: counts inside a standard (`每所…至少有一名`, `均配备1名`, `每个…配备了一名`, `2名及以上`,
  `每所卫院均建有一幢`, `为每所卫生院培养了1名`) are optional in all files; money and measure standards
  (`每1000人口补助5000元` 元/千人, `每人定额补助1000元` 元/人, `每人每月500元` 元/月, `不低于30平方米`,
  `500平方米`) are ordinary figures; per-person-per-period money takes the period unit (000 `1200元/年·人` → 元/年,
  as 003 `每人每月500元` → 元/月).
- `拟` targets: 000 `拟录取53人` and 003 `拟计划招聘…127人` are `target` in both passes.
- Glued comparison bases in 003 (`同比2019136375人`, `较201915279万元`, …): both passes label only the figure part,
  role `before`, period `2019年` + the clause's months; `2.3%1-9月`, `41.9%1-11月份`, `2.9%二是`, `100%三是`,
  `110%二是` end at `%`; `2202253例` / `151096例` / `51157例` are read as `2类20种2253例` / `15种1096例` /
  `5种1157例`, the unit-less class/kind counts optional.
- 2021 plans in 003 (`四、下阶段工作打算`, title `2020年工作总结及2021年工作打算`): figures with no stated year take
  `2021年` (6000人, 3000人, 两级), with a note; `2020年全县拟计划招聘…127人` states its own year and keeps `2020年`
  (note added).
- Open periods are written `<start>以来` everywhere (`自…起`, `自…开始`, `…以来`, `5月来`); relative spans are
  written as years ending with the report year (`近3年` → 2018-2020年, `近十年来` → 2011-2020年).
- Tier counts `县乡村三级`, `县、乡两级`, `市、县两级` (12 in all) are optional in every file; campaign names
  (`五大行动`, `五大战役`, `十大扶贫工程`, `七个突出`) and bundle names (`十免四补助`, `四险`, `三保险、三救助`)
  are not labelled in any file.
- Subjects leave out a verb standing before the figure (`县财政拨付/投入…` → 县财政, `医共体总院配套…` → 医共体总院,
  `预分配…`, `排查…`; `投入资金…`, `落实资金…`, `争取资金…` → 资金 alike); noun compounds the passes agreed on
  (`县财政配套资金`, `项目总投入资金`, `应拨付资金`, `村卫生室标准化建设`, `PCR实验室建设`) are kept as agreed.
"""

RULES_TO_CLARIFY = """## Rules to clarify

1. Tier counts after a list of tiers (`县乡村三级医疗机构`, `县、乡两级`, `市、县两级`): a figure, optional, or a
   name? LABELING lists only grades (`三级医院`, `二级甲等`). Settled as optional.
2. Numbered campaign / slogan / bundle names vs countable named sets: `五大行动`, `十免四补助` are not figures but
   `五大中心`, `六大共享中心` are optional. Say where `五大战役`, `十大扶贫工程`, `七个突出`, `四险` fall (settled: not
   figures).
3. Counts of a policy-defined set (`8方面核心任务`, `4种慢病`, `32种慢病`) vs the county's own counted items
   (`3个方面`, `4个问题`, `三个层面`): settled as optional vs ordinary; LABELING only gives `14类` as an example.
4. One form for open periods: `自2018年1月起`, `自2023年3月开始` vs the example `2014年以来` (settled: `…以来`).
5. Relative periods (`近3年`, `近十年来`, `疫情发生以来`, `历年来`): as written or as years? Settled as years ending
   with the report year (2018-2020年, 2011-2020年, 2020年截至目前). Also whether a stated span applies to stocks in
   the same sentence (`全县88个贫困村中` got 2011-2020年 with the rest of the sentence).
6. Units for per-person-per-period amounts (`1200元/年·人`, `每人每月500元`): the list has `元/年`, `元/人`, `元/月`
   but no combination (settled: period unit, per person in note).
7. Plan sections: LABELING says a figure with no stated period takes the report year, which gives 2020年 for the
   2021年工作打算 figures; the brief wants the next year. Also say whether a year stated in the sentence
   (`2020年全县拟计划招聘127人` in the 2021 plan) overrides the heading (settled: stated year kept).
8. Subjects: "as short as stays clear" should say clear relative to the other figures of the same report
   (`乡镇卫生院专业技术人员` vs `专业技术人员`, `四种慢性病的"应签尽签"率` vs `应签尽签率`), and whether action nouns
   (`建设`, `监测`) and verbs inside a noun phrase (`投入资金`, `预分配`) are left out.
9. Subject of a percentage in a formula: the noun it is taken of (`平均工资的60%` → 平均工资) or the quantity it
   defines (`缴费基数`)? Settled: the noun it is taken of, as `资金的50%` → 资金.
10. What to do when the figure's own sentence has no naming phrase (000 `1200元/年·人`; kept 住房公积金 from the
    previous sentence).
11. Zero counts (`县疫情零发生`) and unit-less parts of glued numbers (`2202253例` → `2类20种2253例`): figures or not?
    Settled as optional.
12. Unit of a count without a measure word (`8方面`, `七县`): `个` or the noun? Settled: `个`.
"""


def settle(doc: str):
    out, report = [], []
    table = DECISIONS.get(doc, {})
    used = set()
    for x, y in align(doc):
        base = x if x is not None else y
        if x is not None and y is not None and not diffs(x, y):
            rec = dict(x.record)
            if (doc, x.start) in NOTE_ONLY:
                rec["note"] = NOTE_ONLY[(doc, x.start)]
            out.append((x.start, rec))
            continue
        key = base.start
        if key not in table:
            raise SystemExit(f"{doc}: no decision for difference at {key} {base.surface!r}")
        used.add(key)
        dec = table[key]
        keep = dec.get("keep", KEEP_A)
        if keep == DROP:
            report.append((base, x, y, "dropped", dec["reason"]))
            continue
        src = x if keep == KEEP_A else y
        if src is None:
            src = base
        rec = dict(src.record)
        if x is not None and y is not None and not rec.get("note"):
            rec["note"] = (y if src is x else x).record.get("note", "")
        rec.update(dec.get("set", {}))
        if "optional" in dec:
            rec["optional"] = dec["optional"]
        out.append((src.start, rec))
        action = "kept (optional)" if (x is None or y is None) and rec.get("optional") else "kept"
        report.append((base, x, y, action if (x is None or y is None) else "settled", dec["reason"]))
    unused = set(table) - used
    if unused:
        raise SystemExit(f"{doc}: decisions never used: {sorted(unused)}")
    out.sort(key=lambda t: t[0])
    return [r for _, r in out], report


FIELD_ORDER = ("surface", "context", "value", "value_max", "unit", "kind", "qualifier", "role",
               "subject", "period", "optional", "note")


def fmt(v):
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return s.replace("|", "\\|")


def main():
    docs = sorted(p.stem for p in (HERE / "pass_a").glob("*.jsonl"))
    md = ["# Settling pass_a / pass_b", "",
          "Generated by `corpus/labels/settle_passes.py` (alignment: `corpus/labels/align_passes.py`, "
          "by character offset as in `evaluation/labels.py`). Each row is one difference: a figure only in A, "
          "only in B, or in both with a different surface, value, value_max, unit, kind, qualifier, role, period, "
          "subject or optional. Offsets are character positions in `corpus/samples/<doc>.txt`. "
          "Agreed records are kept as they are.", ""]
    summary = []
    for doc in docs:
        recs, rep = settle(doc)
        lines = []
        for r in recs:
            r = {k: r.get(k, False if k == "optional" else "") for k in FIELD_ORDER}
            lines.append(json.dumps(r, ensure_ascii=False))
        (HERE / f"{doc}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        n_opt = sum(1 for r in recs if r.get("optional"))
        summary.append((doc, len(recs), n_opt, len(rep)))
        md += [f"## {doc}", "", f"{len(rep)} differences settled; final {len(recs)} labels ({n_opt} optional).", "",
               "| offset | surface | difference (A / B) | decision | reason |", "|---|---|---|---|---|"]
        for base, x, y, action, reason in rep:
            if y is None:
                what = "only in A"
            elif x is None:
                what = "only in B"
            else:
                what = "; ".join(f"{f}: {fmt(a)} / {fmt(b)}" for f, a, b in diffs(x, y))
            md.append(f"| {base.start} | {fmt(base.surface)} | {what} | {action} | {fmt(reason)} |")
        md.append("")
    md[4:4] = ["| file | labels | optional | differences settled |", "|---|---|---|---|"] + \
              [f"| {d} | {n} | {o} | {k} |" for d, n, o, k in summary] + [""]
    md += [CONSISTENCY, "", RULES_TO_CLARIFY]
    (HERE / "settle_report.md").write_text("\n".join(md), encoding="utf-8")
    for s in summary:
        print(*s)


if __name__ == "__main__":
    main()
