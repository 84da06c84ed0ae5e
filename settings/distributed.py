"""Any number of workers on any nodes sharing one Redis queue and dupefilter."""

from settings import *  # noqa: F403

SCHEDULER = "scrapy_redis.scheduler.Scheduler"
SCHEDULER_PERSIST = True
SCHEDULER_QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"
SCHEDULER_QUEUE_KEY = "yuqing:%(spider)s:requests"
SCHEDULER_DUPEFILTER_KEY = "yuqing:%(spider)s:dupefilter"
DUPEFILTER_CLASS = "yuqing_spiders.redis_dupefilter.FingerprintRedisDupeFilter"
# Requests in Redis are JSON, readable with redis-cli and safe on a shared server.
SCHEDULER_SERIALIZER = "yuqing_spiders.json_serializer"
YUQING_DISTRIBUTED = True
