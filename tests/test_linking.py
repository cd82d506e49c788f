"""Linking figures to the indicator catalog: the right entry, or none, never a wrong kind."""
import pytest

from extract import extract_text
from extract.batch import make_linker
from extract.linking import compatible, load_catalog


@pytest.fixture(scope="module")
def lexical():
    return make_linker(embeddings=False)


@pytest.fixture(scope="module")
def semantic():
    return make_linker(embeddings=True)


def linked(linker, text, year=2020):
    figs = extract_text(text, year=year)
    linker.link(figs)
    return [(f.surface, f.indicator) for f in figs]


def by_id(i):
    return next(x for x in load_catalog() if x.id == i)


@pytest.mark.parametrize("text, surface, indicator", [
    ("今年1-9月，县域就诊率达84.11%。", "84.11%", "county_consultation_rate"),
    ("全县共有村医298名。", "298名", "village_doctors"),
    ("共补助我县基本公共卫生服务经费2296万元。", "2296万元", "basic_public_health_funds"),
    ("全县乡镇卫生院住院人次25042余人。", "25042余人", "inpatient_visits"),
    ("每千人病床数3.7张。", "3.7张", "beds_per_1000"),
    ("发病率为346.62/10万。", "346.62/10万", "notifiable_disease_incidence"),
    ("历年来建档立卡贫困人口参保率达100%。", "100%", "poor_insurance_enrollment_rate"),
    ("全年地区生产总值完成235.2亿元。", "235.2亿元", "gdp"),
])
def test_links_with_both_kinds_of_evidence(lexical, semantic, text, surface, indicator):
    assert (surface, indicator) in linked(lexical, text)
    assert (surface, indicator) in linked(semantic, text)


def test_a_sum_spent_on_a_named_thing_is_an_investment(lexical):
    """The subject names what the sum is spent on; 投资 before it says what the sum is."""
    figs = extract_text("投资5亿元的万家惠农贸市场项目主体完工。", year=2015)
    lexical.link(figs)
    assert [(f.subject, f.indicator) for f in figs] == [("万家惠农贸市场项目", "investment_project_funds")]


def test_a_percent_never_links_to_a_count():
    count = by_id("village_doctors")
    f = extract_text("村医占比达45%。")[0]
    assert not compatible(f, count)


def test_a_change_of_a_count_is_not_the_count(lexical):
    assert linked(lexical, "住院人次同比减少2995人。") == [("2995人", "")]


@pytest.mark.parametrize("text, expected", [
    ("地区生产总值同比增长7.2%。", [("7.2%", "gdp", "growth")]),
    ("地区生产总值3.21万亿元、增长5.1%。", [("3.21万亿元", "gdp", "level"), ("5.1%", "gdp", "growth")]),
    ("规上工业增加值增速5.3%。", [("5.3%", "industrial_value_added", "growth")]),
    ("居民消费价格涨幅2%左右。", [("2%左右", "cpi", "growth")]),
    ("经济增长6%左右。", [("6%左右", "gdp", "growth")]),
    ("社会消费品零售总额增长4.6%。", [("4.6%", "retail_sales", "growth")]),
    ("城镇调查失业率5.5%左右。", [("5.5%左右", "surveyed_unemployment_rate", "level")]),
])
def test_a_growth_rate_is_the_growth_of_the_indicator_that_grows(semantic, text, expected):
    figs = _linked_figures(semantic, text)
    assert [(f.surface, f.indicator, f.measure) for f in figs] == expected


def test_a_rate_has_no_growth_measure(lexical):
    """增长5% of a percent indicator is not one of its values, nor a growth of it."""
    assert linked(lexical, "县域就诊率增长5%。") == [("5%", "")]


def test_no_forced_link(semantic):
    assert linked(semantic, "新建观景台3座。") == [("3座", "")]


def test_the_model_can_join_after_the_lexical_evidence(semantic):
    """A run prepares lexical evidence while the model loads, then attaches it: same links."""
    text = ("全县共有村医298名，家庭医生签约服务覆盖率达65%，县域内就诊率达90.1%。"
            "全县乡镇卫生院住院人次25042余人，门诊量增长12.5%。")
    late = make_linker(embeddings=False)
    figs = extract_text(text, year=2020)
    late.prepare(figs)
    late.attach(semantic.embeddings)
    late.link(figs)
    assert [(f.surface, f.indicator, f.indicator_score) for f in figs] == [
        (f.surface, f.indicator, f.indicator_score) for f in _linked_figures(semantic, text)]


def _linked_figures(linker, text):
    figs = extract_text(text, year=2020)
    linker.link(figs)
    return figs


def test_character_tfidf_scores_as_scikit_learn_does():
    """The linker's TF-IDF (scipy.sparse alone, no scikit-learn import) gives the same
    similarities as TfidfVectorizer(analyzer="char", ngram_range=(1, 3))."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from extract.linking import CharTfidf, catalog_phrases
    phrases = catalog_phrases()
    queries = ["县域内就诊率", "村卫生室  数量", "GDP增长", "全体居民人均可支配收入", "xyz", ""]
    mine = CharTfidf(phrases)
    theirs = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    matrix = theirs.fit_transform(phrases)
    got = (mine.transform(queries) @ mine.matrix.T).toarray()
    want = (theirs.transform(queries) @ matrix.T).toarray()
    assert np.abs(got - want).max() < 1e-9
