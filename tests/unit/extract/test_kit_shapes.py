"""The kit helpers on the shapes the sources wrap their data in.

JSONP callbacks (央视网 `china({...})`, 网易 `data_callback([...])`), JSON assigned to a
script variable (凤凰 `var allData = {...};`) and HTML title fragments (search rows with
`<em>`/`<font>` highlights). The sources' own modules test them on their fixtures.
"""

from __future__ import annotations

import pytest

from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import inline_text
from yuqing_spiders.extract.kit.payload import load_assigned_json, load_jsonp


def test_jsonp_shapes() -> None:
    assert load_jsonp('news({"a": 1});') == {"a": 1}
    assert load_jsonp('/**/ data_callback({"a": [1]})') == {"a": [1]}
    with pytest.raises(PayloadError):
        load_jsonp("<html>502</html>")


def test_inline_text_of_title_fragments() -> None:
    assert inline_text('<a href="x">人民日报评论：民生温度</a>') == "人民日报评论：民生温度"
    assert inline_text("  南昌  地铁 ") == "南昌 地铁"
    assert inline_text(None) is None


def test_embedded_json_is_cut_by_brackets_not_semicolons():
    text = 'var allData = {"a": "x;y}", "b": [1, {"c": "};"}]};\nvar adData = {};'
    assert load_assigned_json(text, "allData") == {"a": "x;y}", "b": [1, {"c": "};"}]}
    assert load_jsonp("/**/data_callback([1, 2]);", "data_callback") == [1, 2]
