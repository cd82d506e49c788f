"""The figure finder, phenomenon by phenomenon: a sentence in, the expected figure out."""
import pytest

from helpers import figures, one, surfaces


# (sentence, surface, value, unit, raw_unit, kind)
@pytest.mark.parametrize("text, surface, value, unit, raw_unit, kind", [
    # money, with scale words
    ("2023年投资58.5万元。", "58.5万元", 585_000, "元", "万元", "money"),
    ("县财政拨付27万元。", "27万元", 270_000, "元", "万元", "money"),
    ("总投资2.3亿元。", "2.3亿元", 230_000_000, "元", "亿元", "money"),
    ("奖励资金三万五千元。", "三万五千元", 35_000, "元", "元", "money"),
    ("救助资金0.55万元。", "0.55万元", 5_500, "元", "万元", "money"),
    ("按照最高缴费档次3000元/年缴费。", "3000元/年", 3000, "元/年", "元/年", "money"),
    ("补助标准为300元/人。", "300元/人", 300, "元/人", "元/人", "money"),
    ("岗位工资根据职称每月500元。", "500元", 500, "元/月", "元", "money"),
    ("农牧民人均纯收入达9145元。", "9145元", 9145, "元/人", "元", "money"),
    ("按照每1000人口补助5000元的标准。", "5000元", 5000, "元/千人", "元", "money"),
    ("县财政局每年预算安排保障资金85万元。", "85万元", 850_000, "元/年", "万元", "money"),
    # counts with measure words, Arabic and Chinese
    ("完成全县267名乡村医生轮流培训。", "267名", 267, "人", "名", "count"),
    ("全县134所村卫生室。", "134所", 134, "所", "所", "count"),
    ("两个医共体集团进行整体合并。", "两个", 2, "个", "个", "count"),
    ("新建三所卫生院。", "三所", 3, "所", "所", "count"),
    ("门诊人次207858人次。", "207858人次", 207_858, "人次", "人次", "count"),
    ("报告死亡16例。", "16例", 16, "例", "例", "count"),
    ("配备健康一体机134台。", "134台", 134, "台", "台", "count"),
    ("东安县总人口65.30万人。", "65.30万人", 653_000, "人", "万人", "count"),
    ("共计1,234人参加。", "1,234人", 1234, "人", "人", "count"),
    ("共计１２３４人参加。", "１２３４人", 1234, "人", "人", "count"),
    # percent and per-mille
    ("县域就诊率达84.11%。", "84.11%", 84.11, "%", "%", "percent"),
    ("签约率达１００％。", "１００％", 100, "%", "%", "percent"),
    ("覆盖率达到百分之八十。", "百分之八十", 80, "%", "百分之", "percent"),
    ("死亡率为3.5‰。", "3.5‰", 3.5, "‰", "‰", "percent"),
    # per-population rates
    ("每千人病床数3.7张。", "3.7张", 3.7, "张/千人", "张", "rate"),
    ("每千人拥有卫生技术人员6.3人。", "6.3人", 6.3, "人/千人", "人", "rate"),
    ("发病率为346.62/10万。", "346.62/10万", 346.62, "/10万", "/10万", "rate"),
    ("常住人口每万人2.1名全科医生。", "2.1名", 2.1, "人/万人", "名", "rate"),
    # physical measures
    ("优质马铃薯种植面积534亩。", "534亩", 534, "亩", "亩", "measure"),
    ("人均服务面积达22.6平方公里。", "22.6平方公里", 22.6, "平方公里", "平方公里", "measure"),
    ("完成4.75公里道路硬化。", "4.75公里", 4.75, "公里", "公里", "measure"),
    ("粮食总产量达566吨。", "566吨", 566, "吨", "吨", "measure"),
    ("中心卫生院800平方米。", "800平方米", 800, "平方米", "平方米", "measure"),
    # durations
    ("培训时间不少于2周。", "不少于2周", 2, "周", "周", "duration"),
    ("临床实习5个月。", "5个月", 5, "个月", "个月", "duration"),
    ("在高校学习3年。", "3年", 3, "年", "年", "duration"),
])
def test_value_and_unit(text, surface, value, unit, raw_unit, kind):
    f = one(text)
    assert (f.surface, f.value, f.unit, f.raw_unit, f.kind) == (surface, value, unit, raw_unit, kind)


# (sentence, surface, qualifier, value, value_max)
@pytest.mark.parametrize("text, surface, qualifier, value, value_max", [
    ("销售农产品近6万元。", "近6万元", "approx", 60_000, None),
    ("合计金额约为6万余元。", "6万余元", "approx", 60_000, None),
    ("下派专家骨干30余名。", "30余名", "approx", 30, None),
    ("住院人次25042余人。", "25042余人", "approx", 25_042, None),
    ("投资626余万元。", "626余万元", "approx", 6_260_000, None),
    ("帮扶资金约1.6万元。", "约1.6万元", "approx", 16_000, None),
    ("覆盖率达到90%以上。", "90%以上", "at_least", 90, None),
    ("均配备2名及以上全科医生。", "2名及以上", "at_least", 2, None),
    ("培训时间不少于2周。", "不少于2周", "at_least", 2, None),
    ("个人支付占比均控制在5%以内。", "5%以内", "at_most", 5, None),
    ("每所卫生院不超过3人。", "不超过3人", "at_most", 3, None),
    ("每年给予4-5万元帮扶资金。", "4-5万元", "range", 40_000, 50_000),
    ("岗位工资每月500-900元不等。", "500-900元", "range", 500, 900),
    ("各县卫生院20-30%的业务收入留给单位。", "20-30%", "range", 20, 30),
    ("每村配备3至5个。", "3至5个", "range", 3, 5),
    ("每年500～900元。", "500～900元", "range", 500, 900),
])
def test_qualifiers_and_ranges(text, surface, qualifier, value, value_max):
    f = one(text)
    assert (f.surface, f.qualifier, f.value, f.value_max) == (surface, qualifier, value, value_max)


def test_change_both_ends():
    found = figures("村卫生室日常运行维护经费由3600元/年提高到6000元/年标准。")
    assert [(f.surface, f.role) for f in found] == [("3600元/年", "before"), ("6000元/年", "after")]
    assert found[0].subject == found[1].subject == "村卫生室日常运行维护经费"


@pytest.mark.parametrize("text, surface, value", [
    ("农村经济总收入达1478.89万元，同比增长18.44%。", "18.44%", 18.44),
    ("住院人次同比减少2995人。", "2995人", -2995),
    ("住院收入下降1145.22万元，降幅达41.9%。", "41.9%", -41.9),
    ("门诊人次增加12787人次。", "12787人次", 12_787),
    ("采购总金额比2019年同期减少23%。", "23%", -23),
])
def test_change_amounts_are_signed(text, surface, value):
    f = [f for f in figures(text) if f.surface == surface][0]
    assert (f.role, f.value) == ("change", value)


@pytest.mark.parametrize("text, surface", [
    ("力争2020年村集体经济收入达到14万元以上。", "14万元以上"),
    ("X村村集体经济收入预计将达到180万元。", "180万元"),
    ("2020年全县拟计划招聘卫生专业技术人员127人。", "127人"),
    ("通过考试拟录取53人。", "53人"),
])
def test_plans_are_targets(text, surface):
    f = one(text)
    assert (f.surface, f.role) == (surface, "target")


def test_family_planning_is_not_a_plan():
    assert one("新增农村部分计划生育家庭奖励扶助对象401人。").role == "value"


# Numbers that are not figures: each sentence yields nothing.
@pytest.mark.parametrize("text", [
    "2023年X县卫健委实施乡村振兴战略工作完成情况报告",
    "8月7日我委召开党组会。",
    "今年1-9月，全县卫健系统稳步推进。",
    "全县乡镇卫生院1—11月工作情况。",
    "2014年上半年自治区农村卫生工作进展情况。",
    "《X县加强村医队伍建设三年行动实施方案(2021-2023)》(X〔2022〕X号)",
    "全面贯彻落实党的十九大和十九届二中、三中、四中、五中全会精神。",
    "2023年中央一号文件和省委一号文件。",
    "十四五期间严格落实四个不摘要求。",
    "确保所有贫困户两不愁三保障稳定实现。",
    "县人民医院成功创建二级甲等综合医院。",
    "组织开展第三轮督查。",
    "自治区参合农民合计 人，参合率达 %，同比增加 %。",
    "补偿 亿元，门诊统筹补偿 万人次，补偿万元。",
    "实施一村一名大学生乡村医生工作。",
    "报告发病数居前5位的病种。",
    "按照3+3+n工作法，依托4+2宣传机制。",
    "联系我们：0746-4239377",
    "湘ICP备16008386号",
    "三、四级手术占比提升。",
    "对贫困人口实行一人一策管理。",
    "不落一村、不落一户、不落一人。",
    "每季度走访帮扶户一次。",
    "实现签约一人，履约一人。",
    "扎实推进万名医师对口支援。",
    "积极鼓励一批企业参与。",
    "(附件1)",
    "2019县疾控中心创建并达到标准。",
    "截止到1220日，全县疫情平稳。",
])
def test_not_figures(text):
    assert surfaces(text) == []


def test_list_markers_are_not_figures():
    text = "一、基本情况\n(一)基础设施\n1、持续深化医共体工作。\n2. 医改推进难度较大。\n①县级要建有医疗卫生机构。"
    assert surfaces(text) == []


def test_glued_year_is_split_from_the_figure():
    found = figures("门诊人次133236人，同比2019136375人减少3139余人，减幅2.3%。", year=2020)
    assert [f.surface for f in found] == ["133236人", "136375人", "3139余人", "2.3%"]
    base = found[1]
    assert (base.value, base.role, base.period) == (136375, "before", "2019年")
    assert (found[2].role, found[2].value) == ("change", -3139)


def test_glued_year_before_money():
    found = figures("县直四家公立医院收入15684万元较201915279万元增加405万元。", year=2020)
    assert [(f.surface, f.value, f.role) for f in found] == [
        ("四家", 4, "value"), ("15684万元", 156_840_000, "value"),
        ("15279万元", 152_790_000, "before"), ("405万元", 4_050_000, "change")]


def test_number_without_unit_takes_it_from_its_subject():
    f = figures("同比2019年住院人次28037减少2995余人。", year=2020)[0]
    assert (f.surface, f.unit, f.kind, f.subject) == ("28037", "人次", "count", "住院人次")


def test_comparison_base_without_unit():
    found = figures("全县乡镇卫生院1-11月，住院人次25042余人，同比2019年住院人次28037减少2995余人。", year=2020)
    assert [(f.surface, f.role, f.period) for f in found] == [
        ("25042余人", "value", "2020年1-11月"),
        ("28037", "before", "2019年1-11月"),
        ("2995余人", "change", "2020年1-11月")]


def test_date_glued_to_percent_is_not_read_as_figure():
    assert surfaces("减幅2.3%1-9月门诊业务收入1052.22万元。", year=2020) == ["2.3%", "1052.22万元"]


def test_offsets_point_into_the_source_text():
    text = "　　全县共有村医２９８名，其中执业医师42名。"
    for f in figures(text):
        assert text[f.start:f.end] == f.surface
    assert [f.value for f in figures(text)] == [298, 42]
