"""Web boilerplate is left out, and offsets still point into the source text."""
from extract.cleaning import boilerplate_spans, normalize
from helpers import figures

PAGE = """您现在所在的位置 : 首页 > 政务公开 > 工作计划
分享到:
admin 分享 时间: 加入收藏 共计8681个字,预计阅读时长29分钟
东安县卫生健康局2020年工作总结
全县301个村卫生室共180.6万元。
扫一扫在手机打开当前页
主办:东安县人民政府办公室  承办:东安县行政审批服务局
地址:东安县车站路133号  邮编:425900   网站地图
联系我们:0746-4239377(仅受理网站建设维护相关事宜)
电子邮箱: dadzzw@163.com  湘ICP备16008386号
湘公网安备43112202000005号  网站标识码:4311220001
221381
微信扫码分享
"""


def test_boilerplate_yields_no_figures():
    assert [f.surface for f in figures(PAGE, year=2020)] == ["301个", "180.6万元"]


def test_boilerplate_lines_found():
    spans = boilerplate_spans(normalize(PAGE))
    lines = [PAGE[s:e] for s, e in spans]
    assert "东安县卫生健康局2020年工作总结" not in lines
    assert len(lines) == 11


def test_fullwidth_is_read_as_ascii_with_same_length():
    text = "签约率达１００％，投资５８．５万元"
    norm = normalize(text)
    assert norm == "签约率达100%,投资58.5万元"
    assert len(norm) == len(text)
    f = figures(text)[1]
    assert (text[f.start:f.end], f.value) == ("５８．５万元", 585000)
