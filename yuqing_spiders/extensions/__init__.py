"""Scrapy extensions (enabled in settings.EXTENSIONS): one module per extension."""
