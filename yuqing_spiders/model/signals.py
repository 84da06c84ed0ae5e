"""yuqing's own signals (Scrapy's are in scrapy.signals). Document each one here.

items_durable
    Sent by the MongoDB writer after each batch is settled: ``through`` is the count of
    items the writer had accepted when the batch was taken (so every item accepted up to
    then is in MongoDB or in the spool on disk, unless ``lost`` says some could not be
    kept at all). The leased scheduler acknowledges finished requests on it.
    Arguments: ``through: int``, ``lost: int``.
"""

from __future__ import annotations

items_durable = object()
