"""Reports in traditional characters are read through OpenCC's character table, one character
for one, so every offset still points into the source text: the same figures as the simplified
text, with the source's own surfaces."""
import pytest

from extract.cleaning import is_traditional, normalize
from helpers import figures


@pytest.mark.parametrize("traditional, simplified", [
    ("全年門診量達12.6萬人次，住院人次增長3.5%。", "全年门诊量达12.6万人次，住院人次增长3.5%。"),
    ("每千人床位數為4.8張，鄉村醫生320名。", "每千人床位数为4.8张，乡村医生320名。"),
    ("基本公共衛生服務經費人均補助標準提高到89元，財政投入5,000萬元。",
     "基本公共卫生服务经费人均补助标准提高到89元，财政投入5,000万元。"),
    ("地區生產總值增長5.1%，一般公共預算收入達到8374.2億元。",
     "地区生产总值增长5.1%，一般公共预算收入达到8374.2亿元。"),
])
def test_traditional_text_gives_the_figures_of_its_simplified_form(traditional, simplified):
    assert is_traditional(traditional) and not is_traditional(simplified)
    trad, simp = figures(traditional), figures(simplified)
    # the subject is the same span of the text, copied from the source in its own characters
    assert [(f.start, f.end, f.value, f.unit, traditional.find(f.subject), len(f.subject), f.role)
            for f in trad] == \
        [(f.start, f.end, f.value, f.unit, simplified.find(f.subject), len(f.subject), f.role) for f in simp]
    assert trad and all(traditional[f.start:f.end] == f.surface for f in trad)
    assert all(f.subject and f.subject in traditional for f in trad)


def test_simplified_text_is_left_as_it_is():
    """A simplified report that quotes a traditional name keeps its own characters."""
    text = "显著提升乡村医生待遇，引进《臺灣醫療》一书。" * 3
    assert not is_traditional(text)
    assert "臺灣醫療" in normalize(text)
