"""What every parser shares, one copy each:

- errors.py   `PayloadError`, the one error for an answer a parser cannot read (`reason`)
- payload.py  JSON, JSONP, page-embedded JSON and inline JS strings; `dig`, `require_list`
- html.py     whitespace, furniture lines, CSS/XPath queries, fragment and body text
- numbers.py  `to_count`: counts as platforms print them (1.2万, 3亿, 10万+)
- lists.py    list pages and entries, article links
- byline.py   title suffixes, 来源 / 作者 / 记者 / 编辑 lines
- article.py  the item a news parser starts from and finishes with, meta tags, keywords
"""
