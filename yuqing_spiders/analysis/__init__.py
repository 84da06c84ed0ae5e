"""Judgements made on every item: 属地, departments, risk flags, sentiment, big-V, and the
event, heat and level stages that build on them.

Pure code: no Scrapy, no I/O beyond reading the rules and data files. The pipelines in
pipelines/ are thin shells over these modules; `yuqing tag` calls
`yuqing_spiders.analysis.text_analysis.analyse_text` directly. Importing this package
loads nothing heavy: each module loads what it needs.
"""
