"""The office's reports: daily / weekly opinion report and a special report per event.

`data` reads MongoDB into plain dicts, `charts` draws them as inline PNG images,
`render` writes HTML (self-contained), Markdown or JSON. `yuqing report` drives them.
"""
