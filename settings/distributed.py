"""Any number of workers on any nodes sharing one Redis queue and dupefilter."""

from settings import *  # noqa: F403

# scrapy-redis's scheduler made loss-free: leased pops, acks after the items are durable.
SCHEDULER = "yuqing_spiders.queue.scheduler.LeasedScheduler"
SCHEDULER_PERSIST = True
SCHEDULER_QUEUE_CLASS = "yuqing_spiders.queue.leased.LeasedPriorityQueue"
SCHEDULER_QUEUE_KEY = "yuqing:%(spider)s:requests"
# Time-bucketed Bloom filter (YUQING_BLOOM_*). The exact, ever-growing set is still
# there: DUPEFILTER_CLASS = "yuqing_spiders.queue.fingerprint_dupefilter.FingerprintRedisDupeFilter"
# (key SCHEDULER_DUPEFILTER_KEY).
DUPEFILTER_CLASS = "yuqing_spiders.queue.dupefilter.BloomDupeFilter"
SCHEDULER_DUPEFILTER_KEY = "yuqing:%(spider)s:dupefilter"
# Per-site request rates shared by every worker (YUQING_RATE_*).
YUQING_RATE_ENABLED = True
# Requests in Redis are JSON, readable with redis-cli and safe on a shared server.
SCHEDULER_SERIALIZER = "yuqing_spiders.queue.serializer"
YUQING_DISTRIBUTED = True
