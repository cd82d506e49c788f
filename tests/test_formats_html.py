"""Saved web pages: a page's bytes in, its main text (one paragraph per line), tables and
encoding out.  Every page is written here; nothing is downloaded."""
import codecs

import pytest

from extract.formats import FormatError, Table
from extract.formats.html import decode_html, read_html

NAV = """<div class="top"><div class="logo">某县人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zjmx/">走进某县</a></li></ul></div>"""
CRUMBS = """<div class="crumb">您现在所在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
&gt; <a href="/zwgk/ghzj/">规划总结</a></div>"""
SHARE = """<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a>
<span>【字体：<a>大</a> <a>中</a> <a>小</a>】</span></div>"""
FOOTER = """<div class="footer"><p>主办单位：某县人民政府办公室　网站标识码：4311000001</p>
<p>ICP备案号：湘ICP备12345678号　湘公网安备43112402000123号</p>
<p>地址：某县人民路1号　邮编：425000　电话：0746-1234567</p></div>"""

GB2312_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset=gb2312>
<title>某县卫生健康局2023年工作总结_某县人民政府</title>
<script>document.write("<p>脚本里的字不是正文</p>");</script></head>
<body>{NAV}{CRUMBS}
<div class="main"><h1>某县卫生健康局2023年工作总结</h1>
<div class="info">发布时间：2024-01-05　来源：县卫健局　浏览次数：1234</div>{SHARE}
<div class="article-content">
<p>　　2023年，在县委、县政府的坚强领导下，我局围绕年度目标任务，扎实推进各项工作，
各项指标均完成较好，现将有关情况总结如下。</p>
<h2>一、基层卫生服务能力持续提升</h2>
<p>　　（一）村医队伍建设。全县共有村医298名，签约率达99.67%。</p>
<p>　　1、全年投入资金58.5万元，新建标准化村卫生室4所，由李玥同志负责验收。</p>
<table border="1">
<tr><th>指标</th><th>2022年</th><th>2023年</th></tr>
<tr><td>村卫生室数量（所）</td><td>130</td><td>134</td></tr>
<tr><td>乡村医生<br>（名）</td><td>301</td><td>298</td></tr>
</table>
<h2>二、公共卫生服务扎实开展</h2>
<p>　　全县65岁以上老年人健康管理率达72.3%，较上年提高3.1个百分点。</p>
</div>
<div class="prevnext"><p>上一篇：<a href="/1">关于开展爱国卫生月活动的通知</a></p>
<p>下一篇：<a href="/2">某县2023年上半年卫生健康工作总结</a></p></div>
</div>
<div class="side"><h3>相关文章</h3><ul><li><a href="/r1">某县卫生健康局2022年工作总结</a></li>
<li><a href="/r2">某县卫生健康局2021年工作总结</a></li></ul></div>
{FOOTER}
</body></html>"""

GB2312_TEXT = [
    "某县卫生健康局2023年工作总结",
    "2023年，在县委、县政府的坚强领导下，我局围绕年度目标任务，扎实推进各项工作，"
    "各项指标均完成较好，现将有关情况总结如下。",
    "一、基层卫生服务能力持续提升",
    "（一）村医队伍建设。全县共有村医298名，签约率达99.67%。",
    "1、全年投入资金58.5万元，新建标准化村卫生室4所，由李玥同志负责验收。",
    "二、公共卫生服务扎实开展",
    "全县65岁以上老年人健康管理率达72.3%，较上年提高3.1个百分点。",
]


def gb_page_bytes():
    # 玥 is in GBK but not in GB2312: pages that declare gb2312 are written in GBK
    return GB2312_PAGE.encode("gbk")


def test_gb2312_page_main_text_one_paragraph_per_line():
    src = read_html(gb_page_bytes())
    assert src.text.split("\n") == GB2312_TEXT
    assert src.encoding == "gb18030"


def test_gb2312_page_table_as_rows_not_in_text():
    src = read_html(gb_page_bytes())
    assert src.tables == [Table(rows=[["指标", "2022年", "2023年"],
                                      ["村卫生室数量（所）", "130", "134"],
                                      ["乡村医生（名）", "301", "298"]])]
    assert "村卫生室数量" not in src.text and "130" not in src.text


@pytest.mark.parametrize("dropped", [
    "政务公开", "您现在所在的位置", "首页", "分享到", "微信", "字体", "浏览次数", "上一篇",
    "相关文章", "2022年工作总结", "ICP", "公网安备", "地址", "电话", "0746", "主办单位",
    "脚本", "<", ">",
])
def test_gb2312_page_boilerplate_and_markup_left_out(dropped):
    assert dropped not in read_html(gb_page_bytes()).text


# an old-style page: nested layout tables, the article in one cell, paragraphs split by <br>
# and indented with ideographic spaces
LAYOUT_PARAS = [
    "今年以来，县卫健局在县委县政府的坚强领导下，认真落实各项工作任务，坚持以人民健康为中心，"
    "深化医药卫生体制改革，各项工作取得了明显成效。现将有关情况报告如下：",
    "一、主要工作完成情况",
    "（一）基本公共卫生服务。全年拨付基本公共卫生服务经费1520.6万元，居民电子健康档案建档率达91.2%，"
    "65岁以上老年人健康管理率达72.3%。",
    "（二）家庭医生签约服务。全县组建家庭医生团队86个，重点人群签约率达76.5%，"
    "全年开展上门随访服务12.6万人次。",
    "二、存在的问题",
    "基层卫生人才不足，全县每千人口执业（助理）医师数为2.1人，低于全省平均水平。",
    "三、下一步工作打算",
    "力争2024年县域内就诊率达到90%以上，继续推进紧密型县域医共体建设。",
]
LAYOUT_PAGE = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于2023年卫生健康工作情况的报告</title></head><body>
<table width="980"><tr><td colspan="2"><a href="/">首页</a> | <a href="/x">机构概况</a> |
<a href="/y">政务公开</a> | <a href="/z">办事服务</a></td></tr>
<tr><td width="200"><h3 class="title">通知公告</h3><ul><li><a href="/1">通知公告</a></li><li><a href="/2">工作动态</a></li>
<li><a href="/3">政策文件</a></li></ul></td>
<td><table width="100%"><tr><td>当前位置：<a href="/">首页</a> &gt;&gt; 工作总结</td></tr>
<tr><td align="center"><b>关于2023年卫生健康工作情况的报告</b></td></tr>
<tr><td>发布日期：2024-01-10&nbsp;&nbsp;浏览次数：88</td></tr>
<tr><td id="zoom"><div>{body}</div></td></tr>
<tr><td>【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</td></tr></table></td></tr>
<tr><td colspan="2" align="center">版权所有：某县卫生健康局　湘ICP备0000000号-1　
地址：某县人民路8号　电话：0746-7654321</td></tr></table></body></html>"""


def layout_page(charset):
    body = "<br>\n".join("&nbsp;&nbsp;　　" + p for p in LAYOUT_PARAS)
    return LAYOUT_PAGE.format(charset=charset, body=body)


def test_utf8_page_http_equiv_layout_tables():
    src = read_html(layout_page("utf-8").encode("utf-8"))
    assert src.text.split("\n") == ["关于2023年卫生健康工作情况的报告"] + LAYOUT_PARAS
    assert src.encoding == "utf-8"
    assert src.tables == []          # layout tables are page structure, not data


def test_http_equiv_gbk_page():
    src = read_html(layout_page("GBK").encode("gbk"))
    assert src.encoding == "gb18030"
    assert src.text.split("\n")[1:] == LAYOUT_PARAS


def simple_page(head="", body_encoding=None):
    return (f"<html><head>{head}<title>2023年工作总结</title></head><body>{NAV}"
            "<div class='content'><p>全县共有村医298名，签约率达99.67%，较上年提高1.2个百分点。</p>"
            "<p>全年拨付基本公共卫生服务经费1520.6万元，居民电子健康档案建档率达91.2%。</p></div>"
            f"{FOOTER}</body></html>")


@pytest.mark.parametrize("head, data_encoding, prefix, expected", [
    ('<meta charset="gb2312">', "gbk", b"", "gb18030"),
    ("<meta charset='GBK' />", "gbk", b"", "gb18030"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb18030">', "gb18030", b"",
     "gb18030"),
    ('<meta charset="GB_2312-80">', "gbk", b"", "gb18030"),
    ("", "gbk", b"", "gb18030"),                                  # no declaration: detected
    ("", "utf-8", codecs.BOM_UTF8, "utf-8"),                     # BOM
    ('<meta charset="gb2312">', "utf-8", codecs.BOM_UTF8, "utf-8"),  # the BOM wins
    ("", "utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ('<meta charset="gb2312">', "utf-8", b"", "utf-8"),          # re-encoded, stale declaration
    ('<meta charset="utf-8">', "gbk", b"", "gb18030"),           # declaration does not fit
    ('<meta charset="iso-8859-1">', "gbk", b"", "gb18030"),      # an editor's default
    ('<meta charset="x-no-such-charset">', "gbk", b"", "gb18030"),
    ("<!-- <meta charset=big5> --><meta charset=gbk>", "gbk", b"", "gb18030"),
])
def test_charset(head, data_encoding, prefix, expected):
    page = simple_page(head)
    src = read_html(prefix + page.encode(data_encoding))
    assert src.encoding == expected
    assert src.text.split("\n") == [
        "2023年工作总结",
        "全县共有村医298名，签约率达99.67%，较上年提高1.2个百分点。",
        "全年拨付基本公共卫生服务经费1520.6万元，居民电子健康档案建档率达91.2%。"]


def test_xml_declaration_names_the_charset():
    page = '<?xml version="1.0" encoding="gb2312"?>\n' + simple_page()
    text, encoding = decode_html(page.encode("gbk"))
    assert encoding == "gb18030"
    assert "村医298名" in read_html(page.encode("gbk")).text


def test_lists_keep_one_item_per_line_and_their_own_markers():
    page = ("<html><head><meta charset='utf-8'><title>2023年工作总结</title></head><body>"
            "<div class='article'><p>主要做法如下，各项工作取得实效。</p><ul>"
            "<li>一是全县共有村医298名，签约率达99.67%；</li>"
            "<li>二是新建标准化村卫生室4所，投入资金58.5万元。</li></ul>"
            "<p>（二）家庭医生团队86个，重点人群签约率达76.5%。</p></div></body></html>")
    assert read_html(page.encode()).text.split("\n") == [
        "2023年工作总结", "主要做法如下，各项工作取得实效。",
        "一是全县共有村医298名，签约率达99.67%；",
        "二是新建标准化村卫生室4所，投入资金58.5万元。",
        "（二）家庭医生团队86个，重点人群签约率达76.5%。"]


def test_word_exported_table_with_merged_title_row():
    page = ("<html><head><meta charset='utf-8'><title>基层卫生资源情况</title></head><body>"
            "<div class='content'><p>2023年全县基层卫生资源稳步增加，具体如下。</p>"
            "<table class=MsoTableGrid border=1>"
            "<tr><td colspan=3><p class=MsoNormal>2022-2023年基层卫生资源</p></td></tr>"
            "<tr><td><p class=MsoNormal><span>指标</span></p></td><td><p>2022年</p></td>"
            "<td><p>2023年</p></td></tr>"
            "<tr><td><p class=MsoNormal>村卫生室数量（所）</p></td><td><p>130</p></td>"
            "<td><p>134</p></td></tr></table></div></body></html>")
    src = read_html(page.encode())
    assert src.tables == [Table(rows=[["2022-2023年基层卫生资源", "", ""],
                                      ["指标", "2022年", "2023年"],
                                      ["村卫生室数量（所）", "130", "134"]])]
    assert src.text.split("\n") == ["基层卫生资源情况", "2023年全县基层卫生资源稳步增加，具体如下。"]


ARTICLE = ("<p>全县共有村医298名，签约率达99.67%，较上年提高1.2个百分点。</p>"
           "<p>全年拨付基本公共卫生服务经费1520.6万元，居民电子健康档案建档率达91.2%。</p>")


@pytest.mark.parametrize("head, before_article", [
    # the page title names the site after the article
    ("<title>某县卫生健康局2023年工作总结_某县人民政府</title>",
     "<div class='title'>某县卫生健康局2023年工作总结</div>"),
    ("<title>某县卫生健康局2023年工作总结 - 某县人民政府</title>", ""),
    # the site's logo is an <h1> too, and the page title is the site's
    ("<title>某县人民政府</title><h1>某县人民政府</h1>", "<h1>某县卫生健康局2023年工作总结</h1>"),
])
def test_title_is_the_first_line(head, before_article):
    page = (f"<html><head><meta charset='utf-8'>{head}</head><body>{NAV}<div class='content'>"
            f"{before_article}{SHARE}{ARTICLE}</div>{FOOTER}</body></html>")
    assert read_html(page.encode()).text.split("\n") == [
        "某县卫生健康局2023年工作总结",
        "全县共有村医298名，签约率达99.67%，较上年提高1.2个百分点。",
        "全年拨付基本公共卫生服务经费1520.6万元，居民电子健康档案建档率达91.2%。"]


def test_page_with_only_a_data_table():
    page = ("<html><head><meta charset='utf-8'><title>2023年卫生资源统计表</title></head><body>"
            f"{NAV}<div class='content'><h1>2023年卫生资源统计表</h1><table>"
            "<tr><th>指标</th><th>2022年</th><th>2023年</th></tr>"
            "<tr><td>村卫生室数量（所）</td><td>130</td><td>134</td></tr>"
            f"<tr><td>乡村医生（名）</td><td>301</td><td>298</td></tr></table></div>{FOOTER}"
            "</body></html>")
    src = read_html(page.encode())
    assert src.text == "2023年卫生资源统计表"
    assert src.tables == [Table(rows=[["指标", "2022年", "2023年"],
                                      ["村卫生室数量（所）", "130", "134"],
                                      ["乡村医生（名）", "301", "298"]])]


def test_page_with_only_navigation_is_refused():
    page = (f"<html><head><meta charset='utf-8'><title>某县人民政府门户网站</title></head><body>"
            f"{NAV}{CRUMBS}<ul class='list'><li><a href='/1'>关于印发2023年工作要点的通知</a></li>"
            "<li><a href='/2'>县卫健局2023年工作总结</a></li>"
            f"<li><a href='/3'>2022年政府工作报告</a></li></ul>{FOOTER}</body></html>")
    with pytest.raises(FormatError, match="no main text"):
        read_html(page.encode())


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n", "empty"),
    pytest.param(b"\x00\x01\x02\x03binary\x00" * 100, "binary", id="binary"),
    ("只是一行字，没有标记。".encode(), "not an HTML page"),
    (b"<html><head><title>x</title></head><body></body></html>", "no main text"),
])
def test_unreadable_pages(data, reason):
    with pytest.raises(FormatError, match=reason):
        read_html(data)
