"""Tests that run the `yuqing` command (and scrapy, scrapyd) as users do, in
subprocesses: crawls, workers, faults, reports."""
