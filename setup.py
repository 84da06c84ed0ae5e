"""For tools that still run ``setup.py``: ``scrapyd-deploy`` builds its egg with it.

Everything (packages, data files, the ``scrapy`` settings entry point scrapyd reads)
is declared in pyproject.toml; without this file scrapyd-deploy would write its own,
which packs every directory (tests and fixtures included) and the wrong metadata.
"""

from setuptools import setup

setup()
