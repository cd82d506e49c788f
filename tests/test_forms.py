"""Forms that reports of other places and eras write figures in: a sentence in, the figure out."""
import pytest

from helpers import figures


@pytest.mark.parametrize("text, surface, value, value_max, qualifier", [
    ("全省地区生产总值增长5.0%—5.5%。", "5.0%—5.5%", 5.0, 5.5, "range"),       # the unit written twice
    ("补助标准为3万元至5万元。", "3万元至5万元", 30000, 50000, "range"),
    ("国内生产总值增长6.5%－7%。", "6.5%－7%", 6.5, 7.0, "range"),
    ("经济总量突破2万亿元。", "突破2万亿元", 2e12, None, "at_least"),          # a bound, not exact
    ("经济总量跨上5万亿元台阶。", "跨上5万亿元", 5e12, None, "at_least"),
    ("比上年增长百分之十一点八。", "百分之十一点八", 11.8, None, "exact"),       # a Chinese decimal
    ("全社会固定资产投资增长14·1％。", "14·1％", 14.1, None, "exact"),          # a middle dot
    ("一般公共预算收入85.37 亿元。", "85.37 亿元", 8.537e9, None, "exact"),      # PDF layout space
    ("国内生产总值达到74.4\n\u200b\n万亿元。", "74.4\n\u200b\n万亿元", 7.44e13, None, "exact"),
    ("从业人员6210 人。", "6210 人", 6210, None, "exact"),
])
def test_figure_forms(text, surface, value, value_max, qualifier):
    f = next(f for f in figures(text) if f.surface == surface)
    assert (f.value, f.value_max, f.qualifier) == (pytest.approx(value), value_max, qualifier)


def test_a_one_digit_label_before_a_count_word_is_no_figure():
    assert figures("表1 人口与就业") == []


@pytest.mark.parametrize("text, expected", [
    # a growth rate: its subject is what grows, the comparison base is no subject
    ("国内生产总值达到63.6万亿元，比上年增长7.4%。",
     [("63.6万亿元", "level", "国内生产总值"), ("7.4%", "growth", "国内生产总值")]),
    ("国内生产总值增长6.6%，总量突破90万亿元。",
     [("6.6%", "growth", "国内生产总值"), ("突破90万亿元", "level", "国内生产总值")]),
    ("国内生产总值从26.6万亿元增加到51.9万亿元。",
     [("26.6万亿元", "level", "国内生产总值"), ("51.9万亿元", "level", "国内生产总值")]),
    # lists: 分别, a list of subjects and a list of figures, levels then their growth
    ("城镇、农村居民人均可支配收入分别增长4.8%、7%。",
     [("4.8%", "growth", "城镇居民人均可支配收入"), ("7%", "growth", "农村居民人均可支配收入")]),
    ("城镇居民人均可支配收入和农村居民人均纯收入实际增长8.4%和11.4%。",
     [("8.4%", "growth", "城镇居民人均可支配收入"), ("11.4%", "growth", "农村居民人均纯收入")]),
    ("城镇居民人均可支配收入17175元，农村居民人均纯收入5153元，实际增长9.8%和8.5%。",
     [("17175元", "level", "城镇居民人均可支配收入"), ("5153元", "level", "农村居民人均纯收入"),
      ("9.8%", "growth", "城镇居民人均可支配收入"), ("8.5%", "growth", "农村居民人均纯收入")]),
    ("城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内。",
     [("控制在5%", "level", "城镇调查失业率"), ("3%以内", "growth", "居民消费价格涨幅")]),
    ("农村居民人均纯收入和城镇居民人均可支配收入，2000年分别达到2253元和6280元。",
     [("2253元", "level", "农村居民人均纯收入"), ("6280元", "level", "城镇居民人均可支配收入")]),
    # adjuncts between a subject and its number say how it is counted, not what
    ("城镇居民人均可支配收入，考虑价格下降因素比上年实际增长9.3%。",
     [("9.3%", "growth", "城镇居民人均可支配收入")]),
    ("一般公共预算收入剔除虚增空转因素后完成10.4亿元。", [("10.4亿元", "level", "一般公共预算收入")]),
    ("国内生产总值2000年达89404亿元。", [("89404亿元", "level", "国内生产总值")]),
    ("居民消费价格涨幅控制在2%左右。", [("2%左右", "growth", "居民消费价格涨幅")]),
    ("提高0.5个百分点。", [("0.5个百分点", "change", "")]),
])
def test_measures_and_subjects(text, expected):
    assert [(f.surface, f.measure, f.subject) for f in figures(text)] == expected


@pytest.mark.parametrize("text, targets", [
    # a list of targets: every clause to the paragraph's end, though only the first says 目标
    ("今年发展的主要预期目标是：地区生产总值增长5.5%左右；居民消费价格涨幅2%左右；城镇新增就业70万人以上。\n"
     "去年城镇新增就业72万人。", [True, True, True, False]),
    ("今年经济增长预期目标为7%左右。", [True]),
    ("力争规上工业增加值增长6%以上。", [True]),
])
def test_targets(text, targets):
    assert [f.target for f in figures(text)] == targets


def test_a_number_alone_on_its_line_is_an_item_number():
    assert figures("中小企业\n18944650800\n\n4\n天基人才网（河南天基咨询有限责任公司）") == []
    assert [f.surface for f in figures("年发文量超过2000\n万篇。")] == ["超过2000\n万篇"]


@pytest.mark.parametrize("text, surface, value, unit", [
    ("工资12 345元。", "12 345元", 12345, "元"),                       # a space between thousands
    ("人口自然增长率-0.57‰。", "-0.57‰", -0.57, "‰"),                   # a negative rate
    ("覆盖率达1/4。", "1/4", 25, "%"),                                   # fractions, as percent
    ("约三分之一的村。", "三分之一", 100 / 3, "%"),
    ("城乡居民收入比2.31:1。", "2.31:1", 2.31, ":1"),                    # a ratio against one
    ("近百万人受益。", "近百万人", 1e6, "人"),
    ("孕产妇死亡率为0。", "0", 0, ""),                                   # a rate of zero
    ("人均预期寿命78.5岁。", "78.5岁", 78.5, "岁"),
    ("粮食单产1050斤，人均两千多斤。", "1050斤", 1050, "斤"),
    ("原煤产量达到七亿七千多万吨。", "七亿七千多万吨", 7.7e8, "吨"),   # 多 inside a Chinese numeral
    ("发生事故3起。", "3起", 3, "起"),
    ("航班12万架次。", "12万架次", 120000, "架次"),
    ("举办活动20场次。", "20场次", 20, "场次"),
    ("查处案件15宗。", "15宗", 15, "宗"),
    ("涵盖12大类。", "12大类", 12, "大类"),
    ("形成5大板块。", "5大板块", 5, "板块"),
    ("PM2.5浓度28微克/立方米。", "28微克/立方米", 28, "微克/立方米"),
    ("购置设备10套。", "10套", 10, "套"),                                 # 套 is no 台
    ("实际利用外资560万美元。", "560万美元", 5.6e6, "美元"),             # the currency is kept
    ("次均住院费用5120.6。", "5120.6", 5120.6, "元"),                    # a bare value takes its unit
])
def test_units_and_number_forms(text, surface, value, unit):
    f = next(f for f in figures(text) if f.surface == surface)
    assert (f.value, f.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize("text, expected", [
    # round Chinese numerals that count people or households without a measure word
    ("近一亿农村贫困人口实现脱贫，九百六十多万贫困人口实现易地搬迁。",
     [("近一亿", 1e8, "人", "approx"), ("九百六十多万", 9.6e6, "人", "approx")]),
    ("惠及上千万家庭，为百万名劳动者提供保障。", [("上千万", 1e7, "户", "approx"), ("百万名", 1e6, "人", "exact")]),
    # one time and a half: 一倍, 一半
    ("基础研究经费增长近一倍，编制总数减少一半。", [("近一倍", 1, "倍", "approx"), ("一半", -50, "%", "exact")]),
    # a unit written once for two numbers; the parts of a ratio of three
    ("普及率同比分别提升3.3和2.3个百分点。", [("3.3", 3.3, "个百分点", "exact"), ("2.3个百分点", 2.3, "个百分点", "exact")]),
    ("三次产业结构演进为3.6 : 48 : 48.4。", [("3.6", 3.6, "", "exact"), ("48", 48, "", "exact"), ("48.4", 48.4, "", "exact")]),
    # 百分点 written once after the second of two gaps
    ("增速高于全省16.4 个、1.3 个百分点。", [("16.4 个", 16.4, "个百分点", "exact"), ("1.3 个百分点", 1.3, "个百分点", "exact")]),
    # electricity in 度, counties counted
    ("电力一百零八亿度，卓尼、临潭2县新通高速公路。", [("一百零八亿度", 1.08e10, "度", "exact"), ("2县", 2, "个", "exact")]),
])
def test_more_forms_of_figures(text, expected):
    assert [(f.surface, f.value, f.unit, f.qualifier) for f in figures(text)] == \
        [(s, pytest.approx(v), u, q) for s, v, u, q in expected]


@pytest.mark.parametrize("text", [
    "坚持“五位一体”总体布局，做到“两个确立”，实施“三个一批”。",      # a numeral phrase in quotes
    "中海壳牌三期全面开工，广东水资源配置工程二期试点项目启动。",        # phases after a name
    "兰州高新区全国排名提升3位，建成220千伏变电站，每认定1家给予扶持。",  # rank, voltage class, a rule's one
    "会议于8:30召开，千家万户，十万火急。",
    "十五届人大二次会议召开，八届六次全会召开。",                          # sessions
    "人民医院二期、3号线三期建成，二期工程开工。",                        # phases of a project
    "65周岁以上老年人，0-15岁（含不满16周岁）人口，连续三年居首位，如图1所示，实现两位数增长。",
])
def test_names_with_numerals_are_no_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, subjects", [
    # the thing measured, never the verb that opens the clause
    ("投资800万元实施污水管网改造。", ["污水管网改造"]),
    # what a sum after 投资/投入 is spent on: after 的, after its verb (up to its own measure), after
    # 对; 投资 when no one phrase names it; who spent it before 完成投资
    ("投资5亿元的万家惠农贸市场项目主体完工，投资4.8亿元实施了拆炉并网工程，投资1100万元新建污水管线2847米。",
     ["万家惠农贸市场项目", "拆炉并网工程", "污水管线", "污水管线"]),
    ("投入2000余万元对城区主要街道破损步道板、台阶进行修复。", ["城区主要街道破损步道板、台阶"]),
    ("投资1.2亿元完成16个老旧小区改造。", ["投资", "老旧小区"]),
    ("700个省重点项目完成投资9757亿元。", ["省重点项目", "省重点项目"]),
    # a sum after a bare verb is of what is given, after it and the sums listed with it
    ("对新认定的国家级孵化器给予每家最高500万元扶持。", ["扶持"]),
    ("分别给予100万元、50万元的奖励。", ["奖励", "奖励"]),
    ("启动建设项目5个，新建村卫生室12所，解决就业300人。", ["建设项目", "村卫生室", "就业"]),
    ("粮食产量52.6万吨，比上年增长3.1%。", ["粮食产量", "粮食产量"]),     # not 上年
    ("接待游客、旅游收入分别增长12%、9%。", ["接待游客", "旅游收入"]),
    # a base, a time, a change word or a unit before a change is no subject: the thing just named
    ("贷款余额2578.80 亿元，比年初增加345.32 亿元。", ["贷款余额", "贷款余额"]),
    ("汽车保有量130.28 万辆，比上年末增长2.9%。", ["汽车保有量", "汽车保有量"]),
    ("牛奶产量 4.32万吨，增长10.9%。瓜果产量356.92 万吨，增产1.4%。",
     ["牛奶产量", "牛奶产量", "瓜果产量", "瓜果产量"]),
    ("钢产量二百十七万吨，等于一九五二年的十三点七倍。", ["钢产量", "钢产量"]),
    ("地区生产总值增长5.7%，高于全国0.7个百分点。", ["地区生产总值", "地区生产总值"]),
    ("实际利用外资增速高于全国30.6个百分点。", ["实际利用外资增速"]),
    ("新增规模以上工业企业535户，总数达到3159户。", ["规模以上工业企业", "规模以上工业企业"]),
    # fillers and asides between a subject and its number; determiners inside a name
    ("城镇调查失业率平均为5.3%，农业总产值（包括村办工业）平均每年增长7.9%。",
     ["城镇调查失业率", "农业总产值"]),
    ("金融机构本外币各项贷款余额2578.80亿元，全市各级各类学校4563所。",
     ["金融机构本外币各项贷款余额", "各级各类学校"]),
    # a scope word alone names nothing; with a name it is part of it
    ("全国网上零售额达13.79万亿元。", ["全国网上零售额"]),
    # the topic a sentence opens with
    ("农民人均纯收入，全国平均每人达到三百五十五元。", ["农民人均纯收入"]),
    # one subject of two or more parts, joined by 和 与 及 或 or 、
    ("研究与试验发展经费突破百亿元。", ["研究与试验发展经费"]),
    ("适龄儿童入园率和普惠率均达到93%。", ["适龄儿童入园率和普惠率"]),
    ("食品、药品抽检合格率均超99%。", ["食品、药品抽检合格率"]),
    # a quoted name, letters with digits, and 年 for "annual" stay in the subject
    ("争取到“两重”“两新”国家资金450亿元。", ["“两重”“两新”国家资金"]),
    ("新开通5G基站2298个，PM2.5平均浓度降至20.6微克/立方米。", ["5G基站", "PM2.5平均浓度"]),
    ("快递年业务量突破400亿件。", ["快递年业务量"]),
    # after a count: a quoted name, a measured modifier, a word alone before the clause ends,
    # the noun after 的 when only a verb stands before the count
    ("254个“两重”建设项目开工，建成3个千万千瓦级新能源基地，出台25条举措，解决了3948人的饮水问题。",
     ["“两重”建设项目", "千万千瓦级新能源基地", "举措", "饮水问题"]),
    ("年出栏1000头以上的生猪养殖场12个。", ["年出栏", "生猪养殖场"]),
    ("组织3.5万艘船舶到安全区域避风。", ["船舶"]),
    # the end of a change, an average over years and a span of years before a total
    ("国务院组成部门从40个减少到29个。", ["国务院组成部门", "国务院组成部门"]),
    ("网络零售额2021年达13.1万亿元，年均增速达29.15%。", ["网络零售额", "网络零售额"]),
    ("财政用于教育支出五年累计2.43万亿元。大庆原油产量在十七年间平均每年增长百分之二十八。",
     ["财政用于教育支出", "大庆原油产量"]),
    # the subject before a comparison base, not the base (and not a later figure's subject);
    # a noun that owns the head (X的Y); a share of what follows 的
    ("消费资料的生产将等于一九四九年的三点一倍左右。", ["消费资料的生产"]),
    ("一九五三年工业总产值仍然比一九五二年增加了百分之三十三。", ["工业总产值"]),
    ("保证到一九八〇年把三分之一的县建成大寨县。", ["县"]),
    # what is done to the things counted, or to the subject before the number, is not part of it;
    # a list of subjects shares the head of the last at a word (原煤、原油、天然气|产量)
    ("3所高等职业学校升格，30件年度民生实事全面完成，老旧小区改造开工742个。",
     ["高等职业学校", "年度民生实事", "老旧小区改造"]),
    ("4家公司晋升国家级高新技术企业，4000平方米保鲜库投入使用，116.7万亩高标准农田建设全面竣工。",
     ["公司", "保鲜库", "高标准农田"]),
    ("原煤、原油、天然气产量分别增长9.3%、7.3%、21.2%。", ["原煤产量", "原油产量", "天然气产量"]),
    # a verb that opens the clause is left out when a name of three characters or more follows
    ("新增技能人才24.2万人，新增就业5487人。", ["技能人才", "新增就业"]),
])
def test_subjects_are_the_thing_measured(text, subjects):
    assert [f.subject for f in figures(text)] == subjects


def test_a_cut_in_output_is_a_signed_change():
    f = figures("粮食减产6.2%。")[0]
    assert (f.value, f.role, f.measure) == (-6.2, "change", "growth")
