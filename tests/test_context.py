"""Subject, period and section of a figure, as a reader of the report would give them."""
import pytest

from helpers import figures, one


@pytest.mark.parametrize("text, subject", [
    ("今年1-9月，县域就诊率达84.11%。", "县域就诊率"),
    ("跨省就医比例降至5.37%。", "跨省就医比例"),
    ("我县现有村卫生室134所村卫生室，共有村医298名。", "村医"),
    ("2023年中央和省级财政共补助我县基本公共卫生服务经费2296万元。", "基本公共卫生服务经费"),
    ("完成全县267名乡村医生轮流到乡镇卫生院接受培训工作。", "乡村医生"),
    ("全县累计134个村卫生室达到新标准。", "村卫生室"),
    ("核查率100%。", "核查率"),
    ("门诊人次133236人。", "门诊人次"),
    ("全县现有225名在岗在册村医符合条件。", "在岗在册村医"),
    ("创新设立1260万元健康促进资金池。", "健康促进资金池"),
    ("出生人口性别比117.68。", "出生人口性别比"),
    ("岗位工资根据职称每月500-900元不等。", "岗位工资"),
    ("投入资金400余万元的幸福农庄全面投入接待运营。", "幸福农庄"),
    ("其中：预分配乡镇卫生院(含村卫生室)2096万元。", "乡镇卫生院"),
    ("东安县总人口65.30万人。", "总人口"),
    ("对12所个体诊所完成年度校验。", "个体诊所"),
])
def test_subject(text, subject):
    assert figures(text)[-1].subject == subject


def test_two_counts_share_the_noun_after_them():
    found = figures("对已退出的3194户14959名脱贫人口开展扶持。")
    assert [(f.surface, f.subject) for f in found] == [("3194户", "脱贫人口"), ("14959名", "脱贫人口")]


def test_change_inherits_the_subject_named_before_it():
    found = figures("2015年全乡农村经济总收入达1478.89万元，同比增长18.44%。", year=2015)
    assert [f.subject for f in found] == ["农村经济总收入", "农村经济总收入"]


@pytest.mark.parametrize("text, year, period", [
    ("今年1-9月，县域就诊率达84.11%。", 2023, "2023年1-9月"),
    ("2014年上半年，自治区参合农民合计5万人。", 2014, "2014年上半年"),
    ("截至目前，全县累计134个村卫生室达到新标准。", 2023, "2023年截至目前"),
    ("2020年截至目前卫生扶贫救助基金共计救助患者383人。", 2020, "2020年截至目前"),
    ("截止11月底，东安县出生人口4337人。", 2020, "2020年截至11月底"),
    ("截止到1220日，全县共报告死亡16例。", 2020, "2020年截至12月20日"),
    ("截至2022年底已完成94个村卫生室更新。", 2023, "2022年截至年底"),
    ("近3年落实长效节育措施444人。", 2020, "2018-2020年"),
    ("自2018年1月起，村医岗位工资每月500元。", 2023, "2018年1月以来"),
    ("2021-2023年我县共完成培养村医免费定向生40人。", 2023, "2021-2023年"),
    ("全县共有编制床位400张。", 2022, "2022年"),
    ("上年度全省在岗职工人数增加300人。", 2023, "2022年"),
])
def test_period(text, year, period):
    assert figures(text, year=year)[-1].period == period


def test_period_carries_over_a_semicolon_not_a_full_stop():
    text = "全县乡镇卫生院1-11月，住院人次25042余人；门诊人次133236人。全县村医298名。"
    assert [f.period for f in figures(text, year=2020)] == ["2020年1-11月", "2020年1-11月", "2020年"]


def test_a_year_after_the_figure_is_not_carried():
    text = "选派6名业务骨干赴市参加2019年深度贫困县合格村医师资培训；每年下派30名技术专家骨干。"
    assert [f.period for f in figures(text, year=2020)] == ["2020年", "2020年"]


def test_half_year_report_defaults_to_the_half_year():
    text = "最新健康扶贫半年工作总结\n全县2020年现有乡镇卫生院16所。\n全县村卫生室153所。"
    assert [f.period for f in figures(text, year=None)] == ["2020年", "2020年上半年"]


def test_year_in_cited_title_is_not_the_period():
    f = one("根据《X县2022年度省乡村振兴实绩考核问题整改方案》文件精神，整改4个问题。", year=2023)
    assert f.period == "2023年"


def test_report_year_from_title():
    text = "东安县卫生健康局2020年工作总结及2021年工作打算\n一、工作开展情况\n全县出生人口4337人。"
    assert one(text, year=None).period == "2020年"


def test_plans_of_next_year_take_the_plan_year():
    text = ("东安县卫生健康局2020年工作总结及2021年工作打算\n四、下阶段工作打算\n"
            "按月定任务完成农村适龄妇女两癌筛查6000人的总目标任务。")
    f = one(text, year=None)
    assert (f.role, f.period) == ("target", "2021年")


def test_section_path():
    text = ("一、重点任务完成情况\n(一)统筹整合县域内医疗卫生资源方面。\n"
            "1、持续深化紧密型医共体工作,提高县域内就诊率。今年1-9月,县域就诊率达84.11%。\n"
            "二、问题整改落实情况\n整改4个问题。")
    a, b = figures(text)
    assert a.section == ("一、重点任务完成情况 > (一)统筹整合县域内医疗卫生资源方面 > "
                         "1、持续深化紧密型医共体工作,提高县域内就诊率")
    assert b.section == "二、问题整改落实情况"


def test_inline_item_marker_is_a_section():
    f = one("一是足额保障基本公共卫生服务经费。2023年共补助经费2296万元。")
    assert f.section == "一是足额保障基本公共卫生服务经费"


def test_sentence_is_the_evidence():
    text = "全县134所村卫生室。共有村医298名，每所村卫生室至少有一名村医。"
    assert figures(text)[1].sentence == "共有村医298名，每所村卫生室至少有一名村医。"


def test_spacy_tokens_keep_the_domain_terms_whole():
    from extract.segment import spacy_nlp
    doc = spacy_nlp()("全县家庭医生签约率达99.67%，村卫生室134所。")
    words = [t.text for t in doc]
    assert "签约率" in words and "村卫生室" in words and "99.67%" in "".join(words)


def test_a_hard_wrapped_text_keeps_its_sentences_whole():
    """Text copied line by line from a PDF breaks its lines at a width, inside sentences and
    between a number and its unit; those breaks end nothing, the end of a paragraph does."""
    from extract.segment import segment
    head = "数字社会建设推动优质服务资源共享，地市级县级远程医疗服务实现全覆盖，全年共开展远程医疗服务超过2670万"
    para = head + "人次，社保就业数字化服务持续拓展，全国电子社保卡领用人数达7.15亿，线上服务渠道持续完善。"
    width = 26
    assert len(head) % width == 0          # a line ends between 2670万 and 人次
    lines = [para[i:i + width] for i in range(0, len(para), width)]
    text = "\n".join(lines * 4)
    whole = [text[x.start:x.end] for x in segment(text).sentences]
    assert sum(x.replace("\n", "") == para for x in whole) == 4
    visits = [f for f in figures(text) if f.unit == "人次"]
    assert len(visits) == 4 and all(f.value == 2.67e7 and f.surface == "超过2670万\n人次" for f in visits)


def test_a_text_of_short_paragraphs_keeps_its_line_breaks():
    from extract.segment import soft_breaks
    text = "\n".join(["一、工作回顾", "全县共有村医298名", "村卫生室120个", "二、存在问题"] * 5)
    assert soft_breaks(text) == set()


def test_a_line_of_running_text_cut_before_its_end_goes_on():
    """A saved page puts inline links on lines of their own (新建\\n高速铁路\\n投产里程…); a short
    line of a wrapped page ends early.  A line with a comma or stop inside that ends without
    one goes on to the next; a line that ends with one, or a heading after it, does not."""
    text = ("基础设施支撑能力持续提升。新建\n高速铁路\n投产里程超过1900公里，新建改建\n高速公路\n6700多公里。\n"
            "其中，实物商品网上零售额达11.96万亿\n元，同比增长6.2%。\n二、存在问题\n村卫生室120个。")
    found = {f.surface: f.subject.replace("\n", "") for f in figures(text, year=2016)}
    assert found["超过1900公里"] == "高速铁路投产里程"
    assert found["11.96万亿\n元"] == "实物商品网上零售额" and found["6.2%"] == "实物商品网上零售额"
    assert [f.section for f in figures(text, year=2016) if f.surface == "120个"] == ["二、存在问题"]


def test_the_items_of_a_list_stay_apart():
    text = "全县医疗机构情况如下：\n村卫生室120个\n乡镇卫生院12个\n县级医院3所\n"
    assert [(f.surface, f.subject) for f in figures(text, year=2020)] == [
        ("120个", "村卫生室"), ("12个", "乡镇卫生院"), ("3所", "县级医院")]
